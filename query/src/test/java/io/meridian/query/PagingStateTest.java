package io.meridian.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PagingStateTest {
  @Test
  void roundTripsEveryField() {
    PagingState s = new PagingState(77, -123456789L, new byte[] {1, 2, 3}, new byte[] {9, 8}, 500, 3);
    PagingState back = PagingState.decode(s.encode(), 77);
    assertEquals(-123456789L, back.token());
    assertArrayEquals(new byte[] {1, 2, 3}, back.partitionKey());
    assertArrayEquals(new byte[] {9, 8}, back.clustering());
    assertEquals(500, back.remainingLimit());
    assertEquals(3, back.remainingInPartition());
  }

  @Test
  void keepsTheDifferenceBetweenNoClusteringAndEmptyClustering() {
    assertNull(PagingState.decode(new PagingState(1, 0, new byte[0], null, 1, 1).encode(), 1).clustering());
    assertEquals(0, PagingState.decode(new PagingState(1, 0, new byte[0], new byte[0], 1, 1).encode(), 1).clustering().length);
  }

  @Test
  void rejectsAFlippedBit() {
    ByteBuffer encoded = new PagingState(5, 42, new byte[] {7}, new byte[] {7}, 10, 10).encode();
    for (int i = 0; i < encoded.remaining() * 8; i++) {
      ByteBuffer copy = ByteBuffer.allocate(encoded.remaining()).put(encoded.duplicate());
      copy.flip();
      copy.put(i / 8, (byte) (copy.get(i / 8) ^ (1 << (i % 8))));
      MeridianException e = assertThrows(MeridianException.class, () -> PagingState.decode(copy, 5));
      assertEquals(CqlErrorCode.PROTOCOL_ERROR, e.code());
    }
  }

  @Test
  void rejectsTruncatedAndForeignStates() {
    ByteBuffer encoded = new PagingState(5, 42, new byte[] {7}, null, 10, 10).encode();
    ByteBuffer truncated = encoded.duplicate();
    truncated.limit(truncated.limit() - 3);
    assertEquals(CqlErrorCode.PROTOCOL_ERROR,
        assertThrows(MeridianException.class, () -> PagingState.decode(truncated, 5)).code());
    MeridianException foreign = assertThrows(MeridianException.class, () -> PagingState.decode(encoded, 6));
    assertTrue(foreign.getMessage().contains("another query"), foreign.getMessage());
  }
}
