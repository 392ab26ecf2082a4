package io.meridian.types;

import io.meridian.common.MeridianException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * list, set and map. A value is framed as {@link ValueFraming} describes: an element count, then
 * each element (a map entry is its key then its value). Null elements are not allowed.
 *
 * <p>Limits: at most {@link #ELEMENTS_MAX} elements per value (Cassandra's own ceiling for one
 * collection in a query), and at most {@link CqlTypes#NESTING_DEPTH_MAX} levels of nesting.
 *
 * <p>Order (for frozen values in keys): element by element with the element type's order (for maps:
 * key, then value), and when one value is a prefix of the other the shorter sorts first. Sets and
 * maps are compared in their canonical form (sorted by element or key, duplicates dropped).
 *
 * <p>Comparable form: each element as 0x01 followed by the comparable form of its item(s), then
 * 0x00. Element encodings are prefix-free, so a shorter value's 0x00 meets the longer value's 0x01
 * and sorts first, as compare() says.
 */
public abstract class CollectionType extends CqlType {
  /** Ceiling on elements in one collection value (map: entries), checked by validate(). */
  public static final int ELEMENTS_MAX = 65_535;

  private static final int MARKER_END = 0x00;
  private static final int MARKER_ELEMENT = 0x01;

  private final String kind;
  private final int protocolCode;
  private final boolean frozen;
  private final int nestingDepth;

  CollectionType(String kind, int protocolCode, boolean frozen, CqlType... parameters) {
    this.kind = kind;
    this.protocolCode = protocolCode;
    this.frozen = frozen;
    int depth = 0;
    for (CqlType p : parameters) {
      if (p != null) { // a null parameter is refused by nested() in the subclass
        depth = Math.max(depth, p.nestingDepth());
      }
    }
    this.nestingDepth = depth + 1;
    CqlTypes.checkNestingDepth(nestingDepth, kind);
  }

  /**
   * The parameter as it may appear inside this collection: frozen inside a frozen collection;
   * refused when multi-cell inside a non-frozen one, as Cassandra does.
   */
  static CqlType nested(CqlType parameter, boolean frozen, String kind) {
    if (parameter == null) {
      throw MeridianException.invalid("The element type of a " + kind + " cannot be null");
    }
    if (parameter.cqlName().equals("counter")) {
      throw MeridianException.invalid("Counters are not allowed inside collections: " + kind + "<counter>");
    }
    if (frozen) {
      return parameter.freeze();
    }
    if (parameter.isMultiCell()) {
      // Cassandra's wording, which names the kind of the nested type.
      String nested = parameter instanceof UserType ? "UDTs" : "collections";
      throw MeridianException.invalid(
          "Non-frozen " + nested + " are not allowed inside collections: " + kind + "<"
              + parameter.cqlName() + ">");
    }
    return parameter;
  }

  /** Whether the value is one immutable cell (frozen&lt;...&gt;), usable in keys and nested types. */
  public final boolean isFrozen() {
    return frozen;
  }

  @Override
  public final boolean isMultiCell() {
    return !frozen;
  }

  @Override
  public final int protocolCode() {
    return protocolCode;
  }

  @Override
  final int nestingDepth() {
    return nestingDepth;
  }

  /** "list<int>" without the frozen wrapper. */
  abstract String bareName();

  @Override
  public final String cqlName() {
    return frozen ? "frozen<" + bareName() + ">" : bareName();
  }

  /** 1 for lists and sets, 2 for maps (key and value). */
  abstract int itemsPerElement();

  /** Type of item i of an element (0 for lists and sets; 0 key and 1 value for maps). */
  abstract CqlType itemType(int i);

  /**
   * Elements in canonical order: a list as is; a set sorted with duplicates dropped; a map sorted
   * by key with the last of equal keys kept. {@code items} holds itemsPerElement() per element.
   */
  abstract List<ByteBuffer> canonical(List<ByteBuffer> items);

  /** The items of a value (validated), in serialized order. */
  final List<ByteBuffer> readItems(ByteBuffer value) {
    List<ByteBuffer> items = ValueFraming.readCollection(value, itemsPerElement(), ELEMENTS_MAX, cqlName());
    int per = itemsPerElement();
    for (int i = 0; i < items.size(); i++) {
      CqlType type = itemType(i % per);
      try {
        type.validate(items.get(i));
      } catch (MeridianException e) {
        throw MeridianException.invalid(
            "Invalid " + cqlName() + " value: " + itemRole(i % per) + " " + (i / per) + ": " + e.getMessage());
      }
    }
    return items;
  }

  private String itemRole(int i) {
    return itemsPerElement() == 1 ? "element" : (i == 0 ? "key of entry" : "value of entry");
  }

