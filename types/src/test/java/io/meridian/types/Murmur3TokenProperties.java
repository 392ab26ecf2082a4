package io.meridian.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.datastax.oss.driver.internal.core.metadata.token.Murmur3Token;
import com.datastax.oss.driver.internal.core.metadata.token.Murmur3TokenFactory;
import io.meridian.common.MeridianException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * Token-aware drivers hash partition keys themselves; if our token differs from theirs, requests
 * go to the wrong replica. The driver's own Murmur3 implementation is therefore the oracle.
 */
class Murmur3TokenProperties {
  private static final Murmur3TokenFactory DRIVER = new Murmur3TokenFactory();

  private static long driverToken(ByteBuffer key) {
    return ((Murmur3Token) DRIVER.hash(key.duplicate())).getValue();
  }

  @Property(tries = 3000)
  void tokenMatchesDriver(@ForAll @Size(min = 1, max = 80) byte[] key) {
    ByteBuffer buffer = ByteBuffer.wrap(key);
    assertEquals(driverToken(buffer), io.meridian.types.Murmur3Token.token(buffer));
    assertEquals(0, buffer.position(), "the key buffer must not be moved");
  }

  @Property(tries = 500)
  void compositeKeysHashLikeTheDriver(@ForAll @Size(min = 2, max = 4) List<@Size(max = 20) byte[]> parts) {
    List<ByteBuffer> components = new ArrayList<>();
    for (byte[] p : parts) {
      components.add(ByteBuffer.wrap(p));
    }
    ByteBuffer key = io.meridian.types.Murmur3Token.compositeKey(components);
    assertEquals(driverCompositeKey(components), key);
    assertEquals(driverToken(key), io.meridian.types.Murmur3Token.token(key));
  }

  /** The composite layout written independently here, to check the production code against. */
  private static ByteBuffer driverCompositeKey(List<ByteBuffer> components) {
    int size = 0;
    for (ByteBuffer c : components) {
      size += 3 + c.remaining();
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    for (ByteBuffer c : components) {
      out.put((byte) (c.remaining() >> 8)).put((byte) c.remaining()).put(c.duplicate()).put((byte) 0);
    }
    return out.flip();
  }

  @Example
  void fixedVectorsCoverEveryTailLength() {
    // Lengths 1..33 cover every tail length with 0, 1 and 2 full blocks; bytes >= 0x80 exercise the
    // sign extension in the tail.
    for (int length = 1; length <= 33; length++) {
      byte[] key = new byte[length];
      for (int i = 0; i < length; i++) {
        key[i] = (byte) (0x80 + 37 * i);
      }
      assertEquals(driverToken(ByteBuffer.wrap(key)), io.meridian.types.Murmur3Token.token(ByteBuffer.wrap(key)));
    }
  }

  @Example
  void knownTokens() {
    // int 1 gives the token familiar from Cassandra's documentation examples; the others were
    // computed once with the driver and pin the sign-extended tail (0x80, 0x90) behaviour.
    assertEquals(-4069959284402364209L, io.meridian.types.Murmur3Token.token(ByteBuffer.allocate(4).putInt(0, 1)));
    assertEquals(6292367497774912474L, io.meridian.types.Murmur3Token.token(ByteBuffer.allocate(8).putLong(0, 1)));
    assertEquals(-3491679398145667316L,
        io.meridian.types.Murmur3Token.token(ByteBuffer.wrap("meridian".getBytes(StandardCharsets.UTF_8))));
    byte[] signedTail = {(byte) 0x80, (byte) 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, (byte) 0x90};
    assertEquals(2522276820547751874L, io.meridian.types.Murmur3Token.token(ByteBuffer.wrap(signedTail)));
    assertEquals(io.meridian.types.Murmur3Token.MINIMUM, io.meridian.types.Murmur3Token.token(ByteBuffer.allocate(0)));
  }

  @Example
  void singleComponentIsTheValueAndOversizedComponentsAreRefused() {
    ByteBuffer v = ByteBuffer.wrap(new byte[] {1, 2, 3});
    assertEquals(v, io.meridian.types.Murmur3Token.compositeKey(List.of(v)));
    ByteBuffer huge = ByteBuffer.allocate(io.meridian.types.Murmur3Token.COMPONENT_BYTES_MAX + 1);
    assertThrows(MeridianException.class, () -> io.meridian.types.Murmur3Token.compositeKey(List.of(v, huge)));
  }
}
