package io.meridian.types;

import io.meridian.common.MeridianException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * inet: 4 bytes (IPv4) or 16 bytes (IPv6), ordered by raw unsigned bytes (so every IPv4 address
 * whose bytes prefix an IPv6 address sorts before it). Literals are strings holding a numeric
 * address; host names are refused, so parsing never touches DNS. Java value: {@link InetAddress}.
 */
final class InetType extends BytesOrderedType {
  InetType() {
    super("inet", 0x0010);
  }

  @Override
  void validateNonEmpty(ByteBuffer value) {
    if (value.remaining() != 4 && value.remaining() != 16) {
      throw MeridianException.invalid(
          "Expected 4 or 16 bytes for an inet value (or 0 for empty), got " + value.remaining());
    }
  }

  @Override
  ByteBuffer parseLiteral(LiteralKind kind, String text) {
    if (kind != LiteralKind.STRING) {
      throw wrongKind(kind, text, "a string holding an IPv4 or IPv6 address");
    }
    return ByteBuffer.wrap(parseAddress(text.trim()).getAddress());
  }

  static InetAddress parseAddress(String t) {
    try {
      if (t.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
        byte[] octets = new byte[4];
        String[] parts = t.split("\\.");
        for (int i = 0; i < 4; i++) {
          int octet = Integer.parseInt(parts[i]);
          if (octet > 255) {
            throw badAddress(t);
          }
          octets[i] = (byte) octet;
        }
        return InetAddress.getByAddress(octets);
      }
      // With a ':' in it the JDK parses an IPv6 literal and never resolves a name.
      if (t.indexOf(':') >= 0 && t.matches("[0-9A-Fa-f:.]+")) {
        return InetAddress.getByName(t);
      }
    } catch (UnknownHostException e) {
      throw badAddress(t);
    }
    throw badAddress(t);
  }

  private static MeridianException badAddress(String t) {
    return MeridianException.invalid(
        "Unable to parse an inet address from '" + abbreviate(t) + "'; expected a numeric IPv4 or IPv6 address");
  }

  private static InetAddress address(ByteBuffer value) {
    try {
      byte[] bytes = Bytes.toArray(value);
      // Inet6Address directly: InetAddress.getByAddress would turn ::ffff:a.b.c.d into 4 bytes.
      return bytes.length == 16 ? Inet6Address.getByAddress(null, bytes, -1) : InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw MeridianException.invalid("Expected 4 or 16 bytes for an inet value, got " + value.remaining());
    }
  }

  @Override
  String literal(ByteBuffer value) {
    return "'" + address(value).getHostAddress() + "'";
  }

  @Override
  Object decodeNonEmpty(ByteBuffer value) {
    return address(value);
  }

  @Override
  ByteBuffer encodeValue(Object value) {
    if (!(value instanceof InetAddress)) {
      throw wrongJavaType(value, "java.net.InetAddress");
    }
    return ByteBuffer.wrap(((InetAddress) value).getAddress());
  }
}