  /** Serializes items (itemsPerElement() per element), checking each against its type and the ceiling. */
  final ByteBuffer writeItems(List<ByteBuffer> items) {
    int per = itemsPerElement();
    int count = items.size() / per;
    if (count > ELEMENTS_MAX) {
      throw MeridianException.invalid(
          "Too many elements for " + cqlName() + ": " + count + "; at most " + ELEMENTS_MAX + " are allowed");
    }
    for (int i = 0; i < items.size(); i++) {
      ByteBuffer item = items.get(i);
      if (item == null) {
        throw MeridianException.invalid("null is not supported inside collections: " + itemRole(i % per) + " "
            + (i / per) + " of a " + cqlName() + " value");
      }
      itemType(i % per).validate(item);
    }
    return ValueFraming.writeCollection(count, items);
  }

  @Override
  public final boolean emptyAllowed() {
    // A collection always has its element count; the zero-length value is malformed.
    return false;
  }

  @Override
  public final boolean orderable() {
    if (!frozen) {
      return false;
    }
    for (int i = 0; i < itemsPerElement(); i++) {
      if (!itemType(i).orderable()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public final void validate(ByteBuffer value) {
    readItems(value);
  }

  @Override
  public final int compare(ByteBuffer a, ByteBuffer b) {
    List<ByteBuffer> x = canonical(readItems(a));
    List<ByteBuffer> y = canonical(readItems(b));
    int per = itemsPerElement();
    int common = Math.min(x.size(), y.size());
    for (int i = 0; i < common; i++) {
      int c = itemType(i % per).compare(x.get(i), y.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.size(), y.size());
  }

  @Override
  public final byte[] toComparable(ByteBuffer value) {
    if (!frozen) {
      throw MeridianException.invalid(
          "Non-frozen collections are not supported in PRIMARY KEY: " + cqlName() + "; use frozen<" + cqlName() + ">");
    }
    List<ByteBuffer> items = canonical(readItems(value));
    int per = itemsPerElement();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < items.size(); i++) {
      if (i % per == 0) {
        out.write(MARKER_ELEMENT);
      }
      out.writeBytes(itemType(i % per).toComparable(items.get(i)));
    }
    out.write(MARKER_END);
    return out.toByteArray();
  }

  @Override
  public final ByteBuffer fromComparable(ByteBuffer src) {
    int per = itemsPerElement();
    List<ByteBuffer> items = new ArrayList<>();
    while (true) {
      int marker = Bytes.next(src) & 0xff;
      if (marker == MARKER_END) {
        break;
      }
      if (marker != MARKER_ELEMENT) {
        throw MeridianException.invalid(
            "Corrupt comparable " + cqlName() + ": expected marker 0x00 or 0x01, got 0x" + Integer.toHexString(marker));
      }
      if (items.size() / per == ELEMENTS_MAX) {
        throw MeridianException.invalid(
            "Corrupt comparable " + cqlName() + ": more than " + ELEMENTS_MAX + " elements");
      }
      for (int i = 0; i < per; i++) {
        items.add(itemType(i).fromComparable(src));
      }
    }
    // writeItems validates every item again: a key read back from storage is checked like input.
    return writeItems(items);
  }

  @Override
  public final ByteBuffer fromLiteral(LiteralKind kind, String text) {
    throw MeridianException.invalid(
        "Invalid " + kind + " constant for type " + cqlName() + "; expected a " + this.kind + " literal");
  }

  @Override
  public final String toCqlLiteral(ByteBuffer value) {
    List<ByteBuffer> items = canonical(readItems(value));
    int per = itemsPerElement();
    StringBuilder sb = new StringBuilder().append(kind.equals("list") ? '[' : '{');
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        sb.append(i % per == 0 ? ", " : ": ");
      }
      sb.append(itemType(i % per).toCqlLiteral(items.get(i)));
    }
    return sb.append(kind.equals("list") ? ']' : '}').toString();
  }

  /** Sorts single-item elements by {@code type} and drops duplicates (keeping the first). */
  static List<ByteBuffer> sortedDistinct(List<ByteBuffer> elements, CqlType type) {
    if (isStrictlySorted(elements, type)) {
      return elements;
    }
    List<ByteBuffer> sorted = new ArrayList<>(elements);
    sorted.sort(type::compare);
    List<ByteBuffer> out = new ArrayList<>(sorted.size());
    for (ByteBuffer e : sorted) {
      if (out.isEmpty() || type.compare(out.get(out.size() - 1), e) != 0) {
        out.add(e);
      }
    }
    return out;
  }

  private static boolean isStrictlySorted(List<ByteBuffer> elements, CqlType type) {
    for (int i = 1; i < elements.size(); i++) {
      if (type.compare(elements.get(i - 1), elements.get(i)) >= 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    if (o == null || o.getClass() != getClass()) {
      return false;
    }
    CollectionType other = (CollectionType) o;
    if (other.frozen != frozen) {
      return false;
    }
    for (int i = 0; i < itemsPerElement(); i++) {
      if (!itemType(i).equals(other.itemType(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = kind.hashCode() * 31 + Boolean.hashCode(frozen);
    for (int i = 0; i < itemsPerElement(); i++) {
      h = h * 31 + itemType(i).hashCode();
    }
    return h;
  }
}
