package io.meridian.types;

import io.meridian.common.MeridianException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.StringJoiner;

/**
 * tuple&lt;A, B, ...&gt;: always frozen, so its field types are frozen too and its name is
 * "frozen&lt;tuple&lt;...&gt;&gt;". Fields may be null. Java value: a List (nulls allowed) with one
 * entry per field. See {@link FieldsType} for framing, order and the comparable form.
 */
public final class TupleType extends FieldsType {

  public TupleType(List<CqlType> fieldTypes) {
    super(frozenAll(fieldTypes), "tuple");
  }

  @Override
  public String cqlName() {
    StringJoiner names = new StringJoiner(", ", "frozen<tuple<", ">>");
    for (CqlType t : fieldTypes()) {
      names.add(t.cqlName());
    }
    return names.toString();
  }

  @Override
  public int protocolCode() {
    return 0x0031;
  }

  /** Always true: a tuple is one immutable cell. */
  public boolean isFrozen() {
    return true;
  }

  @Override
  String fieldLabel(int i) {
    return Integer.toString(i);
  }

  @Override
  MeridianException notKeyable() {
    return null;
  }

  @Override
  String literalShape() {
    return "tuple literal";
  }

  @Override
  public String toCqlLiteral(ByteBuffer value) {
    List<ByteBuffer> fields = readFields(value);
    StringJoiner out = new StringJoiner(", ", "(", ")");
    for (int i = 0; i < fields.size(); i++) {
      out.add(fieldLiteral(fields, i));
    }
    return out.toString();
  }

  /** A List with one entry per field (null for null fields). */
  @Override
  public Object decode(ByteBuffer value) {
    return decodeFields(value);
  }

  /** Accepts a List of at most as many values as fields; missing trailing values are null. */
  @Override
  public ByteBuffer encode(Object value) {
    if (!(value instanceof List<?> list)) {
      throw MeridianException.invalid("Cannot encode " + (value == null ? "null" : value.getClass().getName())
          + " as " + cqlName() + "; expected a java.util.List of field values");
    }
    if (list.size() > fieldTypes().size()) {
      throw MeridianException.invalid(
          "Too many fields for " + cqlName() + ": got " + list.size() + ", expected at most " + fieldTypes().size());
    }
    return encodeFields(list);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TupleType other && other.fieldTypes().equals(fieldTypes());
  }

  @Override
  public int hashCode() {
    return fieldTypes().hashCode() * 31 + 0x31;
  }
}
