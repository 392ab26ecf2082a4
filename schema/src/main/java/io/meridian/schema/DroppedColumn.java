package io.meridian.schema;

import java.util.Objects;

/**
 * A column removed by ALTER TABLE ... DROP, kept so data written before the drop stays hidden and
 * so system_schema.dropped_columns can list it. The type is kept by name: it only has to be shown
 * and compared, never used to decode live data.
 */
public record DroppedColumn(
    String name, String typeName, ColumnMetadata.Kind kind, long droppedTimeMicros) {
  public DroppedColumn {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(typeName, "typeName");
    Objects.requireNonNull(kind, "kind");
  }
}
