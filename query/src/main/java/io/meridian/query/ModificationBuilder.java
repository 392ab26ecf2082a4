package io.meridian.query;

import io.meridian.common.Invariants;
import io.meridian.common.MeridianException;
import io.meridian.cql.ast.Assignment;
import io.meridian.cql.ast.Attributes;
import io.meridian.cql.ast.Delete;
import io.meridian.cql.ast.DeleteTarget;
import io.meridian.cql.ast.Insert;
import io.meridian.cql.ast.InsertJson;
import io.meridian.cql.ast.ModificationStatement;
import io.meridian.cql.ast.Relation;
import io.meridian.cql.ast.Update;
import io.meridian.schema.ColumnMetadata;
import io.meridian.schema.TableMetadata;
import io.meridian.storage.Cell;
import io.meridian.storage.DeletionTime;
import io.meridian.storage.Mutation;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.RangeTombstone;
import io.meridian.storage.RowUpdate;
import io.meridian.storage.StoredRow;
import io.meridian.types.CqlTypes;
import io.meridian.types.UserType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns INSERT, UPDATE and DELETE into storage mutations, one per partition, checking the CQL
 * rules on keys, values, TTL and timestamps on the way.
 */
final class ModificationBuilder {
  static final int TTL_MAX_SECONDS = 20 * 365 * 24 * 60 * 60; // Cassandra's MAX_TTL
  private static final int KEY_BYTES_MAX = 65535;

  private final Terms terms;
  private final long defaultTimestampMicros;
  private final int nowSeconds;
  private final CurrentRows current;

  /**
   * The rows as they are before the write, for operations that need them (counter updates and
   * list operations by index or value). Only available inside a read-decide-write step.
   */
  interface CurrentRows {
    /** The live row at {@code clustering} (the static row for {@link RowUpdate#STATIC_CLUSTERING}), or null. */
    StoredRow row(PartitionKey key, byte[] clustering);
  }

  ModificationBuilder(Terms terms, long defaultTimestampMicros, int nowSeconds) {
    this(terms, defaultTimestampMicros, nowSeconds, null);
  }

  ModificationBuilder(Terms terms, long defaultTimestampMicros, int nowSeconds, CurrentRows current) {
    this.terms = terms;
    this.defaultTimestampMicros = defaultTimestampMicros;
    this.nowSeconds = nowSeconds;
    this.current = current;
  }

  /** True if building the statement's mutations needs the current rows (see {@link CurrentRows}). */
  static boolean needsRead(TableMetadata table, ModificationStatement statement) {
    if (table.isCounter()) {
      return !(statement instanceof Delete);
    }
    if (statement instanceof Update u) {
      for (Assignment a : u.assignments()) {
        ColumnMetadata c = table.column(a.column()).orElse(null);
        if (c != null && ListReadOperations.needsRead(c, a)) {
          return true;
        }
      }
    }
    if (statement instanceof Delete d) {
      for (DeleteTarget t : d.targets()) {
        ColumnMetadata c = table.column(t.column()).orElse(null);
        if (c != null && ListReadOperations.deleteNeedsRead(c, t.key())) {
          return true;
        }
      }
    }
    return false;
  }

  private StoredRow currentRow(PartitionKey key, byte[] clustering) {
    Invariants.check(current != null, "an operation that needs the current row was built without a read");
    return current.row(key, clustering);
  }

  List<Mutation> build(TableMetadata table, ModificationStatement statement, Long batchTimestamp) {
    if (table.isCounter()) {
      if (statement.attributes().timestamp() != null) {
        throw MeridianException.invalid("Cannot provide custom timestamp for counter updates");
      }
      if (statement.attributes().ttl() != null) {
        throw MeridianException.invalid("Cannot provide custom TTL for counter updates");
      }
    }
    if (statement instanceof Insert insert) {
      return insert(table, insert, batchTimestamp);
    }
    if (statement instanceof Update update) {
      return update(table, update, batchTimestamp);
    }
    if (statement instanceof Delete delete) {
      return delete(table, delete, batchTimestamp);
    }
    if (statement instanceof InsertJson json) {
      JsonInsert.Expanded expanded = JsonInsert.expand(table, json, terms);
      return new ModificationBuilder(expanded.terms(), defaultTimestampMicros, nowSeconds).insert(table, expanded.insert(), batchTimestamp);
    }
    throw new IllegalStateException("Unknown modification statement " + statement.getClass().getSimpleName());
  }

