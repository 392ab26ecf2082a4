package io.meridian.storage.rocks;

import io.meridian.storage.Mutation;
import io.meridian.storage.ConditionalWrite;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.ReadRange;
import io.meridian.storage.Tablet;
import io.meridian.storage.TokenRange;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** One token range of one table; {@link #apply} is the only way rows reach the data column family. */
final class RocksTablet implements Tablet {
  private final RocksStorageEngine engine;
  private final UUID tableId;
  private final int index;
  private final TokenRange range;

  RocksTablet(RocksStorageEngine engine, UUID tableId, int index, TokenRange range) {
    this.engine = engine;
    this.tableId = tableId;
    this.index = index;
    this.range = range;
  }

  @Override
  public TokenRange range() {
    return range;
  }

  UUID tableId() {
    return tableId;
  }

  int index() {
    return index;
  }

  @Override
  public CompletableFuture<Void> apply(Mutation mutation) {
    return engine.submit(this, mutation);
  }

  @Override
  public <T> CompletableFuture<T> applyConditionally(PartitionKey key, ReadRange range, int nowSeconds,
                                                     ConditionalWrite<T> write) {
    return engine.submitConditional(this, key, range, nowSeconds, write);
  }

  @Override
  public String toString() {
    return "Tablet{table=" + tableId + ", index=" + index + ", range=(" + range.start() + ", " + range.end() + "]}";
  }
}
