package io.meridian.query;

import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.response.result.Void;
import io.meridian.common.MeridianException;
import io.meridian.cql.ast.Batch.BatchType;
import io.meridian.cql.ast.Delete;
import io.meridian.cql.ast.ModificationStatement;
import io.meridian.cql.ast.Relation;
import io.meridian.cql.ast.Update;
import io.meridian.schema.TableMetadata;
import io.meridian.storage.ConditionalWrite.Decision;
import io.meridian.storage.Mutation;
import io.meridian.storage.PartitionData;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.ReadRange;
import io.meridian.storage.StorageEngine;
import io.meridian.storage.StoredRow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Executes INSERT, UPDATE, DELETE and batches of them. Three paths:
 * <ul>
 *   <li>blind writes (the common case) become mutations applied directly;
 *   <li>writes that need the current row (counters, list operations by index or value) run as a
 *       read-decide-write step per partition, so concurrent updates never lose each other;
 *   <li>conditional writes (IF ...) are lightweight transactions, see {@link LightweightTransaction}.
 * </ul>
 * Writes to a base table with materialized views always run as read-decide-write steps per base
 * partition, which also derive the view writes ({@link ViewMaintenance}); tables without views keep
 * the blind path.
 */
final class WriteExecutor {
  /** One statement with its table and bound values. */
  record Item(TableMetadata table, ModificationStatement statement, Terms terms) {}

  private final StorageEngine storage;
  private final LightweightTransaction transactions;
  private final ClientWarnings.BatchThresholds batchThresholds;
  private final Supplier<io.meridian.schema.Schema> schema;
  /** Views by base table id, computed once per schema version. */
  private volatile ViewIndex viewIndex;

  private record ViewIndex(io.meridian.schema.Schema schema, Map<UUID, List<TableMetadata>> byBase) {}

  WriteExecutor(StorageEngine storage, WriteTimestamps timestamps, Supplier<io.meridian.schema.Schema> schema,
                ClientWarnings.BatchThresholds batchThresholds) {
    this.storage = storage;
    this.schema = schema;
    this.transactions = new LightweightTransaction(storage, timestamps, this::views);
    this.batchThresholds = batchThresholds;
  }

  /** The materialized views of {@code table}, ready for maintenance; empty for most tables. */
  List<ViewMaintenance.View> views(TableMetadata table) {
    io.meridian.schema.Schema current = schema.get();
    ViewIndex index = viewIndex;
    if (index == null || index.schema != current) {
      Map<UUID, List<TableMetadata>> byBase = new java.util.HashMap<>();
      for (var ks : current.keyspaces().values()) {
        for (TableMetadata t : ks.tables().values()) {
          if (t.isView()) {
            byBase.computeIfAbsent(t.view().baseTableId(), k -> new ArrayList<>()).add(t);
          }
        }
      }
      index = new ViewIndex(current, byBase);
      viewIndex = index;
    }
    List<TableMetadata> views = index.byBase.get(table.id());
    if (views == null) {
      return List.of();
    }
    TableMetadata base = current.table(table.keyspace(), table.name()).orElse(table);
    return ViewMaintenance.prepare(base, views);
  }

  private static void checkNotView(List<Item> items) {
    for (Item i : items) {
      if (i.table().isView()) {
        throw MeridianException.invalid("Cannot directly modify a materialized view");
      }
    }
  }

