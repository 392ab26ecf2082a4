package io.meridian.query;

import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.response.result.ColumnSpec;
import com.datastax.oss.protocol.internal.response.result.DefaultRows;
import com.datastax.oss.protocol.internal.response.result.RowsMetadata;
import io.meridian.common.MeridianException;
import io.meridian.cql.ast.Delete;
import io.meridian.cql.ast.DeleteTarget;
import io.meridian.cql.ast.Insert;
import io.meridian.cql.ast.InsertJson;
import io.meridian.cql.ast.ModificationStatement;
import io.meridian.cql.ast.Operator;
import io.meridian.cql.ast.Relation;
import io.meridian.cql.ast.Update;
import io.meridian.schema.ColumnMetadata;
import io.meridian.schema.TableMetadata;
import io.meridian.storage.ConditionalWrite.Decision;
import io.meridian.storage.Mutation;
import io.meridian.storage.PartitionData;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.ReadRange;
import io.meridian.storage.RowUpdate;
import io.meridian.storage.StorageEngine;
import io.meridian.storage.StoredRow;
import io.meridian.types.CqlTypes;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Lightweight transactions: {@code INSERT ... IF NOT EXISTS}, {@code UPDATE/DELETE ... IF EXISTS}
 * and {@code IF <conditions>}, alone or in a batch on one partition.
 *
 * <p>The check and the write are one read-decide-write step on the partition's tablet (see {@link
 * io.meridian.storage.ConditionalWrite}): no other write to the tablet lands between reading the
 * row and applying the transaction's mutations, which makes the transactions of a partition
 * linearizable. With replication the same step becomes one entry of the tablet's Raft log, decided
 * by its state machine, instead of Cassandra's four Paxos round trips. The mutations get their
 * timestamp when the step runs, from {@link WriteTimestamps}, so a later transaction always wins
 * over an earlier one.
 */
final class LightweightTransaction {

  private enum Kind { NONE, NOT_EXISTS, EXISTS, CONDITIONS }

  /** What one statement of the transaction checks: a row (or, with a null clustering, the partition). */
  private record Check(byte[] clustering, Kind kind, List<Conditions.Bound> conditions) {}

  /** The outcome handed back by the decision: applied or not, and the partition as it was read. */
  private record Outcome(boolean applied, PartitionData seen) {}

  private final StorageEngine storage;
  private final WriteTimestamps timestamps;
  private final java.util.function.Function<TableMetadata, List<ViewMaintenance.View>> views;

  LightweightTransaction(StorageEngine storage, WriteTimestamps timestamps,
                         java.util.function.Function<TableMetadata, List<ViewMaintenance.View>> views) {
    this.storage = storage;
    this.timestamps = timestamps;
    this.views = views;
  }

  static boolean isConditional(ModificationStatement s) {
    if (s instanceof Insert i) {
      return i.ifNotExists();
    }
    if (s instanceof InsertJson i) {
      return i.ifNotExists();
    }
    if (s instanceof Update u) {
      return u.ifExists() || !u.conditions().isEmpty();
    }
    Delete d = (Delete) s;
    return d.ifExists() || !d.conditions().isEmpty();
  }

