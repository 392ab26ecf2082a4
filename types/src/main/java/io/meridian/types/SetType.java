package io.meridian.types;

import io.meridian.common.MeridianException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * set&lt;T&gt;: distinct elements kept sorted by the element type's order, as Cassandra stores
 * them. Input values in any order (with duplicates) are valid; everything this class writes is
 * sorted and duplicate-free. Java value: a LinkedHashSet in that order.
 */
public final class SetType extends CollectionType {
  private final CqlType element;

  public SetType(CqlType element, boolean frozen) {
    super("set", 0x0022, frozen, element);
    this.element = nested(element, frozen, "set");
    if (element.cqlName().equals("duration")) {
      throw MeridianException.invalid("Durations are not allowed inside sets: set<duration>");
    }
  }

  public CqlType elementType() {
    return element;
  }

  @Override
  String bareName() {
    return "set<" + element.cqlName() + ">";
  }

  @Override
  public CqlType freeze() {
    return isFrozen() ? this : new SetType(element, true);
  }

  @Override
  int itemsPerElement() {
    return 1;
  }

  @Override
  CqlType itemType(int i) {
    return element;
  }

  @Override
  List<ByteBuffer> canonical(List<ByteBuffer> items) {
    return sortedDistinct(items, element);
  }

  /** Serializes already-serialized elements sorted and without duplicates; each is validated, null refused. */
  public ByteBuffer serializeElements(List<ByteBuffer> elements) {
    for (ByteBuffer e : elements) {
      if (e == null) {
        throw MeridianException.invalid("null is not supported inside collections: element of a " + cqlName() + " value");
      }
      element.validate(e); // before sorting: compare() expects valid values
    }
    return writeItems(sortedDistinct(elements, element));
  }

  /** The distinct elements of a valid value in sorted order, as slices sharing its bytes (do not write to them). */
  public List<ByteBuffer> elements(ByteBuffer value) {
    return Collections.unmodifiableList(canonical(readItems(value)));
  }

  @Override
  public Object decode(ByteBuffer value) {
    Set<Object> out = new LinkedHashSet<>();
    for (ByteBuffer e : canonical(readItems(value))) {
      out.add(element.decode(e));
    }
    return out;
  }

  /** Accepts any Collection (a Set, or a List with possible duplicates). */
  @Override
  public ByteBuffer encode(Object value) {
    if (!(value instanceof Collection<?> set)) {
      throw MeridianException.invalid("Cannot encode " + (value == null ? "null" : value.getClass().getName())
          + " as " + cqlName() + "; expected a java.util.Set");
    }
    List<ByteBuffer> items = new ArrayList<>(set.size());
    for (Object e : set) {
      if (e == null) {
        throw MeridianException.invalid("null is not supported inside collections: element of a " + cqlName() + " value");
      }
      items.add(element.encode(e));
    }
    return serializeElements(items);
  }
}
