package io.meridian.types;

import io.meridian.common.MeridianException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * vector&lt;T, n&gt; (Cassandra 5): exactly n non-null elements of a scalar type T. Elements of a
 * fixed-width type (int, bigint, float, double, boolean, uuid, timeuuid, timestamp) are
 * concatenated without lengths; other elements each carry an unsigned [vint] length first.
 * Ordered element by element; the comparable form is the elements' comparable forms in a row (the
 * dimension is fixed, so no terminator is needed). Java value: a List of the element values.
 *
 * <p>On the wire a vector is a custom type (option id 0x0000) named by {@link #customClassName()}.
 * Only scalar element types are supported so far.
 */
public final class VectorType extends CqlType {
  /** Ceiling on the dimension, the same as on the elements of a collection. */
  public static final int DIMENSION_MAX = CollectionType.ELEMENTS_MAX;

  /** Cassandra's marshal class of each scalar type, for the custom type name. */
  private static final Map<String, String> MARSHAL_CLASSES = Map.ofEntries(
      Map.entry("ascii", "AsciiType"), Map.entry("bigint", "LongType"), Map.entry("blob", "BytesType"),
      Map.entry("boolean", "BooleanType"), Map.entry("date", "SimpleDateType"),
      Map.entry("decimal", "DecimalType"), Map.entry("double", "DoubleType"),
      Map.entry("duration", "DurationType"), Map.entry("float", "FloatType"),
      Map.entry("inet", "InetAddressType"), Map.entry("int", "Int32Type"), Map.entry("smallint", "ShortType"),
      Map.entry("text", "UTF8Type"), Map.entry("time", "TimeType"), Map.entry("timestamp", "TimestampType"),
      Map.entry("timeuuid", "TimeUUIDType"), Map.entry("tinyint", "ByteType"), Map.entry("uuid", "UUIDType"),
      Map.entry("varint", "IntegerType"));

  /** Element widths of the types Cassandra serializes without a length inside a vector. */
  private static final Map<String, Integer> FIXED_WIDTHS = Map.of(
      "int", 4, "bigint", 8, "float", 4, "double", 8, "boolean", 1, "uuid", 16, "timeuuid", 16, "timestamp", 8);

  private static final String MARSHAL_PACKAGE = "org.apache.cassandra.db.marshal.";

  private final CqlType element;
  private final int dimension;
  private final int fixedWidth; // 0 when elements carry a length

  public VectorType(CqlType element, int dimension) {
    if (element == null || !MARSHAL_CLASSES.containsKey(element.cqlName())) {
      throw MeridianException.invalid("Unsupported vector element type " + (element == null ? "null" : element.cqlName())
          + "; expected a scalar type other than counter");
    }
    if (dimension < 1 || dimension > DIMENSION_MAX) {
      throw MeridianException.invalid(
          "Invalid vector dimension " + dimension + "; expected 1 to " + DIMENSION_MAX);
    }
    this.element = element;
    this.dimension = dimension;
    this.fixedWidth = FIXED_WIDTHS.getOrDefault(element.cqlName(), 0);
  }

  public CqlType elementType() {
    return element;
  }

  public int dimension() {
    return dimension;
  }

  /** The custom type class name that describes this vector in result metadata. */
  public String customClassName() {
    return MARSHAL_PACKAGE + "VectorType(" + MARSHAL_PACKAGE + MARSHAL_CLASSES.get(element.cqlName()) + "," + dimension + ")";
  }

  @Override
  public String cqlName() {
    return "vector<" + element.cqlName() + ", " + dimension + ">";
  }

  @Override
  public int protocolCode() {
    return 0x0000;
  }

  @Override
  int nestingDepth() {
    return 1;
  }

  @Override
  public boolean emptyAllowed() {
    return false;
  }

  @Override
  public boolean orderable() {
    return element.orderable();
  }

  /** The elements of a valid value as slices sharing its bytes, always {@link #dimension()} of them. */
  public List<ByteBuffer> elements(ByteBuffer value) {
    if (value == null) {
      throw MeridianException.invalid("Expected a serialized " + cqlName() + " value, got null");
    }
    ByteBuffer src = value.duplicate();
    List<ByteBuffer> out = new ArrayList<>(Math.min(dimension, 1024));
    for (int i = 0; i < dimension; i++) {
      int length = fixedWidth;
      if (fixedWidth == 0) {
        long declared = VInt.readUnsigned(src);
        if (declared > src.remaining()) {
          throw MeridianException.invalid("Invalid " + cqlName() + " value: element " + i + " of " + declared
              + " bytes but only " + src.remaining() + " bytes remain");
        }
        length = (int) declared;
      } else if (src.remaining() < fixedWidth) {
        throw MeridianException.invalid("Invalid " + cqlName() + " value: expected " + (dimension * fixedWidth)
            + " bytes, got " + value.remaining());
      }
      ByteBuffer e = src.slice().limit(length);
      src.position(src.position() + length);
      try {
        element.validate(e);
      } catch (MeridianException ex) {
        throw MeridianException.invalid("Invalid " + cqlName() + " value: element " + i + ": " + ex.getMessage());
      }
      out.add(e);
    }
    if (src.hasRemaining()) {
      throw MeridianException.invalid(
          "Invalid " + cqlName() + " value: " + src.remaining() + " bytes left after " + dimension + " elements");
    }
    return Collections.unmodifiableList(out);
  }

  /** Serializes exactly {@link #dimension()} already-serialized, non-null elements. */
  public ByteBuffer serializeElements(List<ByteBuffer> elements) {
    if (elements.size() != dimension) {
      throw MeridianException.invalid(
          "Invalid vector literal for " + cqlName() + ": expected " + dimension + " elements, got " + elements.size());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (ByteBuffer e : elements) {
      if (e == null) {
        throw MeridianException.invalid("null is not supported inside vectors: " + cqlName());
      }
      element.validate(e);
      if (fixedWidth == 0) {
        VInt.writeUnsigned(e.remaining(), out);
      } else if (e.remaining() != fixedWidth) {
        throw MeridianException.invalid("Invalid " + cqlName() + " element: expected " + fixedWidth + " bytes, got " + e.remaining());
      }
      out.writeBytes(Bytes.toArray(e));
    }
    return ByteBuffer.wrap(out.toByteArray());
  }

  @Override
  public void validate(ByteBuffer value) {
    elements(value);
  }

  @Override
  public int compare(ByteBuffer a, ByteBuffer b) {
    List<ByteBuffer> x = elements(a);
    List<ByteBuffer> y = elements(b);
    for (int i = 0; i < dimension; i++) {
      int c = element.compare(x.get(i), y.get(i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  @Override
  public byte[] toComparable(ByteBuffer value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (ByteBuffer e : elements(value)) {
      out.writeBytes(element.toComparable(e));
    }
    return out.toByteArray();
  }

  @Override
  public ByteBuffer fromComparable(ByteBuffer src) {
    List<ByteBuffer> elements = new ArrayList<>(Math.min(dimension, 1024));
    for (int i = 0; i < dimension; i++) {
      elements.add(element.fromComparable(src));
    }
    return serializeElements(elements);
  }

  @Override
  public ByteBuffer fromLiteral(LiteralKind kind, String text) {
    throw MeridianException.invalid("Invalid " + kind + " constant for type " + cqlName() + "; expected a vector literal [...]");
  }

  @Override
  public String toCqlLiteral(ByteBuffer value) {
    StringBuilder sb = new StringBuilder("[");
    for (ByteBuffer e : elements(value)) {
      sb.append(sb.length() > 1 ? ", " : "").append(element.toCqlLiteral(e));
    }
    return sb.append(']').toString();
  }

  @Override
  public Object decode(ByteBuffer value) {
    List<Object> out = new ArrayList<>(dimension);
    for (ByteBuffer e : elements(value)) {
      out.add(element.decode(e));
    }
    return out;
  }

  @Override
  public ByteBuffer encode(Object value) {
    if (!(value instanceof List<?> list)) {
      throw MeridianException.invalid("Cannot encode " + (value == null ? "null" : value.getClass().getName())
          + " as " + cqlName() + "; expected a java.util.List");
    }
    List<ByteBuffer> elements = new ArrayList<>(list.size());
    for (Object e : list) {
      if (e == null) {
        throw MeridianException.invalid("null is not supported inside vectors: " + cqlName());
      }
      elements.add(element.encode(e));
    }
    return serializeElements(elements);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VectorType other && other.dimension == dimension && other.element.equals(element);
  }

  @Override
  public int hashCode() {
    return element.hashCode() * 31 + dimension;
  }
}