  /**
   * Runs the statements as one transaction. {@code batch} selects the batch rules and result
   * shape; a single statement is a batch of one with {@code batch} false.
   */
  CompletionStage<Message> execute(List<WriteExecutor.Item> items, boolean batch, int nowSeconds) {
    TableMetadata table = items.get(0).table();
    PartitionKey key = null;
    List<Check> checks = new ArrayList<>();
    for (WriteExecutor.Item item : items) {
      if (!item.table().id().equals(table.id())) {
        throw MeridianException.invalid("Batch with conditions cannot span multiple tables");
      }
      ModificationStatement s = item.statement();
      if (table.isCounter()) {
        throw MeridianException.invalid("Conditional updates are not supported on counter tables");
      }
      if (s.attributes().timestamp() != null) {
        throw MeridianException.invalid(batch ? "Cannot provide custom timestamp for conditional BATCH"
            : "Cannot provide custom timestamp for conditional updates");
      }
      Target target = target(table, s, item.terms(), nowSeconds);
      if (key == null) {
        key = target.key;
      } else if (!Arrays.equals(key.serialized(), target.key.serialized())) {
        throw MeridianException.invalid("Batch with conditions cannot span multiple partitions");
      }
      Kind kind = kind(s);
      List<Conditions.Bound> bound = List.of();
      if (kind == Kind.CONDITIONS) {
        bound = Conditions.bind(table, conditionsOf(s), item.terms());
      }
      checks.add(new Check(target.clustering, kind, bound));
    }
    checkNoMixedConditions(checks);
    PartitionKey partition = key;
    List<ViewMaintenance.View> tableViews = views.apply(table);
    java.util.function.Function<Optional<PartitionData>, Decision<Outcome>> decide = current -> {
      PartitionData seen = current.orElse(new PartitionData(partition, null, List.of()));
      for (Check c : checks) {
        if (!holds(table, c, seen, nowSeconds)) {
          return Decision.noWrite(new Outcome(false, seen));
        }
      }
      long ts = timestamps.next();
      List<Mutation> mutations = new ArrayList<>();
      ModificationBuilder.CurrentRows rows = (k, clustering) -> PartitionReads.rowAt(seen, clustering);
      for (WriteExecutor.Item item : items) {
        ModificationBuilder builder = new ModificationBuilder(item.terms(), ts, nowSeconds, rows);
        mutations.addAll(builder.build(table, item.statement(), ts));
      }
      return new Decision<>(mutations, new Outcome(true, seen));
    };
    // With views the step must see every row it may delete (whole partition), and derives the view writes.
    ReadRange range = tableViews.isEmpty() ? readRange(checks) : ReadRange.all();
    io.meridian.storage.ConditionalWrite<Outcome> write = tableViews.isEmpty() ? decide::apply
        : ViewMaintenance.withViews(decide, table, tableViews, nowSeconds);
    return storage.applyConditionally(table.id(), partition, range, nowSeconds, write)
        .thenApply(outcome -> result(table, checks, outcome, batch, nowSeconds));
  }

  private static Kind kind(ModificationStatement s) {
    if (s instanceof Insert i) {
      return i.ifNotExists() ? Kind.NOT_EXISTS : Kind.NONE;
    }
    if (s instanceof InsertJson i) {
      return i.ifNotExists() ? Kind.NOT_EXISTS : Kind.NONE;
    }
    boolean exists = s instanceof Update u ? u.ifExists() : ((Delete) s).ifExists();
    return exists ? Kind.EXISTS : conditionsOf(s).isEmpty() ? Kind.NONE : Kind.CONDITIONS;
  }

  private static List<io.meridian.cql.ast.Condition> conditionsOf(ModificationStatement s) {
    if (s instanceof Update u) {
      return u.conditions();
    }
    if (s instanceof Delete d) {
      return d.conditions();
    }
    return List.of();
  }

  private record Target(PartitionKey key, byte[] clustering) {}

  /** The partition and row a statement writes; a null clustering means the partition (static columns only). */
  private static Target target(TableMetadata table, ModificationStatement s, Terms terms, int nowSeconds) {
    if (s instanceof Insert || s instanceof InsertJson) {
      // An INSERT names its whole key in its values; a dry build finds it (an INSERT never reads).
      List<Mutation> ms = new ModificationBuilder(terms, 0, nowSeconds).build(table, s, null);
      Mutation m = ms.get(0);
      byte[] clustering = null;
      for (RowUpdate u : m.rows()) {
        if (u.clustering().length > 0) {
          clustering = u.clustering();
        }
      }
      return new Target(m.key(), clustering);
    }
    boolean isDelete = s instanceof Delete;
    List<Relation> where = s instanceof Update u ? u.where() : ((Delete) s).where();
    String what = isDelete ? "deletions" : "updates";
    for (Relation r : where) {
      if (r instanceof Relation.ColumnRelation cr && cr.op() == Operator.IN) {
        ColumnMetadata c = WhereClause.column(table, cr.column());
        if (c.kind() == ColumnMetadata.Kind.PARTITION_KEY) {
          throw MeridianException.invalid("IN on the partition key is not supported with conditional " + what);
        }
        if (c.kind() == ColumnMetadata.Kind.CLUSTERING) {
          throw MeridianException.invalid("IN on the clustering key columns is not supported with conditional " + what);
        }
      }
      if (r instanceof Relation.MultiColumnRelation mr && mr.op() == Operator.IN) {
        throw MeridianException.invalid("IN on the clustering key columns is not supported with conditional " + what);
      }
    }
    WhereClause analyzed = WhereClause.analyze(table, where, terms);
    if (analyzed.partitionKeys == null || analyzed.partitionKeys.size() != 1) {
      throw MeridianException.invalid("Some partition key parts are missing: "
          + String.join(", ", table.partitionKey().stream().map(ColumnMetadata::name).toList()));
    }
    PartitionKey key = analyzed.partitionKeys.get(0);
    if (table.clusteringColumns().isEmpty()) {
      return new Target(key, KeyEncoder.clustering(table, List.of()));
    }
    if (analyzed.clusteringFullyRestricted && analyzed.clusteringRanges.size() == 1) {
      return new Target(key, analyzed.clusteringRanges.get(0)[0]);
    }
    if (isDelete) {
      Delete d = (Delete) s;
      boolean onlyStatics = !d.targets().isEmpty() && d.targets().stream()
          .allMatch(t -> WhereClause.column(table, t.column()).kind() == ColumnMetadata.Kind.STATIC);
      if (!onlyStatics || analyzed.clusteringRestricted) {
        throw MeridianException.invalid("DELETE statements must restrict all PRIMARY KEY columns with equality relations"
            + " in order to delete non static columns");
      }
    }
    return new Target(key, null);
  }

