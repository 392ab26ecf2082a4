package io.meridian.types;

import io.meridian.common.MeridianException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Shared body of tuples and user types: a fixed list of typed fields, each serialized as
 * [int length][bytes] with length -1 for null. A value may stop before the last fields (a user
 * type that gained fields after the value was written); the missing fields are null, so the
 * zero-length value is valid and means "all fields null".
 *
 * <p>Order: field by field, null before any value (including an empty one); a missing trailing
 * field counts as null. (Cassandra also equates trailing empty values with missing ones; that is
 * not transitive, so we do not copy it.)
 *
 * <p>Comparable form: fields up to the last non-null one, each as 0x01 (null) or 0x02 followed by
 * the field's comparable form, then the terminator 0x00. Dropping trailing nulls makes equal
 * values encode equally, and keys written before a user type gained a field stay readable.
 */
abstract class FieldsType extends CqlType {
  /** Ceiling on fields of one tuple or user type: the protocol describes them with a [short] count. */
  public static final int FIELDS_MAX = 65_535;

  private static final int MARKER_END = 0x00;
  private static final int MARKER_NULL = 0x01;
  private static final int MARKER_VALUE = 0x02;

  private final List<CqlType> fieldTypes;
  private final int nestingDepth;

  /** {@code fieldTypes} must already be in the form they take inside this type (e.g. frozen). */
  FieldsType(List<CqlType> fieldTypes, String what) {
    if (fieldTypes == null || fieldTypes.isEmpty() || fieldTypes.size() > FIELDS_MAX) {
      throw MeridianException.invalid(
          "A " + what + " needs 1 to " + FIELDS_MAX + " fields, got " + (fieldTypes == null ? "null" : fieldTypes.size()));
    }
    int depth = 0;
    for (CqlType t : fieldTypes) {
      if (t == null) {
        throw MeridianException.invalid("A field type of a " + what + " cannot be null");
      }
      if (t.cqlName().equals("counter")) {
        throw MeridianException.invalid("Counters are not allowed inside " + what + "s");
      }
      depth = Math.max(depth, t.nestingDepth());
    }
    this.fieldTypes = List.copyOf(fieldTypes);
    this.nestingDepth = depth + 1;
    CqlTypes.checkNestingDepth(nestingDepth, what);
  }

  static List<CqlType> frozenAll(List<CqlType> types) {
    if (types == null) {
      return null;
    }
    List<CqlType> out = new ArrayList<>(types.size());
    for (CqlType t : types) {
      out.add(t == null ? null : t.freeze());
    }
    return out;
  }

  /** The types of the fields, in order. */
  public final List<CqlType> fieldTypes() {
    return fieldTypes;
  }

  @Override
  final int nestingDepth() {
    return nestingDepth;
  }

  @Override
  public boolean orderable() {
    for (CqlType t : fieldTypes) {
      if (!t.orderable()) {
        return false;
      }
    }
    return true;
  }

