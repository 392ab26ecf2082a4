package io.meridian.protocol.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Lz4CompressionTest {
  private final Lz4Compression lz4 = new Lz4Compression(PooledByteBufAllocator.DEFAULT, 1 << 20);

  private static ByteBuf sample(int size) {
    byte[] data = new byte[size];
    new Random(7).nextBytes(data);
    for (int i = 0; i < size; i += 3) {
      data[i] = 'z';
    }
    return Unpooled.wrappedBuffer(data);
  }

  @Test
  void roundTripWithAndWithoutLengthPrefix() {
    ByteBuf original = sample(200_000);
    ByteBuf compressed = lz4.compress(original.duplicate());
    assertEquals(200_000, compressed.getInt(compressed.readerIndex()));
    ByteBuf restored = lz4.decompress(compressed);
    assertEquals(original, restored);
    restored.release();
    compressed.release();

    ByteBuf bare = lz4.compressWithoutLength(original.duplicate());
    ByteBuf restoredBare = lz4.decompressWithoutLength(bare, 200_000);
    assertEquals(original, restoredBare);
    restoredBare.release();
    bare.release();
    original.release();
  }

  @Test
  void refusesAnnouncedLengthAboveTheBoundBeforeAllocating() {
    ByteBuf input = Unpooled.buffer().writeInt(1 << 21).writeZero(10);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> lz4.decompress(input));
    assertTrue(e.getMessage().contains("2097152"), e.getMessage());
    input.release();
  }

  @Test
  void refusesMalformedBlocksAndWrongLengths() {
    ByteBuf garbage = Unpooled.wrappedBuffer(new byte[] {(byte) 0xF0, 1, 2, 3, 4, 5});
    assertThrows(IllegalArgumentException.class, () -> lz4.decompressWithoutLength(garbage, 1000));
    garbage.release();

    ByteBuf original = sample(1000);
    ByteBuf bare = lz4.compressWithoutLength(original.duplicate());
    assertThrows(IllegalArgumentException.class, () -> lz4.decompressWithoutLength(bare, 999));
    bare.release();
    original.release();
  }
}
