package io.meridian.types;

import io.meridian.common.MeridianException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * list&lt;T&gt;: elements in insertion order, duplicates kept. Java value: a List of the element
 * type's Java values.
 */
public final class ListType extends CollectionType {
  private final CqlType element;

  public ListType(CqlType element, boolean frozen) {
    super("list", 0x0020, frozen, element);
    this.element = nested(element, frozen, "list");
  }

  public CqlType elementType() {
    return element;
  }

  @Override
  String bareName() {
    return "list<" + element.cqlName() + ">";
  }

  @Override
  public CqlType freeze() {
    return isFrozen() ? this : new ListType(element, true);
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
    return items;
  }

  /** Serializes already-serialized elements in the given order; each is validated, null refused. */
  public ByteBuffer serializeElements(List<ByteBuffer> elements) {
    return writeItems(elements);
  }

  /** The elements of a valid value, in order, as slices sharing its bytes (do not write to them). */
  public List<ByteBuffer> elements(ByteBuffer value) {
    return Collections.unmodifiableList(readItems(value));
  }

  @Override
  public Object decode(ByteBuffer value) {
    List<Object> out = new ArrayList<>();
    for (ByteBuffer e : readItems(value)) {
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
    List<ByteBuffer> items = new ArrayList<>(list.size());
    for (Object e : list) {
      if (e == null) {
        throw MeridianException.invalid("null is not supported inside collections: element of a " + cqlName() + " value");
      }
      items.add(element.encode(e));
    }
    return writeItems(items);
  }
}
