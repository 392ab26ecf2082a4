package io.meridian.protocol.error;

import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;
import java.util.Set;

/**
 * WRITE_TIMEOUT: the write's outcome is unknown — it may or may not have been applied. Use this,
 * never a "failed" error, once replication has begun. Depends on common only.
 */
public final class WriteTimeoutException extends MeridianException {
  /** The [string] write types of the protocol spec. */
  public static final Set<String> WRITE_TYPES =
      Set.of(
          "SIMPLE", "BATCH", "UNLOGGED_BATCH", "COUNTER", "BATCH_LOG", "CAS", "VIEW", "CDC");

  private final int consistencyLevel;
  private final int received;
  private final int blockFor;
  private final String writeType;

  /**
   * @param consistencyLevel the wire [consistency] code of the request
   * @param received replica acknowledgements received before the timeout
   * @param blockFor acknowledgements the consistency level needs
   * @param writeType one of {@link #WRITE_TYPES}
   */
  public WriteTimeoutException(int consistencyLevel, int received, int blockFor, String writeType) {
    super(
        CqlErrorCode.WRITE_TIMEOUT,
        "Write timed out at consistency "
            + ConsistencyLevels.name(consistencyLevel)
            + ": "
            + received
            + " of "
            + blockFor
            + " required acknowledgements received (write type "
            + writeType
            + ")");
    if (!WRITE_TYPES.contains(writeType)) {
      throw new IllegalArgumentException(
          "write type " + writeType + ", expected one of " + WRITE_TYPES);
    }
    this.consistencyLevel = consistencyLevel;
    this.received = received;
    this.blockFor = blockFor;
    this.writeType = writeType;
  }

  public int consistencyLevel() {
    return consistencyLevel;
  }

  public int received() {
    return received;
  }

  public int blockFor() {
    return blockFor;
  }

  public String writeType() {
    return writeType;
  }
}