  private static void checkNoMixedConditions(List<Check> checks) {
    for (int i = 0; i < checks.size(); i++) {
      for (int j = i + 1; j < checks.size(); j++) {
        Check a = checks.get(i);
        Check b = checks.get(j);
        if (!Arrays.equals(a.clustering, b.clustering) || a.kind == Kind.NONE || b.kind == Kind.NONE || a.kind == b.kind) {
          continue;
        }
        Set<Kind> kinds = Set.of(a.kind, b.kind);
        if (kinds.contains(Kind.NOT_EXISTS) && kinds.contains(Kind.EXISTS)) {
          throw MeridianException.invalid("Cannot mix IF EXISTS and IF NOT EXISTS conditions for the same row");
        }
        if (kinds.contains(Kind.NOT_EXISTS)) {
          throw MeridianException.invalid("Cannot mix IF conditions and IF NOT EXISTS for the same row");
        }
        throw MeridianException.invalid("Cannot mix IF conditions and IF EXISTS for the same row");
      }
    }
  }

  /** The rows the checks and the writes need, plus the static row. */
  private static ReadRange readRange(List<Check> checks) {
    byte[] min = null;
    byte[] max = null;
    boolean partitionLevel = false;
    for (Check c : checks) {
      if (c.clustering == null) {
        partitionLevel = true;
        continue;
      }
      if (min == null || Arrays.compareUnsigned(c.clustering, min) < 0) {
        min = c.clustering;
      }
      if (max == null || Arrays.compareUnsigned(c.clustering, max) > 0) {
        max = c.clustering;
      }
    }
    if (min == null) {
      // Only partition-level checks: the static row and the first row tell whether the partition exists.
      return new ReadRange(new byte[0], null, false, 1, true);
    }
    return partitionLevel ? ReadRange.all() : PartitionReads.covering(List.of(min, max));
  }


  private static boolean rowExists(TableMetadata table, PartitionData p, byte[] clustering, int nowSeconds) {
    if (clustering == null) {
      return p.staticRow() != null || !p.rows().isEmpty();
    }
    StoredRow row = PartitionReads.rowAt(p, clustering);
    return row != null && view(table, p, row, nowSeconds).hasLiveContent();
  }

  private static RowView view(TableMetadata table, PartitionData p, StoredRow row, int nowSeconds) {
    return new RowView(table, p, KeyEncoder.splitPartitionKey(table, p.key().serialized()), row, nowSeconds);
  }

  private static boolean holds(TableMetadata table, Check c, PartitionData p, int nowSeconds) {
    switch (c.kind) {
      case NONE:
        return true;
      case NOT_EXISTS:
        return !rowExists(table, p, c.clustering, nowSeconds);
      case EXISTS:
        return rowExists(table, p, c.clustering, nowSeconds);
      default:
        StoredRow row = c.clustering == null ? null : PartitionReads.rowAt(p, c.clustering);
        RowView view = view(table, p, row, nowSeconds);
        for (Conditions.Bound b : c.conditions) {
          if (!Conditions.holds(b, view)) {
            return false;
          }
        }
        return true;
    }
  }

  // ---------------------------------------------------------------- result