  private long timestamp(Attributes attributes, Long batchTimestamp) {
    if (attributes.timestamp() != null) {
      if (batchTimestamp != null) {
        throw MeridianException.invalid("Timestamp must be set either on BATCH or individual statements");
      }
      // An unset bound timestamp means "no timestamp given", as in Cassandra (null is an error).
      ByteBuffer v = terms.evaluate(attributes.timestamp(), CqlTypes.BIGINT, "[timestamp]");
      if (!BoundValues.isUnset(v)) {
        return terms.evaluateLong(attributes.timestamp(), "[timestamp]");
      }
    }
    return batchTimestamp != null ? batchTimestamp : defaultTimestampMicros;
  }

  private int ttl(TableMetadata table, Attributes attributes) {
    if (attributes.ttl() == null) {
      return table.params().defaultTimeToLive();
    }
    // As in Cassandra: an unset bound TTL means the table default, a null one means no TTL.
    ByteBuffer v = terms.evaluate(attributes.ttl(), CqlTypes.INT, "[ttl]");
    if (BoundValues.isUnset(v)) {
      return table.params().defaultTimeToLive();
    }
    if (v == null) {
      return 0;
    }
    int ttl = terms.evaluateInt(attributes.ttl(), "[ttl]");
    if (ttl < 0) {
      throw MeridianException.invalid("A TTL must be greater or equal to 0, but was " + ttl);
    }
    if (ttl > TTL_MAX_SECONDS) {
      throw MeridianException.invalid("ttl is too large. requested (" + ttl + ") maximum (" + TTL_MAX_SECONDS + ")");
    }
    return ttl;
  }

  private List<Mutation> insert(TableMetadata table, Insert insert, Long batchTimestamp) {
    if (table.isCounter()) {
      throw MeridianException.invalid("INSERT statements are not allowed on counter tables, use UPDATE instead");
    }
    long ts = timestamp(insert.attributes(), batchTimestamp);
    int ttl = ttl(table, insert.attributes());
    Map<ColumnMetadata, ByteBuffer> values = new LinkedHashMap<>();
    for (int i = 0; i < insert.columns().size(); i++) {
      ColumnMetadata c = WhereClause.column(table, insert.columns().get(i));
      if (values.containsKey(c)) {
        throw MeridianException.invalid("Multiple definitions found for column " + c.name());
      }
      values.put(c, terms.evaluate(insert.values().get(i), c.type(), c.name()));
    }
    List<ByteBuffer> pk = new ArrayList<>();
    for (ColumnMetadata c : table.partitionKey()) {
      pk.add(keyValue(c, values, "Some partition key parts are missing: "));
    }
    // As in Cassandra, an INSERT that sets only static columns may leave out the clustering key.
    boolean staticOnly = !table.clusteringColumns().isEmpty()
        && table.clusteringColumns().stream().noneMatch(values::containsKey)
        && values.keySet().stream().anyMatch(c -> c.kind() == ColumnMetadata.Kind.STATIC)
        && values.keySet().stream().allMatch(c -> c.kind() == ColumnMetadata.Kind.STATIC || c.kind() == ColumnMetadata.Kind.PARTITION_KEY);
    List<ByteBuffer> ck = new ArrayList<>();
    if (!staticOnly) {
      for (ColumnMetadata c : table.clusteringColumns()) {
        ck.add(keyValue(c, values, "Some clustering keys are missing: "));
      }
    }
    PartitionKey key = partitionKey(table, pk);
    RowChanges regular = new RowChanges();
    RowChanges statics = new RowChanges();
    for (Map.Entry<ColumnMetadata, ByteBuffer> e : values.entrySet()) {
      ColumnMetadata c = e.getKey();
      if (c.isPrimaryKey() || BoundValues.isUnset(e.getValue())) {
        continue;
      }
      addValue(c.kind() == ColumnMetadata.Kind.STATIC ? statics : regular, c, e.getValue(), ts, ttl);
    }
    List<RowUpdate> rows = new ArrayList<>();
    if (!statics.isEmpty()) {
      rows.add(statics.update(RowUpdate.STATIC_CLUSTERING));
    }
    if (!staticOnly && (!table.clusteringColumns().isEmpty() || !regular.isEmpty() || statics.isEmpty())) {
      // The primary key liveness marker: the row exists even if every regular column is null.
      int livenessDeletion = ttl > 0 ? nowSeconds + ttl : Cell.NO_DELETION_TIME;
      rows.add(new RowUpdate(KeyEncoder.clustering(table, ck), DeletionTime.LIVE, ts, ttl, livenessDeletion,
          regular.cells, regular.columnDeletions));
    }
    return List.of(new Mutation(table.id(), key, DeletionTime.LIVE, List.of(), rows));
  }

