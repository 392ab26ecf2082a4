package io.meridian.query;

import io.meridian.storage.Mutation;
import io.meridian.storage.PartitionData;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.ReadRange;
import io.meridian.storage.StorageEngine;
import io.meridian.storage.StoredRow;
import io.meridian.storage.Tablet;
import io.meridian.storage.TokenRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Partitions in a map, in ring order, for tests of the query layer's read paths: reads honour
 * clustering ranges, direction and row limits; it keeps no indexes and takes no writes.
 */
class MemoryStorage implements StorageEngine {
  final Map<PartitionKey, PartitionData> partitions = new TreeMap<>(
      Comparator.comparingLong(PartitionKey::token).thenComparing(PartitionKey::serialized, Arrays::compareUnsigned));

  @Override
  public Optional<PartitionData> readPartition(UUID tableId, PartitionKey key, ReadRange range, int nowSeconds) {
    PartitionData data = partitions.get(key);
    return data == null ? Optional.empty() : Optional.of(slice(data, range));
  }

  private static PartitionData slice(PartitionData data, ReadRange range) {
    List<StoredRow> rows = new ArrayList<>();
    for (StoredRow r : data.rows()) {
      boolean afterStart = Arrays.compareUnsigned(r.clustering(), range.start()) >= 0;
      boolean beforeEnd = range.end() == null || Arrays.compareUnsigned(r.clustering(), range.end()) < 0;
      if (afterStart && beforeEnd) {
        rows.add(r);
      }
    }
    if (range.reversed()) {
      java.util.Collections.reverse(rows);
    }
    return new PartitionData(data.key(), data.staticRow(), rows.subList(0, Math.min(rows.size(), range.limitRows())));
  }

  @Override
  public PartitionIterator scan(UUID tableId, TokenRange tokens, PartitionKey after, ReadRange perPartition, int nowSeconds) {
    List<PartitionData> selected = new ArrayList<>();
    for (PartitionData d : partitions.values()) {
      boolean pastAfter = after == null || d.key().token() > after.token()
          || (d.key().token() == after.token() && Arrays.compareUnsigned(d.key().serialized(), after.serialized()) > 0);
      if (tokens.contains(d.key().token()) && pastAfter) {
        selected.add(slice(d, perPartition));
      }
    }
    Iterator<PartitionData> it = selected.iterator();
    return new PartitionIterator() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public PartitionData next() {
        return it.next();
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public void createTable(UUID tableId, int tabletCount) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void dropTable(UUID tableId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<Void> truncate(UUID tableId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<Tablet> tablets(UUID tableId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Tablet tabletFor(UUID tableId, long token) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<Void> applyAtomically(List<Mutation> mutations) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
