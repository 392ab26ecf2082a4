package io.meridian.schema.system;

import io.meridian.schema.Schema;
import io.meridian.schema.TableMetadata;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A read-only table whose rows are computed on each read (system.local, system_schema.*, ...).
 * {@link #columns()} lists the columns in the same order as {@code metadata().columns()} (the
 * {@code SELECT *} order); every row from {@link #rows} has one value per column in that order,
 * as a plain Java value (see {@link SystemColumnType}) or null. Rows come sorted by primary key.
 * Filtering, projection and paging are the query layer's job.
 */
public interface VirtualTable {
  String keyspace();

  String name();

  TableMetadata metadata();

  List<SystemColumn> columns();

  List<List<Object>> rows(Schema schema);

  /** One row serialized cell by cell for a ROWS result (a null entry is a null cell). */
  default List<ByteBuffer> serializeRow(List<Object> row) {
    List<SystemColumn> columns = columns();
    if (row.size() != columns.size()) {
      throw new IllegalArgumentException(
          keyspace() + "." + name() + " row has " + row.size() + " values, expected " + columns.size());
    }
    List<ByteBuffer> cells = new ArrayList<>(row.size());
    for (int i = 0; i < row.size(); i++) {
      cells.add(columns.get(i).type().serialize(row.get(i)));
    }
    return cells;
  }

  /** The serialized cell of one column of one row. */
  default ByteBuffer serializeCell(int columnIndex, Object value) {
    return columns().get(columnIndex).type().serialize(value);
  }
}
