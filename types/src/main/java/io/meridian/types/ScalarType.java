package io.meridian.types;

import io.meridian.common.MeridianException;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * Shared skeleton of the scalar types: the "empty value" rules, argument checks and error wording
 * live here once, so each type only states what is specific to it.
 *
 * <p>Empty value: Cassandra lets most types hold a zero-length serialization, distinct from null.
 * It is valid where {@link #emptyAllowed} is true, sorts before every other value, and decodes to
 * null for types whose Java value has no natural empty form (numbers, uuids, ...).
 */
abstract class ScalarType extends CqlType {
  private final String name;
  private final int protocolCode;
  private final boolean emptyAllowed;

  ScalarType(String name, int protocolCode, boolean emptyAllowed) {
    this.name = name;
    this.protocolCode = protocolCode;
    this.emptyAllowed = emptyAllowed;
  }

  @Override
  public final String cqlName() {
    return name;
  }

  @Override
  public final int protocolCode() {
    return protocolCode;
  }

  @Override
  public final boolean emptyAllowed() {
    return emptyAllowed;
  }

  @Override
  public final void validate(ByteBuffer value) {
    if (value == null) {
      throw MeridianException.invalid("Expected a serialized " + name + " value, got null");
    }
    if (!value.hasRemaining()) {
      if (!emptyAllowed) {
        throw MeridianException.invalid("Empty value is not allowed for type " + name);
      }
      return;
    }
    validateNonEmpty(value);
  }

  /** Checks a non-empty serialization. */
  abstract void validateNonEmpty(ByteBuffer value);

  @Override
  public final int compare(ByteBuffer a, ByteBuffer b) {
    boolean emptyA = !a.hasRemaining();
    boolean emptyB = !b.hasRemaining();
    if (emptyA || emptyB) {
      return emptyA ? (emptyB ? 0 : -1) : 1;
    }
    return compareNonEmpty(a, b);
  }

  abstract int compareNonEmpty(ByteBuffer a, ByteBuffer b);

  @Override
  public final byte[] toComparable(ByteBuffer value) {
    validate(value);
    return comparable(value);
  }

  /** The comparable form of a valid value (possibly empty). */
  abstract byte[] comparable(ByteBuffer value);

  @Override
  public final ByteBuffer fromComparable(ByteBuffer src) {
    ByteBuffer value = fromComparableUnchecked(src);
    // A key read back from storage is checked again: corruption must not leak out as a value.
    validate(value);
    return value;
  }

  abstract ByteBuffer fromComparableUnchecked(ByteBuffer src);

  @Override
  public final ByteBuffer fromLiteral(LiteralKind kind, String text) {
    if (kind == null || text == null) {
      throw MeridianException.invalid("Expected a " + name + " literal, got null");
    }
    return parseLiteral(kind, text);
  }

  abstract ByteBuffer parseLiteral(LiteralKind kind, String text);

  /** The standard complaint for a literal of a kind this type does not accept. */
  final MeridianException wrongKind(LiteralKind kind, String text, String expected) {
    return MeridianException.invalid(
        "Invalid " + kind + " constant (" + abbreviate(text) + ") for type " + name + "; expected " + expected);
  }

  static String abbreviate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 61) + "...";
  }

  @Override
  public final String toCqlLiteral(ByteBuffer value) {
    validate(value);
    if (!value.hasRemaining() && !emptyHasLiteral()) {
      // No plain literal denotes the empty value; the conversion function does.
      return "blobAs" + Character.toUpperCase(name.charAt(0)) + name.substring(1) + "(0x)";
    }
    return literal(value);
  }

  /** True for types whose own literal syntax can express the empty value ('' or 0x). */
  boolean emptyHasLiteral() {
    return false;
  }

  abstract String literal(ByteBuffer value);

  @Override
  public final Object decode(ByteBuffer value) {
    validate(value);
    if (!value.hasRemaining()) {
      return emptyJavaValue();
    }
    return decodeNonEmpty(value);
  }

  /** The Java value of the empty serialization; null unless the Java type has an empty form. */
  Object emptyJavaValue() {
    return null;
  }

  abstract Object decodeNonEmpty(ByteBuffer value);

  @Override
  public final ByteBuffer encode(Object value) {
    if (value == null) {
      throw MeridianException.invalid("Cannot encode null as " + name + "; null is not a value");
    }
    ByteBuffer out = encodeValue(value);
    validate(out);
    return out;
  }

  abstract ByteBuffer encodeValue(Object value);

  final MeridianException wrongJavaType(Object value, String expected) {
    return MeridianException.invalid(
        "Cannot encode " + value.getClass().getName() + " as " + name + "; expected " + expected);
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
