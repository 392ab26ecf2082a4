package io.meridian.protocol.error;

import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;

/** READ_TIMEOUT: replicas did not answer a read in time. Depends on common only. */
public final class ReadTimeoutException extends MeridianException {
  private final int consistencyLevel;
  private final int received;
  private final int blockFor;
  private final boolean dataPresent;

  /**
   * @param consistencyLevel the wire [consistency] code of the request
   * @param received replica answers received before the timeout
   * @param blockFor replica answers the consistency level needs
   * @param dataPresent whether the replica asked for data answered
   */
  public ReadTimeoutException(
      int consistencyLevel, int received, int blockFor, boolean dataPresent) {
    super(
        CqlErrorCode.READ_TIMEOUT,
        "Read timed out at consistency "
            + ConsistencyLevels.name(consistencyLevel)
            + ": "
            + received
            + " of "
            + blockFor
            + " required responses received"
            + (dataPresent ? "" : " (no data response)"));
    this.consistencyLevel = consistencyLevel;
    this.received = received;
    this.blockFor = blockFor;
    this.dataPresent = dataPresent;
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

  public boolean dataPresent() {
    return dataPresent;
  }
}
