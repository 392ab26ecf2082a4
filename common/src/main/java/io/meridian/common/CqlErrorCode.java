package io.meridian.common;

/**
 * The error codes of the CQL native protocol (spec section 9), in one place. Every failure that
 * reaches a client carries exactly one of these.
 */
public enum CqlErrorCode {
  SERVER_ERROR(0x0000),
  PROTOCOL_ERROR(0x000A),
  AUTH_ERROR(0x0100),
  UNAVAILABLE(0x1000),
  OVERLOADED(0x1001),
  IS_BOOTSTRAPPING(0x1002),
  TRUNCATE_ERROR(0x1003),
  WRITE_TIMEOUT(0x1100),
  READ_TIMEOUT(0x1200),
  READ_FAILURE(0x1300),
  FUNCTION_FAILURE(0x1400),
  WRITE_FAILURE(0x1500),
  SYNTAX_ERROR(0x2000),
  UNAUTHORIZED(0x2100),
  INVALID(0x2200),
  CONFIG_ERROR(0x2300),
  ALREADY_EXISTS(0x2400),
  UNPREPARED(0x2500);

  private final int wireCode;

  CqlErrorCode(int wireCode) {
    this.wireCode = wireCode;
  }

  public int wireCode() {
    return wireCode;
  }

  /** Client faults are the caller's to fix; everything else is ours or capacity. */
  public boolean isClientFault() {
    return this == SYNTAX_ERROR
        || this == INVALID
        || this == UNAUTHORIZED
        || this == ALREADY_EXISTS
        || this == UNPREPARED
        || this == CONFIG_ERROR
        || this == PROTOCOL_ERROR;
  }
}
