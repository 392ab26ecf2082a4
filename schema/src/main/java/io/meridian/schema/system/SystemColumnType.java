package io.meridian.schema.system;

import io.meridian.schema.Types;
import io.meridian.types.CqlType;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The types system tables use, with their native-protocol serialization (v4/v5: collection sizes
 * and element lengths are 4-byte ints). {@link #cqlType()} is the types module's type of the same
 * name; the serialization here stays as a second, independent implementation that the tests check
 * against it and against the driver.
 *
 * <p>Java values: TEXT String, UUID UUID, INT Integer, BIGINT Long, BOOLEAN Boolean, DOUBLE Double,
 * TIMEUUID UUID (version 1), INET InetAddress, BLOB ByteBuffer, TIMESTAMP Instant, lists List, sets Set, maps Map.
 */
public enum SystemColumnType {
  TEXT("text", 0x000D),
  UUID("uuid", 0x000C),
  TIMEUUID("timeuuid", 0x000F),
  INT("int", 0x0009),
  BIGINT("bigint", 0x0002),
  BOOLEAN("boolean", 0x0004),
  DOUBLE("double", 0x0007),
  INET("inet", 0x0010),
  BLOB("blob", 0x0003),
  TIMESTAMP("timestamp", 0x000B),
  SET_TEXT("set<text>", 0x0022, TEXT),
  FROZEN_SET_TEXT("frozen<set<text>>", 0x0022, TEXT),
  FROZEN_LIST_TEXT("frozen<list<text>>", 0x0020, TEXT),
  FROZEN_LIST_BOOLEAN("frozen<list<boolean>>", 0x0020, BOOLEAN),
  FROZEN_MAP_TEXT_TEXT("frozen<map<text, text>>", 0x0021, TEXT, TEXT),
  FROZEN_MAP_TEXT_BLOB("frozen<map<text, blob>>", 0x0021, TEXT, BLOB),
  MAP_UUID_BLOB("map<uuid, blob>", 0x0021, UUID, BLOB),
  MAP_TEXT_TEXT("map<text, text>", 0x0021, TEXT, TEXT);

  /** Ceiling on elements in one collection cell we serialize or read. */
  public static final int COLLECTION_ELEMENTS_MAX = 65_536;

  private final String cqlName;
  private final int protocolCode;
  private final List<SystemColumnType> elementTypes;
  private volatile CqlType cqlType;

  SystemColumnType(String cqlName, int protocolCode, SystemColumnType... elementTypes) {
    this.cqlName = cqlName;
    this.protocolCode = protocolCode;
    this.elementTypes = List.of(elementTypes);
  }

  /** As shown in system_schema.columns.type. */
  public String cqlName() {
    return cqlName;
  }

  /** The [option] id in result metadata: 0x20 list, 0x21 map, 0x22 set, else the scalar id. */
  public int protocolCode() {
    return protocolCode;
  }

  /** Element type of a list/set, or key then value type of a map; empty for scalars. */
  public List<SystemColumnType> elementTypes() {
    return elementTypes;
  }

  public boolean isCollection() {
    return !elementTypes.isEmpty();
  }

  /** The registry's type for this name (scalar or collection). */
  public CqlType cqlType() {
    CqlType type = cqlType;
    if (type == null) {
      type = Types.parse(cqlName);
      cqlType = type;
    }
    return type;
  }

  /** The cell value in native-protocol form, or null for a null cell. */
  public ByteBuffer serialize(Object value) {
    if (value == null) {
      return null;
    }
    switch (this) {
      case TEXT:
        return ByteBuffer.wrap(((String) value).getBytes(StandardCharsets.UTF_8));
      case UUID:
      case TIMEUUID: {
        java.util.UUID id = (java.util.UUID) value;
        return ByteBuffer.allocate(16).putLong(0, id.getMostSignificantBits()).putLong(8, id.getLeastSignificantBits());
      }
      case INT:
        return ByteBuffer.allocate(4).putInt(0, (Integer) value);
      case BIGINT:
        return ByteBuffer.allocate(8).putLong(0, (Long) value);
      case BOOLEAN:
        return ByteBuffer.wrap(new byte[] {(byte) (((Boolean) value) ? 1 : 0)});
      case DOUBLE:
        return ByteBuffer.allocate(8).putDouble(0, (Double) value);
      case INET:
        return ByteBuffer.wrap(((InetAddress) value).getAddress());
      case BLOB:
        return ((ByteBuffer) value).duplicate();
      case TIMESTAMP:
        return ByteBuffer.allocate(8).putLong(0, ((Instant) value).toEpochMilli());
      default:
        return serializeCollection(value);
    }
  }

  private ByteBuffer serializeCollection(Object value) {
    List<ByteBuffer> parts = new ArrayList<>();
    int count;
    if (elementTypes.size() == 2) {
      Map<?, ?> map = (Map<?, ?>) value;
      count = map.size();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        parts.add(element(elementTypes.get(0), e.getKey()));
        parts.add(element(elementTypes.get(1), e.getValue()));
      }
    } else {
      Collection<?> elements = (Collection<?>) value;
      count = elements.size();
      for (Object element : elements) {
        parts.add(element(elementTypes.get(0), element));
      }
    }
    if (count > COLLECTION_ELEMENTS_MAX) {
      throw new IllegalArgumentException(
          cqlName + " value has " + count + " elements, over the limit of " + COLLECTION_ELEMENTS_MAX);
    }
    int size = 4;
    for (ByteBuffer part : parts) {
      size += 4 + part.remaining();
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.putInt(count);
    for (ByteBuffer part : parts) {
      out.putInt(part.remaining());
      out.put(part.duplicate());
    }
    return out.flip();
  }

  private ByteBuffer element(SystemColumnType type, Object element) {
    if (element == null) {
      throw new IllegalArgumentException("null element in a " + cqlName + " value");
    }
    return type.serialize(element);
  }

  /** The inverse of {@link #serialize}; null for a null cell. Does not modify {@code bytes}. */
  public Object deserialize(ByteBuffer bytes) {
    if (bytes == null) {
      return null;
    }
    ByteBuffer b = bytes.duplicate();
    switch (this) {
      case TEXT:
        return StandardCharsets.UTF_8.decode(b).toString();
      case UUID:
      case TIMEUUID:
        return new java.util.UUID(b.getLong(b.position()), b.getLong(b.position() + 8));
      case INT:
        return b.getInt(b.position());
      case BIGINT:
        return b.getLong(b.position());
      case BOOLEAN:
        return b.get(b.position()) != 0;
      case DOUBLE:
        return b.getDouble(b.position());
      case INET: {
        byte[] address = new byte[b.remaining()];
        b.get(address);
        try {
          return InetAddress.getByAddress(address);
        } catch (java.net.UnknownHostException e) {
          throw new IllegalArgumentException("inet value of " + address.length + " bytes", e);
        }
      }
      case BLOB:
        return b.slice();
      case TIMESTAMP:
        return Instant.ofEpochMilli(b.getLong(b.position()));
      default:
        return deserializeCollection(b);
    }
  }

  private Object deserializeCollection(ByteBuffer b) {
    int count = b.getInt();
    if (count < 0 || count > COLLECTION_ELEMENTS_MAX) {
      throw new IllegalArgumentException("bad " + cqlName + " element count " + count);
    }
    if (elementTypes.size() == 2) {
      Map<Object, Object> map = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        Object key = elementTypes.get(0).deserialize(readElement(b));
        map.put(key, elementTypes.get(1).deserialize(readElement(b)));
      }
      return map;
    }
    Collection<Object> elements = protocolCode == 0x0022 ? new LinkedHashSet<>() : new ArrayList<>();
    for (int i = 0; i < count; i++) {
      elements.add(elementTypes.get(0).deserialize(readElement(b)));
    }
    return elements;
  }

  private static ByteBuffer readElement(ByteBuffer b) {
    int length = b.getInt();
    if (length < 0 || length > b.remaining()) {
      throw new IllegalArgumentException("bad collection element length " + length);
    }
    ByteBuffer element = b.slice();
    element.limit(length);
    b.position(b.position() + length);
    return element;
  }

  public static SystemColumnType fromCqlName(String name) {
    for (SystemColumnType type : values()) {
      if (type.cqlName.equals(name)) {
        return type;
      }
    }
    throw new IllegalArgumentException("Not a system column type: " + name);
  }
}
