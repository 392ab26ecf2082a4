package io.meridian.schema;

/** The order of a clustering column; NONE for every other kind of column. */
public enum ClusteringOrder {
  ASC("asc"),
  DESC("desc"),
  NONE("none");

  private final String schemaName;

  ClusteringOrder(String schemaName) {
    this.schemaName = schemaName;
  }

  /** As shown in system_schema.columns.clustering_order. */
  public String schemaName() {
    return schemaName;
  }

  public static ClusteringOrder fromSchemaName(String name) {
    for (ClusteringOrder order : values()) {
      if (order.schemaName.equals(name)) {
        return order;
      }
    }
    throw new IllegalArgumentException("Unknown clustering order '" + name + "'");
  }
}
