package io.meridian.types;

import io.meridian.common.MeridianException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;

/**
 * A user-defined type (CREATE TYPE ks.name (field type, ...)). Its CQL name is just the type name,
 * quoted if needed, wrapped in frozen&lt;&gt; when frozen; the keyspace is implied by the table.
 * A frozen user type freezes its field types. Java value: a LinkedHashMap from field name to value
 * (null for null fields), one entry per field in declaration order. See {@link FieldsType} for
 * framing, order and the comparable form.
 */
public final class UserType extends FieldsType {
  private final String keyspace;
  private final String typeName;
  private final List<String> fieldNames;
  private final List<CqlType> declaredFieldTypes;
  private final boolean frozen;

  /**
   * @param keyspace the keyspace the type belongs to
   * @param typeName the type's name, unquoted (exact case)
   * @param fieldNames distinct field names, unquoted (exact case), same size as fieldTypes
   * @param fieldTypes field types as declared; frozen here when the user type is frozen
   */
  public UserType(String keyspace, String typeName, List<String> fieldNames, List<CqlType> fieldTypes, boolean frozen) {
    super(frozen ? frozenAll(fieldTypes) : fieldTypes, "user type");
    if (keyspace == null || keyspace.isEmpty() || typeName == null || typeName.isEmpty()) {
      throw MeridianException.invalid("A user type needs a keyspace and a name, got " + keyspace + "." + typeName);
    }
    if (fieldNames == null || fieldNames.size() != fieldTypes.size()) {
      throw MeridianException.invalid("User type " + typeName + " has " + fieldTypes.size() + " field types but "
          + (fieldNames == null ? "no" : Integer.toString(fieldNames.size())) + " field names");
    }
    Set<String> seen = new HashSet<>();
    for (String name : fieldNames) {
      if (name == null || name.isEmpty() || !seen.add(name)) {
        throw MeridianException.invalid(
            "User type " + typeName + " has an empty or duplicate field name: " + name);
      }
    }
    this.keyspace = keyspace;
    this.typeName = typeName;
    this.fieldNames = List.copyOf(fieldNames);
    this.declaredFieldTypes = List.copyOf(fieldTypes);
    this.frozen = frozen;
  }

  public String keyspace() {
    return keyspace;
  }

  /** The type's name, unquoted. */
  public String typeName() {
    return typeName;
  }

  /** keyspace.name, each part quoted if needed: how Cassandra names a user type in messages. */
  public String qualifiedName() {
    return Identifiers.maybeQuote(keyspace) + "." + Identifiers.maybeQuote(typeName);
  }

  /** The field types as declared (not frozen by this type's own frozen-ness). */
  public List<CqlType> declaredFieldTypes() {
    return declaredFieldTypes;
  }

  public List<String> fieldNames() {
    return fieldNames;
  }

  /** The position of the named field (exact, unquoted name), or -1. */
  public int fieldPosition(String name) {
    return fieldNames.indexOf(name);
  }

  public boolean isFrozen() {
    return frozen;
  }

  @Override
  public boolean isMultiCell() {
    return !frozen;
  }

  @Override
  public CqlType freeze() {
    return frozen ? this : withFrozen(true);
  }

  /** This type frozen or not (the same definition). */
  public UserType withFrozen(boolean frozen) {
    return frozen == this.frozen ? this : new UserType(keyspace, typeName, fieldNames, declaredFieldTypes, frozen);
  }

  @Override
  public String cqlName() {
    String name = Identifiers.maybeQuote(typeName);
    return frozen ? "frozen<" + name + ">" : name;
  }

  @Override
  public int protocolCode() {
    return 0x0030;
  }

  @Override
  public boolean orderable() {
    return frozen && super.orderable();
  }

  @Override
  String fieldLabel(int i) {
    return Identifiers.maybeQuote(fieldNames.get(i));
  }

  @Override
  MeridianException notKeyable() {
    return frozen ? null : MeridianException.invalid(
        "Non-frozen user types are not supported in PRIMARY KEY: " + cqlName() + "; use frozen<" + cqlName() + ">");
  }

  @Override
  String literalShape() {
    return "user type literal";
  }

  @Override
  public String toCqlLiteral(ByteBuffer value) {
    List<ByteBuffer> fields = readFields(value);
    StringJoiner out = new StringJoiner(", ", "{", "}");
    for (int i = 0; i < fields.size(); i++) {
      out.add(fieldLabel(i) + ": " + fieldLiteral(fields, i));
    }
    return out.toString();
  }

  /** A LinkedHashMap of every field name to its value (null for null fields), in declaration order. */
  @Override
  public Object decode(ByteBuffer value) {
    List<Object> values = decodeFields(value);
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < values.size(); i++) {
      out.put(fieldNames.get(i), values.get(i));
    }
    return out;
  }

  /** Accepts a Map from field name to value; absent fields are null, unknown names are refused. */
  @Override
  public ByteBuffer encode(Object value) {
    if (!(value instanceof Map<?, ?> map)) {
      throw MeridianException.invalid("Cannot encode " + (value == null ? "null" : value.getClass().getName())
          + " as " + cqlName() + "; expected a java.util.Map from field name to value");
    }
    List<Object> values = new ArrayList<>(fieldNames.size());
    for (String name : fieldNames) {
      values.add(map.get(name));
    }
    for (Object name : map.keySet()) {
      if (!(name instanceof String s) || !fieldNames.contains(s)) {
        throw MeridianException.invalid("Unknown field " + name + " for user type " + cqlName() + "; expected one of " + fieldNames);
      }
    }
    return encodeFields(values);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UserType other && other.frozen == frozen && other.keyspace.equals(keyspace)
        && other.typeName.equals(typeName) && other.fieldNames.equals(fieldNames)
        && other.fieldTypes().equals(fieldTypes());
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyspace, typeName, fieldNames, fieldTypes(), frozen);
  }
}
