package io.meridian.protocol.error;

/** Names of the protocol's [consistency] codes, for error messages. */
public final class ConsistencyLevels {
  private static final String[] NAMES = {
    "ANY", "ONE", "TWO", "THREE", "QUORUM", "ALL", "LOCAL_QUORUM", "EACH_QUORUM", "SERIAL",
    "LOCAL_SERIAL", "LOCAL_ONE"
  };

  private ConsistencyLevels() {}

  /** The name of a wire consistency code; unknown codes are rejected. */
  public static String name(int code) {
    check(code);
    return NAMES[code];
  }

  static int check(int code) {
    if (code < 0 || code >= NAMES.length) {
      throw new IllegalArgumentException(
          "consistency code " + code + ", expected 0.." + (NAMES.length - 1));
    }
    return code;
  }
}
