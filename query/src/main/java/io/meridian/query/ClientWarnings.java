package io.meridian.query;

import io.meridian.common.MeridianException;
import io.meridian.cql.ast.Operator;
import io.meridian.cql.ast.Relation;
import io.meridian.cql.ast.Select;
import io.meridian.schema.ColumnMetadata;
import io.meridian.schema.TableMetadata;
import io.meridian.storage.Cell;
import io.meridian.storage.DeletionTime;
import io.meridian.storage.Mutation;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.RangeTombstone;
import io.meridian.storage.RowUpdate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The warnings Cassandra 5.0 sends applications about how they use it (batches spanning many
 * partitions, large batches, aggregates over many partitions), with the same texts, and the
 * batch size limit that refuses a batch outright.
 */
final class ClientWarnings {
  /** Batch thresholds; Cassandra's batch_size_warn_threshold, batch_size_fail_threshold and
   * unlogged_batch_across_partitions_warn_threshold, with the same defaults. */
  record BatchThresholds(long warnBytes, long failBytes, int unloggedPartitionsWarn) {
    static final BatchThresholds DEFAULTS = new BatchThresholds(5 * 1024, 50 * 1024, 10);

    BatchThresholds {
      if (warnBytes < 1 || failBytes < warnBytes || unloggedPartitionsWarn < 1) {
        throw new IllegalArgumentException("batch thresholds warn " + warnBytes + " bytes, fail " + failBytes
            + " bytes, unlogged partitions " + unloggedPartitionsWarn
            + ": expected 1 <= warn <= fail and at least 1 partition");
      }
    }
  }

  static final String AGGREGATE_WITHOUT_KEY = "Aggregation query used without partition key";
  static final String AGGREGATE_WITH_IN = "Aggregation query used on multiple partition keys (IN restriction)";

  /** Per-cell overhead Cassandra counts in a mutation's data size: timestamp, TTL, deletion time. */
  private static final int CELL_OVERHEAD_BYTES = 16;
  /** Per-row overhead: primary key liveness timestamp and row deletion time. */
  private static final int ROW_OVERHEAD_BYTES = 20;
  private static final int DELETION_BYTES = 12;

  private ClientWarnings() {}

  /**
   * Checks a batch's mutations as Cassandra does before applying them: a logged batch on a table
   * with gc_grace_seconds 0 warns; a batch over several partitions warns above the size warn
   * threshold and is refused as Invalid above the fail threshold; an unlogged batch over more
   * partitions than the unlogged threshold warns.
   */
  static void checkBatch(boolean logged, List<Mutation> mutations, Map<UUID, TableMetadata> tables,
                         BatchThresholds thresholds) {
    if (mutations.isEmpty()) {
      return;
    }
    Set<String> tableNames = new TreeSet<>();
    Set<String> zeroGcGrace = new TreeSet<>();
    // Cassandra's "mutations" are per keyspace and partition; its key set is per partition key.
    Set<List<Object>> keyspacePartitions = new HashSet<>();
    Set<PartitionKey> partitions = new HashSet<>();
    long sizeBytes = 0;
    for (Mutation m : mutations) {
      TableMetadata t = tables.get(m.tableId());
      String name = t.keyspace() + "." + t.name();
      tableNames.add(name);
      if (t.params().gcGraceSeconds() == 0) {
        zeroGcGrace.add(name);
      }
      keyspacePartitions.add(List.of(t.keyspace(), m.key()));
      partitions.add(m.key());
      sizeBytes += dataSizeBytes(m);
    }
    if (logged && !zeroGcGrace.isEmpty()) {
      RequestContext.warn("Executing a LOGGED BATCH on table" + plural(zeroGcGrace) + " " + zeroGcGrace
          + ", configured with a gc_grace_seconds of 0. The gc_grace_seconds is used to TTL batchlog entries, so "
          + "setting gc_grace_seconds too low on tables involved in an atomic batch might cause batchlog entries to "
          + "expire before being replayed.");
    }
    if (keyspacePartitions.size() <= 1) {
      return; // as in Cassandra, a single-partition batch is never warned about or refused for size
    }
    if (sizeBytes > thresholds.warnBytes()) {
      if (sizeBytes > thresholds.failBytes()) {
        RequestContext.trace("Batch for " + tableNames + " is of size " + sizeBytes + ", exceeding specified threshold of "
            + thresholds.failBytes() + " by " + (sizeBytes - thresholds.failBytes()) + ". (see query.batch-fail-bytes)");
        throw MeridianException.invalid("Batch too large");
      }
      RequestContext.warn("Batch for " + tableNames + " is of size " + sizeBytes + ", exceeding specified threshold of "
          + thresholds.warnBytes() + " by " + (sizeBytes - thresholds.warnBytes()) + ".");
    }
    if (!logged && partitions.size() > thresholds.unloggedPartitionsWarn()) {
      RequestContext.warn("Unlogged batch covering " + partitions.size() + " partitions detected against table"
          + plural(tableNames) + " " + tableNames
          + ". You should use a logged batch for atomicity, or asynchronous writes for performance.");
    }
  }

  private static String plural(Set<String> names) {
    return names.size() == 1 ? "" : "s";
  }

  /** About the size Cassandra measures for a mutation: values and keys plus fixed overheads. */
  static long dataSizeBytes(Mutation m) {
    long size = m.partitionDeletion() == null || m.partitionDeletion().isLive() ? 0 : DELETION_BYTES;
    for (RangeTombstone rt : m.rangeTombstones()) {
      size += DELETION_BYTES + rt.start().length + rt.end().length;
    }
    for (RowUpdate row : m.rows()) {
      size += ROW_OVERHEAD_BYTES + row.clustering().length + row.columnDeletions().size() * (long) DELETION_BYTES;
      for (Cell c : row.cells()) {
        size += CELL_OVERHEAD_BYTES + c.path().length + (c.value() == null ? 0 : c.value().length);
      }
    }
    return size;
  }

  /**
   * Warns, as Cassandra does, when an aggregate or GROUP BY query reads without a partition key
   * restriction, or with IN on it.
   */
  static void checkAggregation(TableMetadata table, Select select) {
    boolean keyRestricted = false;
    boolean keyIn = false;
    for (Relation r : select.where()) {
      if (r instanceof Relation.TokenRelation) {
        keyRestricted = true;
      } else if (r instanceof Relation.ColumnRelation cr) {
        ColumnMetadata c = table.column(cr.column()).orElse(null);
        if (c != null && c.kind() == ColumnMetadata.Kind.PARTITION_KEY) {
          keyRestricted = true;
          keyIn |= cr.op() == Operator.IN;
        }
      }
    }
    if (!keyRestricted) {
      RequestContext.warn(AGGREGATE_WITHOUT_KEY);
    } else if (keyIn) {
      RequestContext.warn(AGGREGATE_WITH_IN);
    }
  }
}