  private List<Mutation> update(TableMetadata table, Update update, Long batchTimestamp) {
    long ts = timestamp(update.attributes(), batchTimestamp);
    int ttl = ttl(table, update.attributes());
    RowChanges regular = new RowChanges();
    RowChanges statics = new RowChanges();
    // Assignments whose cells depend on the row's current value, computed row by row below.
    List<Assignment> regularReads = new ArrayList<>();
    List<Assignment> staticReads = new ArrayList<>();
    for (Assignment a : update.assignments()) {
      ColumnMetadata c = WhereClause.column(table, a.column());
      if (c.isPrimaryKey()) {
        throw MeridianException.invalid("PRIMARY KEY part " + c.name() + " found in SET part");
      }
      boolean isStatic = c.kind() == ColumnMetadata.Kind.STATIC;
      RowChanges target = isStatic ? statics : regular;
      if (a instanceof Assignment.SetField field) {
        target.cells.addAll(UdtOperations.setField(terms, c, field, ts, ttl, nowSeconds));
        continue;
      }
      if (c.type() == CqlTypes.COUNTER) {
        CounterOperations.check(c, a);
        (isStatic ? staticReads : regularReads).add(a);
        continue;
      }
      if (ListReadOperations.needsRead(c, a)) {
        (isStatic ? staticReads : regularReads).add(a);
        continue;
      }
      if (!(a instanceof Assignment.SetValue set)) {
        if (c.type().isMultiCell() && !(c.type() instanceof UserType)) {
          target.cells.addAll(CollectionOperations.cells(terms, c, a, ts, ttl, nowSeconds));
          continue;
        }
        if (a instanceof Assignment.Add || a instanceof Assignment.Subtract || a instanceof Assignment.Prepend) {
          String hint = c.type() instanceof io.meridian.types.CollectionType
              ? " (only non-frozen collections support element operations)" : "";
          throw MeridianException.invalid("Invalid operation (" + describe(a) + ") for non counter column " + c.name() + hint);
        }
        if (a instanceof Assignment.SetElement && c.type() instanceof io.meridian.types.CollectionType) {
          throw MeridianException.invalid("Invalid operation (" + c.name() + "[...] = ...) for frozen collection column " + c.name());
        }
        throw MeridianException.invalid("Invalid operation (" + c.name() + "[...] = ...) for non collection column " + c.name());
      }
      ByteBuffer v = terms.evaluate(set.value(), c.type(), c.name());
      if (BoundValues.isUnset(v)) {
        continue;
      }
      addValue(target, c, v, ts, ttl);
    }
    boolean writesRegular = !regular.isEmpty() || !regularReads.isEmpty();
    boolean writesStatic = !statics.isEmpty() || !staticReads.isEmpty();
    Keys keys = keys(table, update.where(), writesRegular || !writesStatic);
    List<Mutation> out = new ArrayList<>();
    for (PartitionKey pk : keys.partitions) {
      List<RowUpdate> rows = new ArrayList<>();
      if (writesStatic) {
        rows.add(withReads(statics, staticReads, table, pk, RowUpdate.STATIC_CLUSTERING, ts, ttl));
      }
      if (writesRegular) {
        for (byte[] ck : keys.clusterings) {
          rows.add(withReads(regular, regularReads, table, pk, ck, ts, ttl));
        }
      }
      out.add(new Mutation(table.id(), pk, DeletionTime.LIVE, List.of(), rows));
    }
    return out;
  }

