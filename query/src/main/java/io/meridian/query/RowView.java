package io.meridian.query;

import io.meridian.common.MeridianException;
import io.meridian.schema.ColumnMetadata;
import io.meridian.schema.DroppedColumn;
import io.meridian.schema.TableMetadata;
import io.meridian.storage.Cell;
import io.meridian.storage.PartitionData;
import io.meridian.storage.StoredRow;
import io.meridian.types.CqlTypes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A read row seen by column: key values decoded from the keys, other values from the cells. */
final class RowView {
  private final TableMetadata table;
  private final PartitionData partition;
  private final List<ByteBuffer> partitionKeyValues;
  private final StoredRow row;
  private final int nowSeconds;
  private List<ByteBuffer> clusteringValues;

  RowView(TableMetadata table, PartitionData partition, List<ByteBuffer> partitionKeyValues, StoredRow row, int nowSeconds) {
    this.table = table;
    this.partition = partition;
    this.partitionKeyValues = partitionKeyValues;
    this.row = row;
    this.nowSeconds = nowSeconds;
  }

  TableMetadata table() {
    return table;
  }

  long token() {
    return partition.key().token();
  }

  /** The clustering key bytes of this row, or null for a static-only row. */
  byte[] clustering() {
    return row == null ? null : row.clustering();
  }

  ByteBuffer value(ColumnMetadata c) {
    switch (c.kind()) {
      case PARTITION_KEY:
        return partitionKeyValues.get(c.position()).duplicate();
      case CLUSTERING:
        if (row == null) {
          return null;
        }
        if (clusteringValues == null) {
          clusteringValues = KeyEncoder.splitClustering(table, row.clustering());
        }
        return clusteringValues.get(c.position());
      case STATIC:
        if (c.type().isMultiCell()) {
          return collection(partition.staticRow(), c);
        }
        Cell s = cell(partition.staticRow(), c.name());
        return s == null ? null : ByteBuffer.wrap(s.value());
      default:
        if (c.type().isMultiCell()) {
          return collection(row, c);
        }
        Cell cell = cell(row, c.name());
        return cell == null ? null : ByteBuffer.wrap(cell.value());
    }
  }

  /** A non-frozen collection reassembled from its element cells; null when no element is live. */
  private ByteBuffer collection(StoredRow r, ColumnMetadata c) {
    if (r == null) {
      return null;
    }
    List<Cell> cells = new ArrayList<>();
    for (Cell cell : r.cells()) {
      if (cell.column().equals(c.name()) && cell.isLive(nowSeconds)) {
        cells.add(cell);
      }
    }
    if (cells.isEmpty()) {
      return null;
    }
    DroppedColumn dropped = table.droppedColumns().get(c.name());
    return CollectionCells.assemble(c.type(), cells, dropped == null ? Long.MIN_VALUE : dropped.droppedTimeMicros());
  }

  /**
   * True if the row has something a reader can see: its primary key liveness, a simple cell or a
   * live collection element. Storage never returns a row held only by column deletions, but may
   * return one held only by legacy collection deletion markers (see {@link CollectionCells}) or by
   * cells of dropped columns; a SELECT should skip rows for which this is false.
   */
  boolean hasLiveContent() {
    if (row == null) {
      return true;
    }
    if (row.livenessMicros() >= 0) {
      return true;
    }
    for (ColumnMetadata c : table.columns()) {
      if (c.kind() == ColumnMetadata.Kind.REGULAR && value(c) != null) {
        return true;
      }
    }
    return false;
  }

  private static MeridianException nonFrozen(String function, ColumnMetadata c) {
    return MeridianException.invalid("Cannot use selection function " + function + " on non-frozen collection " + c.name());
  }

  ByteBuffer writetime(ColumnMetadata c) {
    if (c.type().isMultiCell()) {
      throw nonFrozen("writeTime", c);
    }
    Cell cell = cell(c.kind() == ColumnMetadata.Kind.STATIC ? partition.staticRow() : row, c.name());
    return cell == null ? null : CqlTypes.BIGINT.encode(cell.timestampMicros());
  }

  ByteBuffer ttl(ColumnMetadata c) {
    if (c.type().isMultiCell()) {
      throw nonFrozen("ttl", c);
    }
    Cell cell = cell(c.kind() == ColumnMetadata.Kind.STATIC ? partition.staticRow() : row, c.name());
    if (cell == null || cell.ttlSeconds() == 0) {
      return null;
    }
    return CqlTypes.INT.encode(Math.max(0, cell.localDeletionTime() - nowSeconds));
  }

  private Cell cell(StoredRow r, String column) {
    if (r == null) {
      return null;
    }
    for (Cell cell : r.cells()) {
      if (cell.column().equals(column) && cell.isLive(nowSeconds)) {
        // A column dropped and re-added under the same name must not show values written before the drop.
        DroppedColumn dropped = table.droppedColumns().get(column);
        return dropped != null && cell.timestampMicros() <= dropped.droppedTimeMicros() ? null : cell;
      }
    }
    return null;
  }
}
