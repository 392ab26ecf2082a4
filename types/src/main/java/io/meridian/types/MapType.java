package io.meridian.types;

import io.meridian.common.MeridianException;
import java.nio.ByteBuffer;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * map&lt;K, V&gt;: entries with distinct keys kept sorted by the key type's order, as Cassandra
 * stores them. Input values in any order (with repeated keys) are valid; everything this class
 * writes is sorted with one entry per key (the last one given wins). Java value: a LinkedHashMap
 * in key order.
 */
public final class MapType extends CollectionType {
  private final CqlType key;
  private final CqlType value;

  public MapType(CqlType key, CqlType value, boolean frozen) {
    super("map", 0x0021, frozen, key, value);
    this.key = nested(key, frozen, "map");
    this.value = nested(value, frozen, "map");
    if (key.cqlName().equals("duration")) {
      throw MeridianException.invalid("Durations are not allowed as map keys: map<duration, " + value.cqlName() + ">");
    }
  }

  public CqlType keyType() {
    return key;
  }

  public CqlType valueType() {
    return value;
  }

  @Override
  String bareName() {
    return "map<" + key.cqlName() + ", " + value.cqlName() + ">";
  }

  @Override
  public CqlType freeze() {
    return isFrozen() ? this : new MapType(key, value, true);
  }

  @Override
  int itemsPerElement() {
    return 2;
  }

  @Override
  CqlType itemType(int i) {
    return i == 0 ? key : value;
  }

  @Override
  List<ByteBuffer> canonical(List<ByteBuffer> items) {
    if (isStrictlySortedByKey(items)) {
      return items;
    }
    List<Integer> order = new ArrayList<>(items.size() / 2);
    for (int i = 0; i < items.size(); i += 2) {
      order.add(i);
    }
    // List.sort is stable, so among equal keys the later entry stays later and is the one kept.
    order.sort((i, j) -> key.compare(items.get(i), items.get(j)));
    List<ByteBuffer> out = new ArrayList<>(items.size());
    for (int n = 0; n < order.size(); n++) {
      int i = order.get(n);
      boolean nextHasSameKey = n + 1 < order.size() && key.compare(items.get(i), items.get(order.get(n + 1))) == 0;
      if (!nextHasSameKey) {
        out.add(items.get(i));
        out.add(items.get(i + 1));
      }
    }
    return out;
  }

  private boolean isStrictlySortedByKey(List<ByteBuffer> items) {
    for (int i = 2; i < items.size(); i += 2) {
      if (key.compare(items.get(i - 2), items.get(i)) >= 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Serializes already-serialized entries sorted by key, keeping the last entry of a repeated key;
   * keys and values are validated, nulls refused.
   */
  public ByteBuffer serializeEntries(List<Map.Entry<ByteBuffer, ByteBuffer>> entries) {
    List<ByteBuffer> items = new ArrayList<>(2 * entries.size());
    for (Map.Entry<ByteBuffer, ByteBuffer> e : entries) {
      if (e.getKey() == null || e.getValue() == null) {
        throw MeridianException.invalid("null is not supported inside collections: "
            + (e.getKey() == null ? "key" : "value") + " of a " + cqlName() + " value");
      }
      key.validate(e.getKey()); // before sorting: compare() expects valid values
      value.validate(e.getValue());
      items.add(e.getKey());
      items.add(e.getValue());
    }
    return writeItems(canonical(items));
  }

  /** The entries of a valid value, one per key in key order, as slices sharing its bytes (do not write to them). */
  public List<Map.Entry<ByteBuffer, ByteBuffer>> entries(ByteBuffer value) {
    List<ByteBuffer> items = canonical(readItems(value));
    List<Map.Entry<ByteBuffer, ByteBuffer>> out = new ArrayList<>(items.size() / 2);
    for (int i = 0; i < items.size(); i += 2) {
      out.add(new SimpleImmutableEntry<>(items.get(i), items.get(i + 1)));
    }
    return Collections.unmodifiableList(out);
  }

  @Override
  public Object decode(ByteBuffer serialized) {
    List<ByteBuffer> items = canonical(readItems(serialized));
    Map<Object, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < items.size(); i += 2) {
      out.put(key.decode(items.get(i)), value.decode(items.get(i + 1)));
    }
    return out;
  }

  @Override
  public ByteBuffer encode(Object javaValue) {
    if (!(javaValue instanceof Map<?, ?> map)) {
      throw MeridianException.invalid("Cannot encode " + (javaValue == null ? "null" : javaValue.getClass().getName())
          + " as " + cqlName() + "; expected a java.util.Map");
    }
    List<Map.Entry<ByteBuffer, ByteBuffer>> entries = new ArrayList<>(map.size());
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw MeridianException.invalid("null is not supported inside collections: "
            + (e.getKey() == null ? "key" : "value") + " of a " + cqlName() + " value");
      }
      entries.add(new SimpleImmutableEntry<>(key.encode(e.getKey()), value.encode(e.getValue())));
    }
    return serializeEntries(entries);
  }
}
