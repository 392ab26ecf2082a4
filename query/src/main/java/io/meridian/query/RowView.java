package io.meridian.query;

import io.meridian.common.MeridianException;
import io.meridian.schema.ColumnMetadata;
import io.meridian.schema.DroppedColumn;
import io.meridian.schema.TableMetadata;
import io.meridian.storage.Cell;
import io.meridian.storage.PartitionData;
import io.meridian.storage.StoredRow;
import io.meridian.types.CqlType;
import io.meridian.types.CqlTypes;
import io.meridian.types.ListType;
import io.meridian.types.UserType;
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

  /**
   * A non-frozen collection or user type reassembled from its element or field cells; null when
   * no element or field is live.
   */
  private ByteBuffer collection(StoredRow r, ColumnMetadata c) {
    List<Cell> cells = liveCells(r, c);
    if (cells.isEmpty()) {
      return null;
    }
    if (c.type() instanceof UserType u) {
      return UdtCells.assemble(u, cells, droppedTime(c));
    }
    return CollectionCells.assemble(c.type(), cells, droppedTime(c));
  }

  private List<Cell> liveCells(StoredRow r, ColumnMetadata c) {
    List<Cell> cells = new ArrayList<>();
    if (r == null) {
      return cells;
    }
    for (Cell cell : r.cells()) {
      if (cell.column().equals(c.name()) && cell.isLive(nowSeconds)) {
        cells.add(cell);
      }
    }
    return cells;
  }

  /** Cells at or before this time belong to an earlier, dropped column of the same name. */
  private long droppedTime(ColumnMetadata c) {
    DroppedColumn dropped = table.droppedColumns().get(c.name());
    return dropped == null ? Long.MIN_VALUE : dropped.droppedTimeMicros();
  }

  /**
   * The cell holding field {@code position} of a user type column: its own cell when the type is
   * not frozen, the whole value's cell when it is frozen and the field is not null; else null.
   */
  private Cell fieldCell(ColumnMetadata c, int position) {
    StoredRow r = c.kind() == ColumnMetadata.Kind.STATIC ? partition.staticRow() : row;
    if (c.type().isMultiCell()) {
      return UdtCells.fieldCellOf(liveCells(r, c), position, droppedTime(c));
    }
    Cell cell = cell(r, c.name());
    if (cell == null) {
      return null;
    }
    List<ByteBuffer> fields = ((UserType) c.type()).fields(ByteBuffer.wrap(cell.value()));
    return fields.get(position) == null ? null : cell;
  }

  /** writetime(u.f): the write time of one field of a user type column. */
  ByteBuffer fieldWritetime(ColumnMetadata c, int position) {
    Cell cell = fieldCell(c, position);
    return cell == null ? null : CqlTypes.BIGINT.encode(cell.timestampMicros());
  }

  /** ttl(u.f): the remaining time to live of one field of a user type column. */
  ByteBuffer fieldTtl(ColumnMetadata c, int position) {
    Cell cell = fieldCell(c, position);
    if (cell == null || cell.ttlSeconds() == 0) {
      return null;
    }
    return CqlTypes.INT.encode(Math.max(0, cell.localDeletionTime() - nowSeconds));
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

  /** The type writetime() answers for {@code c}: bigint, or for a multi-cell column a list of them. */
  static CqlType writetimeType(ColumnMetadata c) {
    return c.type().isMultiCell() ? new ListType(CqlTypes.BIGINT, true) : CqlTypes.BIGINT;
  }

  /** The type ttl() answers for {@code c}: int, or for a multi-cell column a list of them. */
  static CqlType ttlType(ColumnMetadata c) {
    return c.type().isMultiCell() ? new ListType(CqlTypes.INT, true) : CqlTypes.INT;
  }

  /**
   * writetime(c). For a non-frozen collection or user type, as in Cassandra 5.0: the list of its
   * cells' write times in element (or field) order, or null when it has no cell.
   */
  ByteBuffer writetime(ColumnMetadata c) {
    if (c.type().isMultiCell()) {
      List<Cell> cells = liveElementCells(c);
      if (cells.isEmpty()) {
        return null;
      }
      List<ByteBuffer> times = new ArrayList<>(cells.size());
      cells.forEach(cell -> times.add(CqlTypes.BIGINT.encode(cell.timestampMicros())));
      return nullableList(times);
    }
    Cell cell = cell(c.kind() == ColumnMetadata.Kind.STATIC ? partition.staticRow() : row, c.name());
    return cell == null ? null : CqlTypes.BIGINT.encode(cell.timestampMicros());
  }

  /** The live element (or field) cells of a multi-cell column, in element order. */
  private List<Cell> liveElementCells(ColumnMetadata c) {
    StoredRow r = c.kind() == ColumnMetadata.Kind.STATIC ? partition.staticRow() : row;
    DroppedColumn dropped = table.droppedColumns().get(c.name());
    return CollectionCells.liveElements(r, c.name(), nowSeconds, dropped == null ? Long.MIN_VALUE : dropped.droppedTimeMicros());
  }


  /** A serialized list whose elements may be null (a ttl() list holds nulls for cells without TTL). */
  private static ByteBuffer nullableList(List<ByteBuffer> items) {
    int size = 4;
    for (ByteBuffer b : items) {
      size += 4 + (b == null ? 0 : b.remaining());
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.putInt(items.size());
    for (ByteBuffer b : items) {
      if (b == null) {
        out.putInt(-1);
      } else {
        out.putInt(b.remaining()).put(b.duplicate());
      }
    }
    return out.flip();
  }

  /**
   * maxwritetime(c): the newest write time among the column's live cells (every element of a
   * non-frozen collection, every field of a non-frozen user type), or null when it has none.
   */
  ByteBuffer maxWritetime(ColumnMetadata c) {
    if (!c.type().isMultiCell()) {
      return writetime(c);
    }
    List<Cell> cells = liveElementCells(c);
    if (cells.isEmpty()) {
      return null;
    }
    return CqlTypes.BIGINT.encode(cells.stream().mapToLong(Cell::timestampMicros).max().getAsLong());
  }


  /** ttl(c); for a multi-cell column the list of its cells' remaining TTLs (null for a cell without one). */
  ByteBuffer ttl(ColumnMetadata c) {
    if (c.type().isMultiCell()) {
      List<Cell> cells = liveElementCells(c);
      if (cells.isEmpty()) {
        return null;
      }
      List<ByteBuffer> ttls = new ArrayList<>(cells.size());
      for (Cell cell : cells) {
        ttls.add(cell.ttlSeconds() == 0 ? null : CqlTypes.INT.encode(Math.max(0, cell.localDeletionTime() - nowSeconds)));
      }
      return nullableList(ttls);
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
