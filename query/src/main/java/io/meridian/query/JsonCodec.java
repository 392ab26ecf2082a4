package io.meridian.query;

import io.meridian.types.CollectionType;
import io.meridian.types.CqlType;
import io.meridian.types.CqlTypes;
import io.meridian.types.ListType;
import io.meridian.types.MapType;
import io.meridian.types.SetType;
import io.meridian.types.TupleType;
import io.meridian.types.UserType;
import io.meridian.types.VectorType;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON form of CQL values, as Apache Cassandra writes and reads it.
 *
 * <p>Writing ({@link #toJson}): numbers and booleans are bare (float/double NaN and infinities
 * become {@code null}, since JSON has no such numbers); text, uuids, inet, date, time and duration
 * are strings; timestamps are {@code "yyyy-MM-dd HH:mm:ss.SSSZ"} in UTC; blobs are {@code "0x..."}
 * strings; lists, sets, tuples and vectors are arrays; maps and user types are objects. JSON object
 * keys must be strings, so a map key whose JSON is not a string is written as a string holding its
 * JSON. An empty value (zero bytes, not null) of a type that has no natural empty form is written
 * as {@code ""}.
 *
 * <p>Reading ({@link #fromJson}) takes what {@link JsonParser} produces and is lenient the way
 * Cassandra is: numbers, booleans and collections may also come as strings (a string given for a
 * collection, tuple or user type is parsed as JSON). Errors are {@link JsonValueException}s whose
 * messages are Cassandra's.
 */
final class JsonCodec {
  private static final DateTimeFormatter TIMESTAMP_FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSX", Locale.ROOT).withZone(ZoneOffset.UTC);

  private JsonCodec() {}

  /** A JSON value that cannot become a value of the receiving type (Cassandra's MarshalException). */
  static final class JsonValueException extends RuntimeException {
    JsonValueException(String message) {
      super(message);
    }
  }

  // ---- CQL value -> JSON text ----

  /** The JSON text of a value of {@code type}; {@code "null"} for null. */
  static String toJson(CqlType type, ByteBuffer value) {
    StringBuilder sb = new StringBuilder();
    write(sb, type, value);
    return sb.toString();
  }

  private static void write(StringBuilder sb, CqlType type, ByteBuffer value) {
    if (value == null) {
      sb.append("null");
      return;
    }
    if (!value.hasRemaining() && !(type instanceof CollectionType) && type != CqlTypes.BLOB) {
      sb.append("\"\""); // the empty value: also what text and ascii give
      return;
    }
    if (type instanceof ListType lt) {
      writeArray(sb, lt.elementType(), lt.elements(value));
    } else if (type instanceof SetType st) {
      writeArray(sb, st.elementType(), st.elements(value));
    } else if (type instanceof VectorType vt) {
      writeArray(sb, vt.elementType(), vt.elements(value));
    } else if (type instanceof MapType mt) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<ByteBuffer, ByteBuffer> e : mt.entries(value)) {
        if (!first) {
          sb.append(", ");
        }
        first = false;
        String key = toJson(mt.keyType(), e.getKey());
        // JSON keys are strings: a key whose JSON is not a string becomes a string holding it.
        if (key.startsWith("\"")) {
          sb.append(key);
        } else {
          appendQuoted(sb, key);
        }
        sb.append(": ");
        write(sb, mt.valueType(), e.getValue());
      }
      sb.append('}');
    } else if (type instanceof UserType ut) {
      List<ByteBuffer> fields = ut.fields(value);
      sb.append('{');
      for (int i = 0; i < ut.fieldTypes().size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        appendQuoted(sb, jsonKey(ut.fieldNames().get(i)));
        sb.append(": ");
        write(sb, ut.fieldTypes().get(i), i < fields.size() ? fields.get(i) : null);
      }
      sb.append('}');
    } else if (type instanceof TupleType tt) {
      writeArray(sb, tt.fieldTypes(), tt.fields(value));
    } else {
      writeScalar(sb, type, value);
    }
  }

  private static void writeArray(StringBuilder sb, CqlType elementType, List<ByteBuffer> elements) {
    sb.append('[');
    for (int i = 0; i < elements.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      write(sb, elementType, elements.get(i));
    }
    sb.append(']');
  }

  private static void writeArray(StringBuilder sb, List<CqlType> types, List<ByteBuffer> elements) {
    sb.append('[');
    for (int i = 0; i < types.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      write(sb, types.get(i), i < elements.size() ? elements.get(i) : null);
    }
    sb.append(']');
  }

  private static void writeScalar(StringBuilder sb, CqlType type, ByteBuffer value) {
    Object o = type.decode(value.duplicate());
    if (type == CqlTypes.TEXT || type == CqlTypes.ASCII) {
      appendQuoted(sb, (String) o);
    } else if (type == CqlTypes.BLOB) {
      sb.append("\"0x");
      for (int i = value.position(); i < value.limit(); i++) {
        sb.append(Character.forDigit((value.get(i) >> 4) & 0xF, 16)).append(Character.forDigit(value.get(i) & 0xF, 16));
      }
      sb.append('"');
    } else if (o instanceof Float f) {
      sb.append(f.isNaN() || f.isInfinite() ? "null" : f.toString());
    } else if (o instanceof Double d) {
      sb.append(d.isNaN() || d.isInfinite() ? "null" : d.toString());
    } else if (o instanceof Number || o instanceof Boolean) {
      sb.append(o); // int types, varint, decimal (BigDecimal.toString, exponent form kept as Cassandra does)
    } else if (o instanceof Instant i) {
      sb.append('"').append(TIMESTAMP_FORMAT.format(i)).append('"');
    } else if (o instanceof LocalTime t) {
      sb.append('"').append(String.format("%02d:%02d:%02d.%09d", t.getHour(), t.getMinute(), t.getSecond(), t.getNano()))
          .append('"');
    } else if (o instanceof InetAddress a) {
      sb.append('"').append(a.getHostAddress()).append('"');
    } else if (o instanceof io.meridian.types.CqlDuration d && d.months() == 0 && d.days() == 0 && d.nanoseconds() == 0) {
      sb.append("\"\""); // Cassandra writes a zero duration as an empty string
    } else {
      // uuid, timeuuid, date (yyyy-mm-dd), duration (1h30m): their string forms need no escaping
      appendQuoted(sb, String.valueOf(o));
    }
  }

  /**
   * The JSON key for a column, alias or field name: names that are not all lower case are wrapped
   * in double quotes, as they would be written in CQL, so the key can be given back to INSERT JSON.
   */
  static String jsonKey(String name) {
    return name.equals(name.toLowerCase(Locale.ROOT)) ? name : "\"" + name + "\"";
  }

  /** Appends {@code s} as a JSON string, escaping as Jackson does (quote, backslash, control characters). */
  static void appendQuoted(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04X", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  // ---- parsed JSON -> CQL value ----

  /**
   * The serialized value of {@code type} for a non-null parsed JSON value. A JSON null is the
   * caller's business (a null column or field; refused inside collections).
   */
  static ByteBuffer fromJson(CqlType type, Object parsed) {
    if (type instanceof ListType lt) {
      List<?> list = asList(parsed, "Expected a list, but got a %s: %s");
      List<ByteBuffer> out = new ArrayList<>(list.size());
      for (Object e : list) {
        if (e == null) {
          throw new JsonValueException("Invalid null element in list");
        }
        out.add(fromJson(lt.elementType(), e));
      }
      return lt.serializeElements(out);
    }
    if (type instanceof SetType st) {
      List<?> list = asList(parsed, "Expected a list (representing a set), but got a %s: %s");
      List<ByteBuffer> out = new ArrayList<>(list.size());
      for (Object e : list) {
        if (e == null) {
          throw new JsonValueException("Invalid null element in set");
        }
        out.add(fromJson(st.elementType(), e));
      }
      return st.serializeElements(out);
    }
    if (type instanceof VectorType vt) {
      List<?> list = asList(parsed, "Expected a list, but got a %s: %s");
      if (list.size() != vt.dimension()) {
        throw new JsonValueException("Expected a list of " + vt.dimension() + " elements for " + vt.cqlName()
            + ", but got " + list.size() + ": " + list);
      }
      List<ByteBuffer> out = new ArrayList<>(list.size());
      for (Object e : list) {
        if (e == null) {
          throw new JsonValueException("Invalid null element in vector");
        }
        out.add(fromJson(vt.elementType(), e));
      }
      return vt.serializeElements(out);
    }
    if (type instanceof MapType mt) {
      Map<?, ?> map = asMap(parsed, "Expected a map, but got a %s: %s");
      List<Map.Entry<ByteBuffer, ByteBuffer>> out = new ArrayList<>(map.size());
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (e.getValue() == null) {
          throw new JsonValueException("Invalid null value in map");
        }
        // Keys are JSON strings; every type accepts its value as a string here.
        out.add(new AbstractMap.SimpleImmutableEntry<>(fromJson(mt.keyType(), e.getKey()), fromJson(mt.valueType(), e.getValue())));
      }
      return mt.serializeEntries(out);
    }
    if (type instanceof UserType ut) {
      Map<String, Object> fields = caseSensitiveKeys(asMap(parsed, "Expected a map, but got a %s: %s"));
      List<ByteBuffer> out = new ArrayList<>(ut.fieldTypes().size());
      for (int i = 0; i < ut.fieldTypes().size(); i++) {
        Object v = fields.remove(ut.fieldNames().get(i));
        out.add(v == null ? null : fromJson(ut.fieldTypes().get(i), v));
      }
      if (!fields.isEmpty()) {
        throw new JsonValueException("Unknown field '" + fields.keySet().iterator().next() + "' in value of user defined type "
            + ut.typeName());
      }
      return ut.serializeFields(out);
    }
    if (type instanceof TupleType tt) {
      List<?> list = asList(parsed, "Expected a list representation of a tuple, but got a %s: %s");
      int expected = tt.fieldTypes().size();
      if (list.size() > expected) {
        throw new JsonValueException("Tuple contains extra items (expected " + expected + "): " + list);
      }
      if (list.size() < expected) {
        throw new JsonValueException("Tuple is missing items (expected " + expected + "): " + list);
      }
      List<ByteBuffer> out = new ArrayList<>(expected);
      for (int i = 0; i < expected; i++) {
        Object v = list.get(i);
        out.add(v == null ? null : fromJson(tt.fieldTypes().get(i), v));
      }
      return tt.serializeFields(out);
    }
    return JsonScalars.fromJson(type, parsed);
  }

  /**
   * Object keys with Cassandra's case rules: a key in double quotes is taken as written (without
   * the quotes), any other key is lower-cased, as an unquoted CQL identifier would be.
   */
  static Map<String, Object> caseSensitiveKeys(Map<?, ?> map) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = (String) e.getKey();
      if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
        key = key.substring(1, key.length() - 1);
      } else {
        key = key.toLowerCase(Locale.ROOT);
      }
      out.put(key, e.getValue());
    }
    return out;
  }

  private static List<?> asList(Object parsed, String error) {
    Object v = decodeIfString(parsed);
    if (!(v instanceof List<?> list)) {
      throw new JsonValueException(String.format(error, className(v), describe(v)));
    }
    return list;
  }

  private static Map<?, ?> asMap(Object parsed, String error) {
    Object v = decodeIfString(parsed);
    if (!(v instanceof Map<?, ?> map)) {
      throw new JsonValueException(String.format(error, className(v), describe(v)));
    }
    return map;
  }

  /** Collections, tuples and user types may be given as a string holding their JSON (map keys always are). */
  private static Object decodeIfString(Object parsed) {
    if (!(parsed instanceof String s)) {
      return parsed;
    }
    try {
      return JsonParser.parse(s);
    } catch (JsonParser.JsonSyntaxException e) {
      throw new JsonValueException("Could not decode JSON string '" + s + "': " + e.getMessage());
    }
  }

  /** The Java class name Cassandra's messages show for a parsed JSON value ("Integer", "ArrayList"). */
  static String className(Object v) {
    if (v instanceof List) {
      return "ArrayList";
    }
    if (v instanceof Map) {
      return "LinkedHashMap";
    }
    return v == null ? "null" : v.getClass().getSimpleName();
  }

  /** A parsed JSON value as Java prints it in Cassandra's messages ([a, b], {k=v}). */
  static String describe(Object v) {
    return String.valueOf(v);
  }
}
