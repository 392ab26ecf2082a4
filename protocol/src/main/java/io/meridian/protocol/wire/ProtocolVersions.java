package io.meridian.protocol.wire;

import com.datastax.oss.protocol.internal.ProtocolConstants;
import java.util.List;

/** The native protocol versions this server speaks, and how it refuses the others. */
public final class ProtocolVersions {
  public static final int MIN = ProtocolConstants.Version.V3;
  public static final int MAX = ProtocolConstants.Version.V5;

  /**
   * The version of an ERROR frame refusing a version newer than {@link #MAX}: v4 has the same
   * 9-byte header as v3 and v5 (before v5's segment framing starts) and every driver able to
   * propose v5 or later can parse it.
   */
  public static final int REFUSAL_VERSION = ProtocolConstants.Version.V4;

  /** As announced in SUPPORTED's PROTOCOL_VERSIONS. */
  public static final List<String> NAMES = List.of("3/v3", "4/v4", "5/v5");

  private ProtocolVersions() {}

  public static boolean isSupported(int version) {
    return version >= MIN && version <= MAX;
  }

  /**
   * The refusal text. Drivers match "Invalid or unsupported protocol version" to decide to retry
   * with a lower version, so this prefix must not change.
   */
  public static String unsupportedMessage(int version) {
    return "Invalid or unsupported protocol version ("
        + version
        + "); supported versions are ("
        + String.join(", ", NAMES)
        + ")";
  }
}
