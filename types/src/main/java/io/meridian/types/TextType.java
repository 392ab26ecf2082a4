package io.meridian.types;

import io.meridian.common.MeridianException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * text (alias varchar) as UTF-8, and ascii as 7-bit US-ASCII. Byte order is code point order for
 * both. Literals are strings; printed as 'quoted' with quotes doubled. Java value: String.
 */
final class TextType extends BytesOrderedType {
  private final boolean asciiOnly;

  TextType(boolean asciiOnly) {
    super(asciiOnly ? "ascii" : "text", asciiOnly ? 0x0001 : 0x000D);
    this.asciiOnly = asciiOnly;
  }

  @Override
  void validateNonEmpty(ByteBuffer value) {
    if (asciiOnly) {
      for (int i = value.position(); i < value.limit(); i++) {
        if (value.get(i) < 0) {
          throw MeridianException.invalid(
              "Invalid byte 0x" + Integer.toHexString(value.get(i) & 0xff) + " for ascii at offset "
                  + (i - value.position()) + "; expected 0x00-0x7f");
        }
      }
      return;
    }
    try {
      newDecoder().decode(value.duplicate());
    } catch (CharacterCodingException e) {
      throw MeridianException.invalid("Invalid UTF-8 bytes for text: " + e.getMessage());
    }
  }

  private static CharsetDecoder newDecoder() {
    return StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  private String string(ByteBuffer value) {
    return (asciiOnly ? StandardCharsets.US_ASCII : StandardCharsets.UTF_8).decode(value.duplicate()).toString();
  }

  @Override
  ByteBuffer parseLiteral(LiteralKind kind, String text) {
    if (kind != LiteralKind.STRING) {
      throw wrongKind(kind, text, "a string");
    }
    return serialize(text);
  }

  private ByteBuffer serialize(String s) {
    if (asciiOnly) {
      for (int i = 0; i < s.length(); i++) {
        if (s.charAt(i) > 0x7f) {
          throw MeridianException.invalid(
              "Invalid ASCII character U+" + String.format("%04X", (int) s.charAt(i)) + " at offset " + i
                  + " for type ascii; expected only characters U+0000-U+007F");
        }
      }
      return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }
    try {
      // The strict encoder refuses lone surrogates instead of silently writing '?'.
      return StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(s));
    } catch (CharacterCodingException e) {
      throw MeridianException.invalid("String is not valid Unicode (lone surrogate?) for type text");
    }
  }

  @Override
  boolean emptyHasLiteral() {
    return true;
  }

  @Override
  String literal(ByteBuffer value) {
    return "'" + string(value).replace("'", "''") + "'";
  }

  @Override
  Object emptyJavaValue() {
    return "";
  }

  @Override
  Object decodeNonEmpty(ByteBuffer value) {
    return string(value);
  }

  @Override
  ByteBuffer encodeValue(Object value) {
    if (!(value instanceof String)) {
      throw wrongJavaType(value, "java.lang.String");
    }
    return serialize((String) value);
  }
}