  private static Message result(TableMetadata table, List<Check> checks, Outcome outcome, boolean batch, int nowSeconds) {
    List<ColumnMetadata> columns = new ArrayList<>();
    List<List<ByteBuffer>> rows = new ArrayList<>();
    if (outcome.applied) {
      rows.add(new ArrayList<>(List.of(CqlTypes.BOOLEAN.encode(true))));
      return rows(table, columns, rows);
    }
    PartitionData p = outcome.seen;
    if (!batch) {
      Check c = checks.get(0);
      if (c.kind == Kind.NOT_EXISTS) {
        columns.addAll(table.columns());
      } else if (c.kind == Kind.CONDITIONS && conditionDataPresent(table, c, p, nowSeconds)) {
        columns.addAll(conditionColumns(checks));
      }
      List<ByteBuffer> row = new ArrayList<>();
      row.add(CqlTypes.BOOLEAN.encode(false));
      if (!columns.isEmpty()) {
        RowView view = view(table, p, c.clustering == null ? null : PartitionReads.rowAt(p, c.clustering), nowSeconds);
        columns.forEach(col -> row.add(view.value(col)));
      }
      rows.add(row);
      return rows(table, columns, rows);
    }
    // A batch shows the key and the checked columns of each row it looked at that has data.
    Set<ColumnMetadata> shown = new LinkedHashSet<>(table.primaryKey());
    boolean anyNotExists = checks.stream().anyMatch(c -> c.kind == Kind.NOT_EXISTS);
    if (anyNotExists) {
      shown.addAll(table.columns());
    }
    shown.addAll(conditionColumns(checks));
    List<byte[]> seenRows = new ArrayList<>();
    // Rows come back in clustering order, whatever the order of the statements (as in Cassandra).
    List<Check> ordered = new ArrayList<>(checks);
    ordered.sort((a, b) -> a.clustering == null ? (b.clustering == null ? 0 : -1)
        : b.clustering == null ? 1 : Arrays.compareUnsigned(a.clustering, b.clustering));
    for (Check c : ordered) {
      if (c.kind == Kind.NONE) {
        continue;
      }
      StoredRow row = c.clustering == null
          ? (p.rows().isEmpty() ? null : p.rows().get(0))
          : PartitionReads.rowAt(p, c.clustering);
      boolean hasData = row != null || (c.clustering == null && p.staticRow() != null);
      if (!hasData || (row != null && seenRows.stream().anyMatch(r -> Arrays.equals(r, row.clustering())))) {
        continue;
      }
      if (row != null) {
        seenRows.add(row.clustering());
      }
      RowView view = view(table, p, row, nowSeconds);
      List<ByteBuffer> values = new ArrayList<>();
      values.add(CqlTypes.BOOLEAN.encode(false));
      shown.forEach(col -> values.add(view.value(col)));
      rows.add(values);
    }
    if (rows.isEmpty()) {
      rows.add(new ArrayList<>(List.of(CqlTypes.BOOLEAN.encode(false))));
      return rows(table, List.of(), rows);
    }
    return rows(table, new ArrayList<>(shown), rows);
  }

  /** Whether Cassandra's read for the conditions found anything: the row for regular columns, the static row for static ones. */
  private static boolean conditionDataPresent(TableMetadata table, Check c, PartitionData p, int nowSeconds) {
    boolean regular = c.conditions.stream().anyMatch(b -> b.column().kind() != ColumnMetadata.Kind.STATIC);
    boolean statics = c.conditions.stream().anyMatch(b -> b.column().kind() == ColumnMetadata.Kind.STATIC);
    return (regular && c.clustering != null && rowExists(table, p, c.clustering, nowSeconds))
        || (statics && p.staticRow() != null);
  }

  /** The columns the conditions name, as Cassandra lists them: regular ones first, then static ones, each in condition order. */
  private static List<ColumnMetadata> conditionColumns(List<Check> checks) {
    Set<ColumnMetadata> regular = new LinkedHashSet<>();
    Set<ColumnMetadata> statics = new LinkedHashSet<>();
    for (Check c : checks) {
      c.conditions.forEach(b -> (b.column().kind() == ColumnMetadata.Kind.STATIC ? statics : regular).add(b.column()));
    }
    List<ColumnMetadata> out = new ArrayList<>(regular);
    out.addAll(statics);
    return out;
  }

  private static Message rows(TableMetadata table, List<ColumnMetadata> columns, List<List<ByteBuffer>> rows) {
    List<ColumnSpec> specs = new ArrayList<>(columns.size() + 1);
    specs.add(new ColumnSpec(table.keyspace(), table.name(), "[applied]", 0, RawTypes.of(CqlTypes.BOOLEAN)));
    for (int i = 0; i < columns.size(); i++) {
      ColumnMetadata c = columns.get(i);
      specs.add(new ColumnSpec(table.keyspace(), table.name(), c.name(), i + 1, RawTypes.of(c.type())));
    }
    Queue<List<ByteBuffer>> data = new ArrayDeque<>(rows);
    return new DefaultRows(new RowsMetadata(specs, null, null, null), data);
  }
}
