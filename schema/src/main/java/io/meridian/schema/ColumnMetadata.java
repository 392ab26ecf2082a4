package io.meridian.schema;

import io.meridian.common.Invariants;
import io.meridian.types.CqlType;
import java.util.Objects;

/**
 * One column of a table. Primary key columns carry their 0-based position within the partition
 * key or the clustering key; regular and static columns have position -1. Only clustering columns
 * have an order other than NONE.
 */
public record ColumnMetadata(
    String name, CqlType type, Kind kind, int position, ClusteringOrder order) {

  /** The role a column plays, with the names system_schema.columns.kind uses. */
  public enum Kind {
    PARTITION_KEY("partition_key"),
    CLUSTERING("clustering"),
    REGULAR("regular"),
    STATIC("static");

    private final String schemaName;

    Kind(String schemaName) {
      this.schemaName = schemaName;
    }

    public String schemaName() {
      return schemaName;
    }

    public boolean isPrimaryKey() {
      return this == PARTITION_KEY || this == CLUSTERING;
    }

    public static Kind fromSchemaName(String name) {
      for (Kind kind : values()) {
        if (kind.schemaName.equals(name)) {
          return kind;
        }
      }
      throw new IllegalArgumentException("Unknown column kind '" + name + "'");
    }
  }

  public ColumnMetadata {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(order, "order");
    Invariants.check(!name.isEmpty(), "column name must not be empty");
    if (kind.isPrimaryKey()) {
      Invariants.check(position >= 0, "%s column %s needs a position >= 0, got %d", kind, name, position);
    } else {
      Invariants.check(position == -1, "%s column %s must have position -1, got %d", kind, name, position);
    }
    if (kind == Kind.CLUSTERING) {
      Invariants.check(order != ClusteringOrder.NONE, "clustering column %s needs ASC or DESC", name);
    } else {
      Invariants.check(order == ClusteringOrder.NONE, "%s column %s cannot have an order", kind, name);
    }
  }

  public static ColumnMetadata partitionKey(String name, CqlType type, int position) {
    return new ColumnMetadata(name, type, Kind.PARTITION_KEY, position, ClusteringOrder.NONE);
  }

  public static ColumnMetadata clustering(
      String name, CqlType type, int position, ClusteringOrder order) {
    return new ColumnMetadata(name, type, Kind.CLUSTERING, position, order);
  }

  public static ColumnMetadata regular(String name, CqlType type) {
    return new ColumnMetadata(name, type, Kind.REGULAR, -1, ClusteringOrder.NONE);
  }

  public static ColumnMetadata staticColumn(String name, CqlType type) {
    return new ColumnMetadata(name, type, Kind.STATIC, -1, ClusteringOrder.NONE);
  }

  public boolean isPrimaryKey() {
    return kind.isPrimaryKey();
  }

  public ColumnMetadata withName(String newName) {
    return new ColumnMetadata(newName, type, kind, position, order);
  }
}
