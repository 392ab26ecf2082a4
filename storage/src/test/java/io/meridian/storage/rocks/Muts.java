package io.meridian.storage.rocks;

import io.meridian.storage.Cell;
import io.meridian.storage.DeletionTime;
import io.meridian.storage.Mutation;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.RangeTombstone;
import io.meridian.storage.RowUpdate;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/** Small builders for test mutations. */
final class Muts {
  private Muts() {}

  static PartitionKey pk(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return new PartitionKey(token(b), b);
  }

  /** A deterministic stand-in token (tests do not need Murmur3). */
  static long token(byte[] b) {
    long h = 1125899906842597L;
    for (byte x : b) {
      h = 31 * h + x;
    }
    h ^= h >>> 29;
    h *= 0xbf58476d1ce4e5b9L;
    h ^= h >>> 32;
    return h == Long.MIN_VALUE ? Long.MAX_VALUE : h;
  }

  static byte[] b(int... xs) {
    byte[] out = new byte[xs.length];
    for (int i = 0; i < xs.length; i++) {
      out[i] = (byte) xs[i];
    }
    return out;
  }

  static byte[] s(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static RowUpdate row(byte[] clustering, Cell... cells) {
    return new RowUpdate(clustering, DeletionTime.LIVE, -1, 0, Cell.NO_DELETION_TIME, List.of(cells));
  }

  static RowUpdate insert(byte[] clustering, long ts, Cell... cells) {
    return new RowUpdate(clustering, DeletionTime.LIVE, ts, 0, Cell.NO_DELETION_TIME, List.of(cells));
  }

  static RowUpdate rowDelete(byte[] clustering, long ts, int now) {
    return new RowUpdate(clustering, new DeletionTime(ts, now), -1, 0, Cell.NO_DELETION_TIME, List.of());
  }

  static Mutation rows(UUID table, PartitionKey key, RowUpdate... rows) {
    return new Mutation(table, key, DeletionTime.LIVE, List.of(), List.of(rows));
  }

  static Mutation partitionDelete(UUID table, PartitionKey key, long ts, int now) {
    return new Mutation(table, key, new DeletionTime(ts, now), List.of(), List.of());
  }

  static Mutation rangeDelete(UUID table, PartitionKey key, byte[] start, byte[] end, long ts, int now) {
    return new Mutation(table, key, DeletionTime.LIVE, List.of(new RangeTombstone(start, end, new DeletionTime(ts, now))),
        List.of());
  }
}
