package io.meridian.protocol.error;

import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;

/**
 * UNAVAILABLE: too few live replicas to even try the request at its consistency level. Nothing
 * was applied. Depends on common only, so it can move there unchanged.
 */
public final class UnavailableException extends MeridianException {
  private final int consistencyLevel;
  private final int required;
  private final int alive;

  /**
   * @param consistencyLevel the wire [consistency] code of the request
   * @param required replicas the consistency level needs
   * @param alive replicas known to be alive
   */
  public UnavailableException(int consistencyLevel, int required, int alive) {
    super(
        CqlErrorCode.UNAVAILABLE,
        "Cannot achieve consistency level "
            + ConsistencyLevels.name(consistencyLevel)
            + ": "
            + required
            + " replicas required, "
            + alive
            + " alive");
    this.consistencyLevel = consistencyLevel;
    this.required = required;
    this.alive = alive;
  }

  public int consistencyLevel() {
    return consistencyLevel;
  }

  public int required() {
    return required;
  }

  public int alive() {
    return alive;
  }
}
