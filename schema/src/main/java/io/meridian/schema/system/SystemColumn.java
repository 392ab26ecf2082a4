package io.meridian.schema.system;

import io.meridian.schema.ClusteringOrder;
import io.meridian.schema.ColumnMetadata;
import io.meridian.schema.ColumnMetadata.Kind;
import java.util.Objects;

/** A column of a virtual system table: the {@link ColumnMetadata} fields with a system type. */
public record SystemColumn(String name, SystemColumnType type, Kind kind, int position, ClusteringOrder order) {
  public SystemColumn {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }

  static SystemColumn pk(String name, SystemColumnType type, int position) {
    return new SystemColumn(name, type, Kind.PARTITION_KEY, position, ClusteringOrder.NONE);
  }

  static SystemColumn ck(String name, SystemColumnType type, int position) {
    return new SystemColumn(name, type, Kind.CLUSTERING, position, ClusteringOrder.ASC);
  }

  static SystemColumn reg(String name, SystemColumnType type) {
    return new SystemColumn(name, type, Kind.REGULAR, -1, ClusteringOrder.NONE);
  }

  ColumnMetadata toColumnMetadata() {
    return new ColumnMetadata(name, type.cqlType(), kind, position, order);
  }
}
