package io.meridian.common;

/**
 * The one exception root of Meridian. It carries the protocol error code the client will see;
 * exactly one place (the protocol layer's error translator) turns it into an ERROR frame.
 * Messages state what was seen and what was expected, and never include row values or secrets.
 */
public class MeridianException extends RuntimeException {
  private final CqlErrorCode code;

  public MeridianException(CqlErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public MeridianException(CqlErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public CqlErrorCode code() {
    return code;
  }

  public static MeridianException syntax(String message) {
    return new MeridianException(CqlErrorCode.SYNTAX_ERROR, message);
  }

  public static MeridianException invalid(String message) {
    return new MeridianException(CqlErrorCode.INVALID, message);
  }

  public static MeridianException protocol(String message) {
    return new MeridianException(CqlErrorCode.PROTOCOL_ERROR, message);
  }

  public static MeridianException server(String message, Throwable cause) {
    return new MeridianException(CqlErrorCode.SERVER_ERROR, message, cause);
  }

  public static MeridianException configError(String message) {
    return new MeridianException(CqlErrorCode.CONFIG_ERROR, message);
  }
}
