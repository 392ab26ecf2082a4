package io.meridian.query;

import io.meridian.common.MeridianException;
import io.meridian.query.JsonCodec.JsonValueException;
import io.meridian.types.CqlDuration;
import io.meridian.types.CqlType;
import io.meridian.types.CqlTypes;
import io.meridian.types.LiteralKind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Scalar values from parsed JSON with Cassandra's rules and messages: numbers may come as JSON
 * numbers of a fitting kind or as strings (an int refuses 1.5 and 2147483648, "Expected an int
 * value, but got a Double: 1.5"); the empty string is the empty value for the types whose text
 * parser allows it; blobs are "0x..." strings; timestamps are milliseconds or date strings.
 */
final class JsonScalars {
  private JsonScalars() {}

  static ByteBuffer fromJson(CqlType type, Object parsed) {
    if (type == CqlTypes.TEXT || type == CqlTypes.ASCII) {
      if (!(parsed instanceof String s)) {
        throw mismatch(type == CqlTypes.ASCII ? "Expected an ascii string" : "Expected a UTF-8 string", parsed);
      }
      if (type == CqlTypes.ASCII) {
        for (int i = 0; i < s.length(); i++) {
          if (s.charAt(i) > 0x7f) {
            throw new JsonValueException("Invalid ASCII character in string literal: " + s);
          }
        }
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
      }
      return type.fromLiteral(LiteralKind.STRING, s);
    }
    if (type == CqlTypes.INT) {
      return integer(type, parsed, "Expected an int value", "Unable to make int from '%s'", p -> p instanceof Integer);
    }
    if (type == CqlTypes.BIGINT || type == CqlTypes.COUNTER) {
      return integer(type, parsed, "Expected a bigint value", "Unable to make long from '%s'",
          p -> p instanceof Integer || p instanceof Long);
    }
    if (type == CqlTypes.SMALLINT || type == CqlTypes.TINYINT) {
      // Cassandra reads any number or string through the text form here, so 1.5 fails to parse.
      boolean small = type == CqlTypes.SMALLINT;
      if (!(parsed instanceof String || parsed instanceof Number)) {
        throw mismatch(small ? "Expected a short value" : "Expected a byte value", parsed);
      }
      return fromString(type, String.valueOf(parsed), small ? "Unable to make short from '%s'" : "Unable to make byte from '%s'");
    }
    if (type == CqlTypes.VARINT) {
      String s = parsed instanceof String || parsed instanceof Number ? String.valueOf(parsed) : null;
      if (s == null || !s.matches("[+-]?\\d+")) {
        throw new JsonValueException("Value '" + JsonCodec.describe(parsed) + "' is not a valid representation of a varint value");
      }
      return ByteBuffer.wrap(new BigInteger(s).toByteArray());
    }
    if (type == CqlTypes.DECIMAL) {
      String s = parsed instanceof String || parsed instanceof Number ? String.valueOf(parsed) : null;
      if (s != null && s.isEmpty()) {
        return ByteBuffer.allocate(0);
      }
      try {
        if (s == null) {
          throw new NumberFormatException();
        }
        return type.encode(new BigDecimal(s));
      } catch (NumberFormatException e) {
        throw new JsonValueException("Value '" + JsonCodec.describe(parsed) + "' is not a valid representation of a decimal value");
      }
    }
    if (type == CqlTypes.FLOAT || type == CqlTypes.DOUBLE) {
      boolean isFloat = type == CqlTypes.FLOAT;
      if (parsed instanceof String s) {
        if (s.isEmpty()) {
          return ByteBuffer.allocate(0);
        }
        try {
          return isFloat ? type.encode(Float.parseFloat(s)) : type.encode(Double.parseDouble(s));
        } catch (NumberFormatException e) {
          throw new JsonValueException(String.format(isFloat ? "Unable to make float from '%s'" : "Unable to make double from '%s'", s));
        }
      }
      if (!(parsed instanceof Number n)) {
        throw mismatch(isFloat ? "Expected a float value" : "Expected a double value", parsed);
      }
      return isFloat ? type.encode(n.floatValue()) : type.encode(n.doubleValue());
    }
    if (type == CqlTypes.BOOLEAN) {
      if (parsed instanceof Boolean b) {
        return type.encode(b);
      }
      if (!(parsed instanceof String s)) {
        throw mismatch("Expected a boolean value", parsed);
      }
      if (s.isEmpty()) {
        return ByteBuffer.allocate(0);
      }
      if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
        return type.encode(s.equalsIgnoreCase("true"));
      }
      throw new JsonValueException("Unable to make boolean from '" + s + "'");
    }
    if (type == CqlTypes.BLOB) {
      if (!(parsed instanceof String s)) {
        throw new JsonValueException("Value '" + JsonCodec.describe(parsed) + "' is not a valid blob representation: expected a string");
      }
      if (!s.startsWith("0x")) {
        throw new JsonValueException("Value '" + s + "' is not a valid blob representation: "
            + "String representation of blob is missing 0x prefix: " + s);
      }
      if ((s.length() & 1) != 0 || !s.substring(2).matches("[0-9a-fA-F]*")) {
        throw new JsonValueException("Value '" + s + "' is not a valid blob representation: cannot parse '"
            + s.substring(2) + "' as hex bytes");
      }
      return type.fromLiteral(LiteralKind.HEX, s);
    }
    if (type == CqlTypes.TIMESTAMP) {
      if (parsed instanceof Integer || parsed instanceof Long) {
        return type.encode(Instant.ofEpochMilli(((Number) parsed).longValue()));
      }
      if (!(parsed instanceof String s)) {
        throw mismatch("Expected a long or a datestring representation of a timestamp value", parsed);
      }
      return s.isEmpty() ? ByteBuffer.allocate(0)
          : literal(type, LiteralKind.STRING, s, "Unable to coerce '%s' to a formatted date (long)");
    }
    if (type == CqlTypes.DATE) {
      return literal(type, LiteralKind.STRING, string(parsed, "Expected a string representation of a date value"),
          "Unable to coerce '%s' to a formatted date (long)");
    }
    if (type == CqlTypes.TIME) {
      return literal(type, LiteralKind.STRING, string(parsed, "Expected a string representation of a time value"),
          "Unable to coerce '%s' to a formatted time (long)");
    }
    if (type == CqlTypes.UUID || type == CqlTypes.TIMEUUID) {
      boolean time = type == CqlTypes.TIMEUUID;
      String s = string(parsed, time ? "Expected a string representation of a timeuuid" : "Expected a string representation of a uuid");
      if (s.isEmpty()) {
        return ByteBuffer.allocate(0);
      }
      ByteBuffer v;
      try {
        v = CqlTypes.UUID.fromLiteral(LiteralKind.UUID, s);
      } catch (MeridianException e) {
        throw new JsonValueException("Unable to make UUID from '" + s + "'");
      }
      if (time && ((UUID) CqlTypes.UUID.decode(v.duplicate())).version() != 1) {
        throw new JsonValueException("TimeUUID supports only version 1 UUIDs");
      }
      return v;
    }
    if (type == CqlTypes.INET) {
      String s = string(parsed, "Expected a string representation of an inet value");
      return s.isEmpty() ? ByteBuffer.allocate(0) : literal(type, LiteralKind.STRING, s, "Unable to make inet address from '%s'");
    }
    if (type == CqlTypes.DURATION) {
      String s = string(parsed, "Expected a string representation of a duration");
      if (s.isEmpty()) {
        return ByteBuffer.allocate(0);
      }
      try {
        return type.encode(CqlDuration.parse(s));
      } catch (MeridianException | IllegalArgumentException e) {
        throw new JsonValueException("Unable to convert '" + s + "' to a duration");
      }
    }
    throw new JsonValueException("JSON values of type " + type.cqlName() + " are not supported");
  }

  private static ByteBuffer integer(CqlType type, Object parsed, String mismatch, String unable,
                                    Predicate<Object> fits) {
    if (parsed instanceof String s) {
      return fromString(type, s, unable);
    }
    if (!(parsed instanceof Number) || !fits.test(parsed)) {
      throw mismatch(mismatch, parsed);
    }
    return type.encode(type == CqlTypes.INT ? (Object) ((Number) parsed).intValue() : (Object) ((Number) parsed).longValue());
  }

  /** An integer type from text, as Cassandra's fromString: "" is the empty value where the type has one. */
  private static ByteBuffer fromString(CqlType type, String s, String unable) {
    if (s.isEmpty()) {
      if (type.emptyAllowed()) {
        return ByteBuffer.allocate(0);
      }
      throw new JsonValueException(String.format(unable, s));
    }
    try {
      long v = Long.parseLong(s);
      Object boxed = switch (type.cqlName()) {
        case "int" -> Math.toIntExact(v);
        case "smallint" -> shortExact(v);
        case "tinyint" -> byteExact(v);
        default -> v;
      };
      return type.encode(boxed);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new JsonValueException(String.format(unable, s));
    }
  }

  private static short shortExact(long v) {
    if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
      throw new ArithmeticException("short overflow");
    }
    return (short) v;
  }

  private static byte byteExact(long v) {
    if (v < Byte.MIN_VALUE || v > Byte.MAX_VALUE) {
      throw new ArithmeticException("byte overflow");
    }
    return (byte) v;
  }

  private static String string(Object parsed, String mismatch) {
    if (!(parsed instanceof String s)) {
      throw mismatch(mismatch, parsed);
    }
    return s;
  }

  private static ByteBuffer literal(CqlType type, LiteralKind kind, String s, String unable) {
    try {
      return type.fromLiteral(kind, s);
    } catch (MeridianException e) {
      throw new JsonValueException(String.format(unable, s));
    }
  }

  private static JsonValueException mismatch(String expected, Object parsed) {
    return new JsonValueException(expected + ", but got a " + JsonCodec.className(parsed) + ": " + JsonCodec.describe(parsed));
  }
}
