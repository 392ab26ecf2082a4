package io.meridian.schema.system;

import io.meridian.common.MeridianException;
import io.meridian.types.CqlType;
import io.meridian.types.LiteralKind;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Stands in for a collection type of a system-table column while the types module has none. It
 * carries the right CQL name and protocol code and serializes through {@link SystemColumnType}.
 * System tables are read-only and never stored, so the ordering and literal operations are not
 * needed and refuse loudly.
 */
final class StandInCollectionType extends CqlType {
  private final SystemColumnType type;

  StandInCollectionType(SystemColumnType type) {
    this.type = type;
  }

  @Override
  public String cqlName() {
    return type.cqlName();
  }

  @Override
  public int protocolCode() {
    return type.protocolCode();
  }

  @Override
  public void validate(ByteBuffer value) {
    try {
      type.deserialize(value);
    } catch (RuntimeException e) {
      throw MeridianException.invalid("Invalid " + type.cqlName() + " value: " + e.getMessage());
    }
  }

  @Override
  public int compare(ByteBuffer a, ByteBuffer b) {
    return a.compareTo(b);
  }

  @Override
  public byte[] toComparable(ByteBuffer value) {
    throw new UnsupportedOperationException(type.cqlName() + " of a system table is not a key type");
  }

  @Override
  public ByteBuffer fromComparable(ByteBuffer src) {
    throw new UnsupportedOperationException(type.cqlName() + " of a system table is not a key type");
  }

  @Override
  public ByteBuffer fromLiteral(LiteralKind kind, String text) {
    throw MeridianException.invalid("System table column of type " + type.cqlName() + " cannot be written");
  }

  @Override
  public String toCqlLiteral(ByteBuffer value) {
    return String.valueOf(type.deserialize(value));
  }

  @Override
  public Object decode(ByteBuffer value) {
    return type.deserialize(value);
  }

  @Override
  public ByteBuffer encode(Object value) {
    return type.serialize(value);
  }

  @Override
  public boolean orderable() {
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StandInCollectionType && ((StandInCollectionType) o).type == type;
  }

  @Override
  public int hashCode() {
    return Objects.hash(type);
  }
}
