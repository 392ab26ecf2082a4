package io.meridian.query;

import com.datastax.oss.protocol.internal.ProtocolConstants;
import io.meridian.common.MeridianException;
import io.meridian.cql.ast.BindMarker;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * The values a client bound to a statement's markers: positional, or named (by marker name, or
 * by the receiving column's name for '?' markers, as Cassandra allows).
 */
public final class BoundValues {
  /** Identity sentinel for "unset" (protocol v4+): the column is left untouched. */
  public static final ByteBuffer UNSET = ProtocolConstants.UNSET_VALUE;

  public static final BoundValues NONE = new BoundValues(List.of(), Map.of(), List.of());

  private final List<ByteBuffer> positional;
  private final Map<String, ByteBuffer> named;
  private final List<String> markerNames;

  private BoundValues(List<ByteBuffer> positional, Map<String, ByteBuffer> named, List<String> markerNames) {
    this.positional = positional;
    this.named = named;
    this.markerNames = markerNames;
  }

  /**
   * @param markerNames for each marker index, the name a named value may use (the marker's own
   *     name, or the receiving column's)
   */
  public static BoundValues of(List<ByteBuffer> positional, Map<String, ByteBuffer> named, List<String> markerNames) {
    if (named != null && !named.isEmpty()) {
      return new BoundValues(List.of(), named, markerNames);
    }
    int expected = markerNames.size();
    int got = positional == null ? 0 : positional.size();
    if (got != expected) {
      throw MeridianException.invalid("There were " + expected + " markers(?) in CQL but " + got + " bound variables");
    }
    return new BoundValues(positional, Map.of(), markerNames);
  }

  /** The bound value, null for a null value, or {@link #UNSET}. */
  public ByteBuffer get(BindMarker marker) {
    if (!named.isEmpty()) {
      String name = markerNames.get(marker.index());
      if (!named.containsKey(name)) {
        throw MeridianException.invalid("No value was bound for the variable '" + name + "'");
      }
      ByteBuffer v = named.get(name);
      return v == null ? null : v;
    }
    ByteBuffer v = positional.get(marker.index());
    return v == null ? null : v;
  }

  public static boolean isUnset(ByteBuffer value) {
    return value == UNSET;
  }
}