  CompletionStage<Message> execute(Item item, long defaultTimestampMicros, int nowSeconds) {
    checkNotView(List.of(item));
    if (LightweightTransaction.isConditional(item.statement())) {
      RequestContext.trace("Lightweight transaction on one partition: condition checked and write applied in one step on its tablet");
      return transactions.execute(List.of(item), false, nowSeconds);
    }
    if (ModificationBuilder.needsRead(item.table(), item.statement())) {
      RequestContext.trace("Write needs the current row (counter or list operation): read and write in one step per partition");
      return readThenWrite(List.of(item), null, defaultTimestampMicros, nowSeconds);
    }
    ModificationBuilder builder = new ModificationBuilder(item.terms(), defaultTimestampMicros, nowSeconds);
    List<Mutation> mutations = builder.build(item.table(), item.statement(), null);
    if (RequestContext.tracing()) {
      RequestContext.trace(TraceEvents.mutations(
          item.statement().getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT), item.table(), mutations));
    }
    if (!views(item.table()).isEmpty()) {
      return applyWithViews(List.of(item), mutations, nowSeconds);
    }
    return applyAll(mutations);
  }

  CompletionStage<Message> batch(BatchType type, List<Item> items, Long batchTimestampMicros,
                                 long defaultTimestampMicros, int nowSeconds) {
    checkNotView(items);
    checkCounters(type, items, batchTimestampMicros);
    if (items.stream().anyMatch(i -> LightweightTransaction.isConditional(i.statement()))) {
      if (batchTimestampMicros != null) {
        throw MeridianException.invalid("Cannot provide custom timestamp for conditional BATCH");
      }
      RequestContext.trace("Batch with conditions: checked and applied in one step on the partition's tablet");
      return transactions.execute(items, true, nowSeconds);
    }
    boolean withViews = items.stream().anyMatch(i -> !views(i.table()).isEmpty());
    if (items.stream().anyMatch(i -> ModificationBuilder.needsRead(i.table(), i.statement()))) {
      if (type == BatchType.LOGGED && !withViews) {
        return readThenWriteAtomically(items, batchTimestampMicros, defaultTimestampMicros, nowSeconds);
      }
      return readThenWrite(items, batchTimestampMicros, defaultTimestampMicros, nowSeconds);
    }
    List<Mutation> mutations = new ArrayList<>();
    Map<java.util.UUID, TableMetadata> tables = new java.util.HashMap<>();
    for (Item item : items) {
      ModificationBuilder builder = new ModificationBuilder(item.terms(), defaultTimestampMicros, nowSeconds);
      mutations.addAll(builder.build(item.table(), item.statement(), batchTimestampMicros));
      tables.put(item.table().id(), item.table());
    }
    boolean logged = type == BatchType.LOGGED;
    if (RequestContext.tracing()) {
      RequestContext.trace(TraceEvents.batch(logged, items.size(), mutations, tables));
    }
    ClientWarnings.checkBatch(logged, mutations, tables, batchThresholds);
    if (withViews) {
      return applyWithViews(items, mutations, nowSeconds);
    }
    return logged ? applyAtomically(mutations) : applyAll(mutations);
  }

  /**
   * Applies blind mutations when some of their tables have views: one read-decide-write step per
   * base partition with views (the base write and its view rows land together), a plain atomic
   * apply per partition of the other tables. A batch over several partitions is atomic per
   * partition here, not as a whole (see docs/compatibility.md).
   */
  private CompletionStage<Message> applyWithViews(List<Item> items, List<Mutation> mutations, int nowSeconds) {
    Map<UUID, TableMetadata> tables = new java.util.HashMap<>();
    items.forEach(i -> tables.put(i.table().id(), i.table()));
    Map<String, List<Mutation>> groups = new LinkedHashMap<>();
    for (Mutation m : mutations) {
      groups.computeIfAbsent(m.tableId() + "/" + Arrays.toString(m.key().serialized()), k -> new ArrayList<>()).add(m);
    }
    List<CompletableFuture<?>> futures = new ArrayList<>();
    for (List<Mutation> group : groups.values()) {
      Mutation first = group.get(0);
      TableMetadata table = tables.get(first.tableId());
      List<ViewMaintenance.View> views = views(table);
      if (views.isEmpty()) {
        futures.add(storage.applyAtomically(group));
        continue;
      }
      futures.add(storage.applyConditionally(table.id(), first.key(), rangeTouchedBy(group), nowSeconds,
          ViewMaintenance.write(table, views, group, nowSeconds)));
    }
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(v -> Void.INSTANCE);
  }

  /** Every row the mutations of one partition can change: the whole partition if they delete more than rows. */
  private static ReadRange rangeTouchedBy(List<Mutation> group) {
    List<byte[]> rows = new ArrayList<>();
    for (Mutation m : group) {
      if (!m.partitionDeletion().isLive() || !m.rangeTombstones().isEmpty()) {
        return ReadRange.all();
      }
      m.rows().forEach(u -> rows.add(u.clustering()));
    }
    return PartitionReads.covering(rows);
  }

  /** Cassandra's rules on mixing counter and other statements in a batch. */
  private static void checkCounters(BatchType type, List<Item> items, Long batchTimestampMicros) {
    boolean counters = items.stream().anyMatch(i -> i.table().isCounter());
    boolean others = items.stream().anyMatch(i -> !i.table().isCounter());
    if (counters && batchTimestampMicros != null) {
      throw MeridianException.invalid("Cannot provide custom timestamp for counter BATCH");
    }
    if (type == BatchType.COUNTER && others) {
      throw MeridianException.invalid("Cannot include non-counter statement in a counter batch");
    }
    if (type == BatchType.LOGGED && counters) {
      throw MeridianException.invalid("Cannot include a counter statement in a logged batch");
    }
    if (counters && others) {
      throw MeridianException.invalid("Counter and non-counter mutations cannot exist in the same batch");
    }
  }

  /**
   * One read-decide-write step per partition: the statements' mutations for that partition are
   * built from the rows as they are when the step runs. Not atomic across partitions (neither are
   * Cassandra's counter batches).
   */
  private CompletionStage<Message> readThenWrite(List<Item> items, Long batchTimestampMicros, long defaultTimestampMicros,
                                                 int nowSeconds) {
    List<CompletableFuture<?>> steps = new ArrayList<>();
    for (PartitionWrites w : partitions(items)) {
      PartitionKey key = w.key;
      TableMetadata table = w.table;
      List<ViewMaintenance.View> views = views(table);
      // With views the step may delete whole rows whose every cell it must know: read the partition.
      ReadRange range = views.isEmpty() ? PartitionReads.covering(w.clusterings) : ReadRange.all();
      Function<java.util.Optional<PartitionData>, Decision<Object>> decide = current -> {
        // Later statements of a batch see what earlier ones wrote (two increments of one counter add up).
        PendingRows rows = new PendingRows(current.orElse(null));
        List<Mutation> mutations = new ArrayList<>();
        for (Item item : w.items) {
          ModificationBuilder builder = new ModificationBuilder(item.terms(), defaultTimestampMicros, nowSeconds, rows);
          for (Mutation m : builder.build(item.table(), item.statement(), batchTimestampMicros)) {
            if (Arrays.equals(m.key().serialized(), key.serialized())) {
              mutations.add(m);
              rows.apply(m);
            }
          }
        }
        return new Decision<>(mutations, null);
      };
      steps.add(storage.applyConditionally(table.id(), key, range, nowSeconds,
          views.isEmpty() ? decide::apply : ViewMaintenance.withViews(decide, table, views, nowSeconds)));
    }
    return CompletableFuture.allOf(steps.toArray(CompletableFuture[]::new)).thenApply(v -> Void.INSTANCE);
  }

  /**
   * A logged batch with list operations that read: the rows are read first, then every mutation is
   * applied in one atomic storage batch. The read is not isolated from concurrent writes, exactly
   * as in Cassandra, but the batch stays all-or-nothing.
   */
  private CompletionStage<Message> readThenWriteAtomically(List<Item> items, Long batchTimestampMicros,
                                                           long defaultTimestampMicros, int nowSeconds) {
    Map<String, PartitionData> read = new LinkedHashMap<>();
    for (PartitionWrites w : partitions(items)) {
      storage.readPartition(w.table.id(), w.key, PartitionReads.covering(w.clusterings), nowSeconds)
          .ifPresent(p -> read.put(partitionId(w.table, w.key), p));
    }
    List<Mutation> mutations = new ArrayList<>();
    for (Item item : items) {
      ModificationBuilder.CurrentRows rows = (key, clustering) -> {
        PartitionData p = read.get(partitionId(item.table(), key));
        return p == null ? null : PartitionReads.rowAt(p, clustering);
      };
      ModificationBuilder builder = new ModificationBuilder(item.terms(), defaultTimestampMicros, nowSeconds, rows);
      mutations.addAll(builder.build(item.table(), item.statement(), batchTimestampMicros));
    }
    return applyAtomically(mutations);
  }

  /** A partition some statements write, the rows of it they write (read before writing), and the statements. */
  private record PartitionWrites(TableMetadata table, PartitionKey key, List<byte[]> clusterings, List<Item> items) {}

  private static String partitionId(TableMetadata table, PartitionKey key) {
    return table.id() + "/" + Arrays.toString(key.serialized());
  }

  /** The partitions the statements write, in statement order. Only UPDATE and DELETE need reads. */
  private static java.util.Collection<PartitionWrites> partitions(List<Item> items) {
    Map<String, PartitionWrites> out = new LinkedHashMap<>();
    for (Item item : items) {
      List<Relation> where = item.statement() instanceof Update u ? u.where()
          : item.statement() instanceof Delete d ? d.where() : null;
      if (where == null) {
        throw MeridianException.invalid("INSERT statements are not allowed on counter tables, use UPDATE instead");
      }
      WhereClause analyzed = WhereClause.analyze(item.table(), where, item.terms());
      if (analyzed.partitionKeys == null) {
        throw MeridianException.invalid("Some partition key parts are missing: "
            + String.join(", ", item.table().partitionKey().stream().map(c -> c.name()).toList()));
      }
      List<byte[]> rows = new ArrayList<>();
      if (item.table().clusteringColumns().isEmpty()) {
        rows.add(KeyEncoder.clustering(item.table(), List.of()));
      } else if (analyzed.clusteringFullyRestricted) {
        analyzed.clusteringRanges.forEach(r -> rows.add(r[0]));
      }
      for (PartitionKey k : analyzed.partitionKeys) {
        PartitionWrites w = out.computeIfAbsent(partitionId(item.table(), k),
            id -> new PartitionWrites(item.table(), k, new ArrayList<>(), new ArrayList<>()));
        w.clusterings.addAll(rows);
        w.items.add(item);
      }
    }
    return out.values();
  }

  /**
   * The rows of one partition as read, with the cells of mutations built so far laid over them:
   * a written cell replaces the cell of the same column and path, a tombstone removes it.
   */
  private static final class PendingRows implements ModificationBuilder.CurrentRows {
    private final PartitionData read;
    private final Map<String, StoredRow> written = new java.util.HashMap<>();

    PendingRows(PartitionData read) {
      this.read = read;
    }

    @Override
    public StoredRow row(PartitionKey key, byte[] clustering) {
      StoredRow w = written.get(Arrays.toString(clustering));
      if (w != null) {
        return w;
      }
      return read == null ? null : PartitionReads.rowAt(read, clustering);
    }

    void apply(Mutation m) {
      for (io.meridian.storage.RowUpdate u : m.rows()) {
        StoredRow base = row(m.key(), u.clustering());
        List<io.meridian.storage.Cell> cells = new ArrayList<>(base == null ? List.of() : base.cells());
        for (io.meridian.storage.Cell c : u.cells()) {
          cells.removeIf(x -> x.column().equals(c.column()) && Arrays.equals(x.path(), c.path()));
          if (c.value() != null) {
            cells.add(c);
          }
        }
        StoredRow next = base == null
            ? new StoredRow(u.clustering(), -1, 0, io.meridian.storage.Cell.NO_DELETION_TIME, cells)
            : new StoredRow(base.clustering(), base.livenessMicros(), base.livenessTtlSeconds(),
                base.livenessLocalDeletionTime(), cells);
        written.put(Arrays.toString(u.clustering()), next);
      }
    }
  }


  /** A logged batch: every mutation or none, in one storage batch. */
  private CompletionStage<Message> applyAtomically(List<Mutation> mutations) {
    if (mutations.isEmpty()) {
      return CompletableFuture.completedFuture(Void.INSTANCE);
    }
    RequestContext context = RequestContext.current();
    return storage.applyAtomically(mutations).thenApply(v -> {
      traceDurable(context, mutations.size(), "in one atomic storage batch");
      return Void.INSTANCE;
    });
  }

  /** Applies the mutations; the write is acknowledged only when all of them are durable. */
  private CompletionStage<Message> applyAll(List<Mutation> mutations) {
    if (mutations.isEmpty()) {
      return CompletableFuture.completedFuture(Void.INSTANCE);
    }
    RequestContext context = RequestContext.current();
    if (mutations.size() == 1) {
      return storage.apply(mutations.get(0)).thenApply(v -> {
        traceDurable(context, 1, "to its tablet");
        return Void.INSTANCE;
      });
    }
    CompletableFuture<?>[] futures = new CompletableFuture<?>[mutations.size()];
    for (int i = 0; i < futures.length; i++) {
      futures[i] = storage.apply(mutations.get(i));
    }
    return CompletableFuture.allOf(futures).thenApply(v -> {
      traceDurable(context, futures.length, "independently, each partition atomically");
      return Void.INSTANCE;
    });
  }

  /** Runs on the storage thread that completed the write: the context is passed, not current. */
  private static void traceDurable(RequestContext context, int mutations, String how) {
    if (context != null) {
      context.traceEvent("Committed " + mutations + (mutations == 1 ? " mutation " : " mutations ") + how
          + " (durable under the node's commit policy)");
    }
  }
}
