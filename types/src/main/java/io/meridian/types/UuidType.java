package io.meridian.types;

import io.meridian.common.MeridianException;
import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * uuid and timeuuid: 16 bytes (most significant long, then least significant long). Empty values
 * are allowed for both; timeuuid additionally requires version 1.
 *
 * <p>uuid order (Cassandra's UUIDType): by version nibble; then version-1 uuids by timestamp and
 * other versions by the high long unsigned; then by the low long unsigned. Key (17 bytes): the
 * version byte, then the timestamp-first reordering of the high long (version 1) or the high long
 * itself, then the low long.
 *
 * <p>timeuuid order (Cassandra's TimeUUIDType): by timestamp, then the low 8 bytes compared as
 * <em>signed</em> bytes, a historical quirk kept for compatibility. Key (16 bytes): the reordered
 * high long, then the low bytes each with the top bit flipped so unsigned order is signed order.
 */
final class UuidType extends FixedWidthType {
  private final boolean timeBased;

  UuidType(boolean timeBased) {
    super(timeBased ? "timeuuid" : "uuid", timeBased ? 0x000F : 0x000C, true, 16);
    this.timeBased = timeBased;
  }

  private static long msb(ByteBuffer v) {
    return v.getLong(v.position());
  }

  private static long lsb(ByteBuffer v) {
    return v.getLong(v.position() + 8);
  }

  private static int version(long msb) {
    return (int) ((msb >>> 12) & 0xf);
  }

  /** Moves time_hi (with the version), time_mid, time_low into most-significant-first order. */
  static long timestampFirst(long msb) {
    return (msb << 48) | ((msb << 16) & 0xFFFF_0000_0000L) | (msb >>> 32);
  }

  private static long timestampFirstInverse(long reordered) {
    return (reordered << 32) | ((reordered >>> 16) & 0xFFFF_0000L) | (reordered >>> 48);
  }

  /** Makes signed comparison of each of the 8 bytes equal unsigned comparison of the whole long. */
  private static long flipByteSigns(long v) {
    return v ^ 0x8080_8080_8080_8080L;
  }

  @Override
  void validateContent(ByteBuffer value) {
    if (timeBased && version(msb(value)) != 1) {
      throw MeridianException.invalid(
          "Expected a version 1 (time-based) UUID for timeuuid, got version " + version(msb(value)));
    }
  }

  @Override
  int compareNonEmpty(ByteBuffer a, ByteBuffer b) {
    long msbA = msb(a);
    long msbB = msb(b);
    if (timeBased) {
      int c = Long.compareUnsigned(timestampFirst(msbA), timestampFirst(msbB));
      return c != 0 ? c : Long.compareUnsigned(flipByteSigns(lsb(a)), flipByteSigns(lsb(b)));
    }
    int c = Integer.compare(version(msbA), version(msbB));
    if (c != 0) {
      return c;
    }
    c = version(msbA) == 1
        ? Long.compareUnsigned(timestampFirst(msbA), timestampFirst(msbB))
        : Long.compareUnsigned(msbA, msbB);
    return c != 0 ? c : Long.compareUnsigned(lsb(a), lsb(b));
  }

  @Override
  int keyWidthBytes() {
    return timeBased ? 16 : 17;
  }

  @Override
  byte[] key(ByteBuffer value) {
    long msb = msb(value);
    long lsb = lsb(value);
    if (timeBased) {
      return ByteBuffer.allocate(16).putLong(timestampFirst(msb)).putLong(flipByteSigns(lsb)).array();
    }
    int version = version(msb);
    return ByteBuffer.allocate(17)
        .put((byte) version)
        .putLong(version == 1 ? timestampFirst(msb) : msb)
        .putLong(lsb)
        .array();
  }

  @Override
  byte[] unkey(byte[] key) {
    ByteBuffer k = ByteBuffer.wrap(key);
    if (timeBased) {
      return serialize(timestampFirstInverse(k.getLong(0)), flipByteSigns(k.getLong(8))).array();
    }
    int version = k.get(0);
    long high = k.getLong(1);
    long msb = version == 1 ? timestampFirstInverse(high) : high;
    if (version(msb) != version) {
      throw MeridianException.invalid("Corrupt comparable uuid: version byte " + version
          + " does not match the uuid's version " + version(msb));
    }
    return serialize(msb, k.getLong(9)).array();
  }

  private static ByteBuffer serialize(long msb, long lsb) {
    return ByteBuffer.allocate(16).putLong(0, msb).putLong(8, lsb);
  }

  @Override
  ByteBuffer parseLiteral(LiteralKind kind, String text) {
    if (kind != LiteralKind.UUID) {
      throw wrongKind(kind, text, "a uuid");
    }
    String t = text.trim();
    // UUID.fromString is lenient about group lengths; CQL requires the canonical 8-4-4-4-12 shape.
    if (!t.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
      throw MeridianException.invalid("Invalid uuid '" + abbreviate(t) + "'; expected 8-4-4-4-12 hex digits");
    }
    UUID uuid = UUID.fromString(t);
    ByteBuffer out = serialize(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
    validate(out);
    return out;
  }

  @Override
  String literal(ByteBuffer value) {
    return new UUID(msb(value), lsb(value)).toString();
  }

  @Override
  Object decodeNonEmpty(ByteBuffer value) {
    return new UUID(msb(value), lsb(value));
  }

  @Override
  ByteBuffer encodeValue(Object value) {
    if (!(value instanceof UUID)) {
      throw wrongJavaType(value, "java.util.UUID");
    }
    UUID uuid = (UUID) value;
    return serialize(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
  }
}
