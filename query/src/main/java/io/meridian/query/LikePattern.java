package io.meridian.query;

import io.meridian.common.MeridianException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A LIKE pattern in the forms Cassandra's SASI indexes accept: {@code 'abc%'} (prefix),
 * {@code '%abc'} (suffix), {@code '%abc%'} (contains) and {@code 'abc'} (exact match). Only a
 * leading and a trailing {@code %} are wildcards; any other {@code %} is an ordinary character, as
 * in Cassandra. Matching compares UTF-8 bytes, which for valid UTF-8 is the same as comparing
 * characters: case-sensitive, no normalization.
 */
record LikePattern(Kind kind, byte[] text, String source) {

  enum Kind { PREFIX, SUFFIX, CONTAINS, EXACT }

  static LikePattern parse(ByteBuffer value) {
    String source = StandardCharsets.UTF_8.decode(value.duplicate()).toString();
    boolean leading = source.startsWith("%");
    boolean trailing = source.length() > (leading ? 1 : 0) && source.endsWith("%");
    Kind kind = leading && trailing ? Kind.CONTAINS : trailing ? Kind.PREFIX : leading ? Kind.SUFFIX : Kind.EXACT;
    String text = source.substring(leading ? 1 : 0, source.length() - (trailing ? 1 : 0));
    if (text.isEmpty()) {
      throw MeridianException.invalid("LIKE value can't be empty.");
    }
    return new LikePattern(kind, text.getBytes(StandardCharsets.UTF_8), source);
  }

  boolean matches(ByteBuffer value) {
    int start = value.position();
    int length = value.remaining();
    if (length < text.length) {
      return false;
    }
    return switch (kind) {
      case EXACT -> length == text.length && regionMatches(value, start);
      case PREFIX -> regionMatches(value, start);
      case SUFFIX -> regionMatches(value, start + length - text.length);
      case CONTAINS -> contains(value, start, length);
    };
  }

  private boolean contains(ByteBuffer value, int start, int length) {
    for (int offset = start; offset <= start + length - text.length; offset++) {
      if (regionMatches(value, offset)) {
        return true;
      }
    }
    return false;
  }

  private boolean regionMatches(ByteBuffer value, int offset) {
    for (int i = 0; i < text.length; i++) {
      if (value.get(offset + i) != text[i]) {
        return false;
      }
    }
    return true;
  }
}
