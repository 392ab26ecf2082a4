package io.meridian.types;

import java.nio.ByteBuffer;

/**
 * boolean: one byte, 0 is false and any other byte true (as Cassandra reads it); we write 0 and 1.
 * Order false < true; the comparable key is the canonical 0 or 1.
 */
final class BooleanType extends FixedWidthType {
  BooleanType() {
    super("boolean", 0x0004, true, 1);
  }

  private static boolean read(ByteBuffer v) {
    return v.get(v.position()) != 0;
  }

  @Override
  int compareNonEmpty(ByteBuffer a, ByteBuffer b) {
    return Boolean.compare(read(a), read(b));
  }

  @Override
  byte[] key(ByteBuffer value) {
    return new byte[] {(byte) (read(value) ? 1 : 0)};
  }

  @Override
  byte[] unkey(byte[] key) {
    return key;
  }

  @Override
  ByteBuffer parseLiteral(LiteralKind kind, String text) {
    String t = lower(text.trim());
    if (kind != LiteralKind.BOOLEAN || !(t.equals("true") || t.equals("false"))) {
      throw wrongKind(kind, text, "true or false");
    }
    return serialize(t.equals("true"));
  }

  private static ByteBuffer serialize(boolean v) {
    return ByteBuffer.wrap(new byte[] {(byte) (v ? 1 : 0)});
  }

  @Override
  String literal(ByteBuffer value) {
    return Boolean.toString(read(value));
  }

  @Override
  Object decodeNonEmpty(ByteBuffer value) {
    return read(value);
  }

  @Override
  ByteBuffer encodeValue(Object value) {
    if (!(value instanceof Boolean)) {
      throw wrongJavaType(value, "java.lang.Boolean");
    }
    return serialize((Boolean) value);
  }
}