  private List<Mutation> delete(TableMetadata table, Delete delete, Long batchTimestamp) {
    if (delete.attributes().ttl() != null) {
      throw MeridianException.invalid("TTL attribute is not allowed for deletes");
    }
    long ts = timestamp(delete.attributes(), batchTimestamp);
    DeletionTime deletion = new DeletionTime(ts, nowSeconds);
    WhereClause where = WhereClause.analyze(table, delete.where(), terms);
    if (where.partitionKeys == null) {
      throw MeridianException.invalid("Some partition key parts are missing: " + missingPartitionKey(table, delete.where()));
    }
    if (where.needsFiltering()) {
      throw MeridianException.invalid("Invalid where clause contains non PRIMARY KEY columns or unsupported restrictions in DELETE");
    }
    List<Mutation> out = new ArrayList<>();
    if (!delete.targets().isEmpty()) {
      if (!where.clusteringFullyRestricted && !table.clusteringColumns().isEmpty()
          && delete.targets().stream().anyMatch(t -> WhereClause.column(table, t.column()).kind() != ColumnMetadata.Kind.STATIC)) {
        throw MeridianException.invalid("Some clustering keys are missing: " + missingClustering(table, delete.where()));
      }
      RowChanges regular = new RowChanges();
      RowChanges statics = new RowChanges();
      List<DeleteTarget> indexDeletes = new ArrayList<>();
      List<DeleteTarget> staticIndexDeletes = new ArrayList<>();
      for (DeleteTarget t : delete.targets()) {
        ColumnMetadata c = WhereClause.column(table, t.column());
        if (c.isPrimaryKey()) {
          throw MeridianException.invalid("Invalid identifier " + c.name() + " for deletion (should not be a PRIMARY KEY part)");
        }
        RowChanges target = c.kind() == ColumnMetadata.Kind.STATIC ? statics : regular;
        if (t.field() != null) {
          target.cells.add(UdtOperations.deleteField(c, t.field(), ts, nowSeconds));
        } else if (ListReadOperations.deleteNeedsRead(c, t.key())) {
          (c.kind() == ColumnMetadata.Kind.STATIC ? staticIndexDeletes : indexDeletes).add(t);
        } else if (t.key() != null) {
          target.cells.add(CollectionOperations.deleteElement(terms, c, t.key(), ts, nowSeconds));
        } else if (c.type().isMultiCell()) {
          target.deleteColumn(c.name(), CollectionCells.deletion(ts, nowSeconds));
        } else {
          target.cells.add(Cell.tombstone(c.name(), ts, nowSeconds));
        }
      }
      for (PartitionKey pk : where.partitionKeys) {
        List<RowUpdate> rows = new ArrayList<>();
        if (!statics.isEmpty() || !staticIndexDeletes.isEmpty()) {
          rows.add(withIndexDeletes(statics, staticIndexDeletes, table, pk, RowUpdate.STATIC_CLUSTERING, ts));
        }
        if (!regular.isEmpty() || !indexDeletes.isEmpty()) {
          for (byte[][] r : where.clusteringRanges) {
            rows.add(withIndexDeletes(regular, indexDeletes, table, pk, r[0], ts));
          }
        }
        out.add(new Mutation(table.id(), pk, DeletionTime.LIVE, List.of(), rows));
      }
      return out;
    }
    for (PartitionKey pk : where.partitionKeys) {
      if (!where.clusteringRestricted) {
        out.add(new Mutation(table.id(), pk, deletion, List.of(), List.of()));
      } else if (where.clusteringFullyRestricted) {
        List<RowUpdate> rows = new ArrayList<>();
        for (byte[][] r : where.clusteringRanges) {
          rows.add(new RowUpdate(r[0], deletion, -1, 0, Cell.NO_DELETION_TIME, List.of()));
        }
        out.add(new Mutation(table.id(), pk, DeletionTime.LIVE, List.of(), rows));
      } else {
        List<RangeTombstone> ranges = new ArrayList<>();
        for (byte[][] r : where.clusteringRanges) {
          ranges.add(new RangeTombstone(r[0], r[1], deletion));
        }
        out.add(new Mutation(table.id(), pk, DeletionTime.LIVE, ranges, List.of()));
      }
    }
    return out;
  }

