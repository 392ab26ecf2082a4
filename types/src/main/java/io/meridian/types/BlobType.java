package io.meridian.types;

import java.nio.ByteBuffer;

/** blob: any bytes. Literal 0x-prefixed hex. Java value: a read-only ByteBuffer copy. */
final class BlobType extends BytesOrderedType {
  BlobType() {
    super("blob", 0x0003);
  }

  @Override
  void validateNonEmpty(ByteBuffer value) {}

  @Override
  ByteBuffer parseLiteral(LiteralKind kind, String text) {
    if (kind != LiteralKind.HEX) {
      throw wrongKind(kind, text, "a 0x hex blob");
    }
    return ByteBuffer.wrap(Bytes.fromHex(text.trim()));
  }

  @Override
  boolean emptyHasLiteral() {
    return true;
  }

  @Override
  String literal(ByteBuffer value) {
    return Bytes.toHex(value);
  }

  @Override
  Object emptyJavaValue() {
    return ByteBuffer.allocate(0).asReadOnlyBuffer();
  }

  @Override
  Object decodeNonEmpty(ByteBuffer value) {
    return ByteBuffer.wrap(Bytes.toArray(value)).asReadOnlyBuffer();
  }

  @Override
  ByteBuffer encodeValue(Object value) {
    if (value instanceof ByteBuffer) {
      return ByteBuffer.wrap(Bytes.toArray((ByteBuffer) value));
    }
    if (value instanceof byte[]) {
      return ByteBuffer.wrap(((byte[]) value).clone());
    }
    throw wrongJavaType(value, "java.nio.ByteBuffer (or byte[])");
  }
}
