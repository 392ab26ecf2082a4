package io.meridian.cql.ast;

import java.util.List;

/** Small value types shared by the DDL statements. */
public final class Schema {
  private Schema() {}

  /** A column in CREATE TABLE or ALTER TABLE ADD. */
  public record ColumnDefinition(String name, TypeExpr type, boolean isStatic) {}

  /** The primary key: partition key columns then clustering columns. */
  public record PrimaryKey(List<String> partitionKey, List<String> clustering) {
    public PrimaryKey {
      partitionKey = List.copyOf(partitionKey);
      clustering = List.copyOf(clustering);
    }
  }

  public record ClusteringOrder(String column, boolean descending) {}

  /** A UDT field in CREATE TYPE or ALTER TYPE ADD. */
  public record FieldDefinition(String name, TypeExpr type) {}

  public record Rename(String from, String to) {}

  public enum IndexTargetKind { SIMPLE, KEYS, VALUES, ENTRIES, FULL }

  /** {@code col}, {@code keys(col)}, {@code values(col)}, {@code entries(col)}, {@code full(col)}. */
  public record IndexTarget(String column, IndexTargetKind kind) {}
}