  /** Fields of a value (validated), padded with nulls to the type's arity. */
  final List<ByteBuffer> readFields(ByteBuffer value) {
    List<ByteBuffer> fields = ValueFraming.readFields(value, fieldTypes.size(), cqlName());
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i) != null) {
        try {
          fieldTypes.get(i).validate(fields.get(i));
        } catch (MeridianException e) {
          throw MeridianException.invalid(
              "Invalid " + cqlName() + " value: field " + fieldLabel(i) + ": " + e.getMessage());
        }
      }
    }
    while (fields.size() < fieldTypes.size()) {
      fields.add(null);
    }
    return fields;
  }

  /** How field i is named in messages ("0" for a tuple, the field name for a user type). */
  abstract String fieldLabel(int i);

  /**
   * Serializes fields given already serialized; null entries are null fields. Fewer fields than
   * the type has are allowed (the rest are null); each non-null field is validated.
   */
  public final ByteBuffer serializeFields(List<ByteBuffer> fields) {
    if (fields.size() > fieldTypes.size()) {
      throw MeridianException.invalid(
          "Too many fields for " + cqlName() + ": got " + fields.size() + ", expected at most " + fieldTypes.size());
    }
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i) != null) {
        fieldTypes.get(i).validate(fields.get(i));
      }
    }
    return ValueFraming.writeFields(fields);
  }

  /** The fields of a valid value as slices sharing its bytes, null for null fields, always one per field of the type. */
  public final List<ByteBuffer> fields(ByteBuffer value) {
    return Collections.unmodifiableList(readFields(value));
  }

  @Override
  public final boolean emptyAllowed() {
    return true;
  }

  @Override
  public final void validate(ByteBuffer value) {
    readFields(value);
  }

  @Override
  public final int compare(ByteBuffer a, ByteBuffer b) {
    List<ByteBuffer> x = readFields(a);
    List<ByteBuffer> y = readFields(b);
    for (int i = 0; i < fieldTypes.size(); i++) {
      ByteBuffer fx = x.get(i);
      ByteBuffer fy = y.get(i);
      if (fx == null || fy == null) {
        if (fx != fy) {
          return fx == null ? -1 : 1;
        }
        continue;
      }
      int c = fieldTypes.get(i).compare(fx, fy);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** The INVALID error for a multi-cell value in a key, or null when the type may be a key. */
  abstract MeridianException notKeyable();

  @Override
  public final byte[] toComparable(ByteBuffer value) {
    MeridianException refusal = notKeyable();
    if (refusal != null) {
      throw refusal;
    }
    List<ByteBuffer> fields = readFields(value);
    int last = fields.size() - 1;
    while (last >= 0 && fields.get(last) == null) {
      last--;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i <= last; i++) {
      if (fields.get(i) == null) {
        out.write(MARKER_NULL);
      } else {
        out.write(MARKER_VALUE);
        out.writeBytes(fieldTypes.get(i).toComparable(fields.get(i)));
      }
    }
    out.write(MARKER_END);
    return out.toByteArray();
  }

  @Override
  public final ByteBuffer fromComparable(ByteBuffer src) {
    List<ByteBuffer> fields = new ArrayList<>();
    while (true) {
      int marker = Bytes.next(src) & 0xff;
      if (marker == MARKER_END) {
        break;
      }
      if (fields.size() == fieldTypes.size()) {
        throw MeridianException.invalid(
            "Corrupt comparable " + cqlName() + ": more than its " + fieldTypes.size() + " fields");
      }
      if (marker == MARKER_NULL) {
        fields.add(null);
      } else if (marker == MARKER_VALUE) {
        fields.add(fieldTypes.get(fields.size()).fromComparable(src));
      } else {
        throw MeridianException.invalid(
            "Corrupt comparable " + cqlName() + ": expected marker 0x00, 0x01 or 0x02, got 0x" + Integer.toHexString(marker));
      }
    }
    // serializeFields validates every field again: a key read back from storage is checked like input.
    return serializeFields(fields);
  }

  @Override
  public final ByteBuffer fromLiteral(LiteralKind kind, String text) {
    throw MeridianException.invalid(
        "Invalid " + kind + " constant for type " + cqlName() + "; expected a " + literalShape());
  }

  /** "tuple literal" or "user type literal", for the message above. */
  abstract String literalShape();

  /** The literal of field i (null prints as null). */
  final String fieldLiteral(List<ByteBuffer> fields, int i) {
    return fields.get(i) == null ? "null" : fieldTypes.get(i).toCqlLiteral(fields.get(i));
  }

  /** The Java values of the fields, null for null fields, one per field of the type. */
  final List<Object> decodeFields(ByteBuffer value) {
    List<ByteBuffer> fields = readFields(value);
    List<Object> out = new ArrayList<>(fields.size());
    for (int i = 0; i < fields.size(); i++) {
      out.add(fields.get(i) == null ? null : fieldTypes.get(i).decode(fields.get(i)));
    }
    return out;
  }

  /** Serializes Java field values (null for null fields); every field of the type is written. */
  final ByteBuffer encodeFields(List<?> values) {
    List<ByteBuffer> fields = new ArrayList<>(fieldTypes.size());
    for (int i = 0; i < fieldTypes.size(); i++) {
      Object v = i < values.size() ? values.get(i) : null;
      fields.add(v == null ? null : fieldTypes.get(i).encode(v));
    }
    return serializeFields(fields);
  }
}