  private record Keys(List<PartitionKey> partitions, List<byte[]> clusterings) {}

  /** The row's update: the fixed changes plus the cells of assignments that read the current row. */
  private RowUpdate withReads(RowChanges fixed, List<Assignment> reads, TableMetadata table, PartitionKey pk,
                             byte[] clustering, long ts, int ttl) {
    if (reads.isEmpty()) {
      return fixed.update(clustering);
    }
    StoredRow row = currentRow(pk, clustering);
    RowChanges changes = fixed.copy();
    for (Assignment a : reads) {
      ColumnMetadata c = WhereClause.column(table, a.column());
      if (c.type() == CqlTypes.COUNTER) {
        Cell cell = CounterOperations.apply(terms, c, a, row, ts, nowSeconds);
        if (cell != null) {
          changes.cells.add(cell);
        }
      } else {
        changes.cells.addAll(ListReadOperations.assign(terms, c, a, row, ts, ttl, nowSeconds));
      }
    }
    return changes.update(clustering);
  }

  /** The cells and column deletions one statement writes to one kind of row (static or regular). */
  private static final class RowChanges {
    final List<Cell> cells = new ArrayList<>();
    final Map<String, DeletionTime> columnDeletions = new LinkedHashMap<>();

    boolean isEmpty() {
      return cells.isEmpty() && columnDeletions.isEmpty();
    }

    RowChanges copy() {
      RowChanges c = new RowChanges();
      c.cells.addAll(cells);
      c.columnDeletions.putAll(columnDeletions);
      return c;
    }

    /** Records a deletion of the multi-cell column {@code column}; the newest one per column is kept. */
    void deleteColumn(String column, DeletionTime deletion) {
      if (deletion.isLive()) {
        return; // an overwrite at the smallest timestamp: nothing can be older
      }
      columnDeletions.merge(column, deletion, DeletionTime::supersede);
    }

    RowUpdate update(byte[] clustering) {
      return new RowUpdate(clustering, DeletionTime.LIVE, -1, 0, Cell.NO_DELETION_TIME, cells, columnDeletions);
    }
  }

  private RowUpdate withIndexDeletes(RowChanges fixed, List<DeleteTarget> targets, TableMetadata table, PartitionKey pk,
                                     byte[] clustering, long ts) {
    if (targets.isEmpty()) {
      return fixed.update(clustering);
    }
    StoredRow row = currentRow(pk, clustering);
    RowChanges changes = fixed.copy();
    for (DeleteTarget t : targets) {
      changes.cells.add(ListReadOperations.delete(terms, WhereClause.column(table, t.column()), t.key(), row, ts, nowSeconds));
    }
    return changes.update(clustering);
  }

  /** Partitions and full clustering keys named by an UPDATE's WHERE clause. */
  private Keys keys(TableMetadata table, List<Relation> relations, boolean needRows) {
    WhereClause where = WhereClause.analyze(table, relations, terms);
    if (where.partitionKeys == null) {
      throw MeridianException.invalid("Some partition key parts are missing: " + missingPartitionKey(table, relations));
    }
    if (where.needsFiltering()) {
      throw MeridianException.invalid("Non PRIMARY KEY columns found in where clause: "
          + where.filters.stream().map(f -> f.column().name()).distinct().toList());
    }
    List<byte[]> clusterings = new ArrayList<>();
    if (needRows && !table.clusteringColumns().isEmpty()) {
      if (!where.clusteringFullyRestricted) {
        throw MeridianException.invalid("Some clustering keys are missing: " + missingClustering(table, relations));
      }
      for (byte[][] r : where.clusteringRanges) {
        clusterings.add(r[0]);
      }
    } else {
      clusterings.add(KeyEncoder.clustering(table, List.of()));
    }
    return new Keys(where.partitionKeys, clusterings);
  }

  private static String missingPartitionKey(TableMetadata table, List<Relation> relations) {
    return missing(table.partitionKey(), relations);
  }

  private static String missingClustering(TableMetadata table, List<Relation> relations) {
    return missing(table.clusteringColumns(), relations);
  }

  private static String missing(List<ColumnMetadata> columns, List<Relation> relations) {
    List<String> named = new ArrayList<>();
    for (Relation r : relations) {
      if (r instanceof Relation.ColumnRelation c) {
        named.add(c.column());
      } else if (r instanceof Relation.MultiColumnRelation m) {
        named.addAll(m.columns());
      }
    }
    return String.join(", ", columns.stream().map(ColumnMetadata::name).filter(n -> !named.contains(n)).toList());
  }

  private ByteBuffer keyValue(ColumnMetadata c, Map<ColumnMetadata, ByteBuffer> values, String missingMessage) {
    if (!values.containsKey(c)) {
      throw MeridianException.invalid(missingMessage + c.name());
    }
    ByteBuffer v = values.get(c);
    if (v == null) {
      throw MeridianException.invalid("Invalid null value in condition for column " + c.name());
    }
    if (BoundValues.isUnset(v)) {
      throw MeridianException.invalid("Invalid unset value for column " + c.name());
    }
    return v;
  }

  static PartitionKey partitionKey(TableMetadata table, List<ByteBuffer> pk) {
    for (int i = 0; i < pk.size(); i++) {
      if (pk.get(i).remaining() > KEY_BYTES_MAX) {
        throw MeridianException.invalid("Key length of " + pk.get(i).remaining() + " is longer than maximum of " + KEY_BYTES_MAX);
      }
    }
    if (pk.size() == 1 && !pk.get(0).hasRemaining()) {
      throw MeridianException.invalid("Key may not be empty");
    }
    return KeyEncoder.partitionKey(table, pk);
  }

  /**
   * A whole-value write. A non-frozen collection (or user type) replaces all its elements (fields): a column deletion just
   * before {@code ts} shadows the old elements (not the new ones, written at {@code ts}); setting it
   * to null deletes the column at {@code ts}, like DELETE c.
   */
  private void addValue(RowChanges out, ColumnMetadata c, ByteBuffer value, long ts, int ttl) {
    if (!c.type().isMultiCell()) {
      out.cells.add(cell(c, value, ts, ttl));
      return;
    }
    if (value == null) {
      out.deleteColumn(c.name(), CollectionCells.deletion(ts, nowSeconds));
      return;
    }
    out.deleteColumn(c.name(), CollectionCells.overwriteDeletion(ts, nowSeconds));
    if (c.type() instanceof UserType ut) {
      out.cells.addAll(UdtCells.fieldCells(ut, c.name(), value, ts, ttl, nowSeconds));
      return;
    }
    out.cells.addAll(CollectionCells.elementCells(c.type(), c.name(), value, ts, ttl, nowSeconds, false));
  }

  private Cell cell(ColumnMetadata c, ByteBuffer value, long ts, int ttl) {
    if (value == null) {
      return Cell.tombstone(c.name(), ts, nowSeconds);
    }
    byte[] bytes = new byte[value.remaining()];
    value.duplicate().get(bytes);
    return ttl > 0 ? Cell.expiring(c.name(), bytes, ts, ttl, nowSeconds) : Cell.live(c.name(), bytes, ts);
  }

  private static String describe(Assignment a) {
    String c = a.column();
    if (a instanceof Assignment.Add) {
      return c + " = " + c + " + ...";
    }
    if (a instanceof Assignment.Subtract) {
      return c + " = " + c + " - ...";
    }
    return c + " = ... + " + c;
  }
}
