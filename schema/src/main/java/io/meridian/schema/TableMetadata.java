package io.meridian.schema;

import io.meridian.common.Invariants;
import io.meridian.schema.ColumnMetadata.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * An immutable table definition. {@link #columns()} is kept in the order CQL's {@code SELECT *}
 * returns them: partition key columns by position, clustering columns by position, then static
 * columns and regular columns, each group sorted by name. The constructor checks the structural
 * invariants (unique names, at least one partition key column, positions 0..n-1 with no gaps);
 * the CQL-level rules (counters, static columns, frozen keys) are checked by {@link SchemaManager}
 * where the client gets a proper error.
 */
public final class TableMetadata {

  private static final Comparator<ColumnMetadata> SELECT_ORDER =
      Comparator.<ColumnMetadata>comparingInt(c -> kindRank(c.kind()))
          .thenComparingInt(ColumnMetadata::position)
          .thenComparing(ColumnMetadata::name);

  private final String keyspace;
  private final String name;
  private final UUID id;
  private final List<ColumnMetadata> columns;
  private final TableParams params;
  private final Map<String, DroppedColumn> droppedColumns;
  /** Secondary indexes sorted by name. */
  private final List<IndexMetadata> indexes;
  /** Null for a table; set for a materialized view (stored and read like a table). */
  private final ViewDefinition view;
  // Derived once: the query layer asks for these on every request.
  private final List<ColumnMetadata> partitionKey;
  private final List<ColumnMetadata> clustering;
  private final List<ColumnMetadata> regular;
  private final List<ColumnMetadata> statics;
  private final Map<String, ColumnMetadata> byName;
  private final boolean counter;

  public TableMetadata(
      String keyspace,
      String name,
      UUID id,
      List<ColumnMetadata> columns,
      TableParams params,
      Map<String, DroppedColumn> droppedColumns) {
    this(keyspace, name, id, columns, params, droppedColumns, List.of(), null);
  }

  public TableMetadata(
      String keyspace,
      String name,
      UUID id,
      List<ColumnMetadata> columns,
      TableParams params,
      Map<String, DroppedColumn> droppedColumns,
      List<IndexMetadata> indexes) {
    this(keyspace, name, id, columns, params, droppedColumns, indexes, null);
  }

  /** A table ({@code view == null}) or a materialized view, with its secondary indexes. */
  public TableMetadata(
      String keyspace,
      String name,
      UUID id,
      List<ColumnMetadata> columns,
      TableParams params,
      Map<String, DroppedColumn> droppedColumns,
      List<IndexMetadata> indexes,
      ViewDefinition view) {
    Objects.requireNonNull(keyspace, "keyspace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(params, "params");
    List<ColumnMetadata> sorted = new ArrayList<>(columns);
    sorted.sort(SELECT_ORDER);
    columns = List.copyOf(sorted);
    droppedColumns = Map.copyOf(droppedColumns);
    Set<String> names = new HashSet<>();
    int partitionKeys = 0;
    int clusterings = 0;
    for (ColumnMetadata column : columns) {
      Invariants.check(names.add(column.name()), "duplicate column %s in %s.%s", column.name(), keyspace, name);
      if (column.kind() == Kind.PARTITION_KEY) {
        Invariants.check(column.position() == partitionKeys++, "partition key positions of %s.%s must be 0..n-1", keyspace, name);
      } else if (column.kind() == Kind.CLUSTERING) {
        Invariants.check(column.position() == clusterings++, "clustering positions of %s.%s must be 0..n-1", keyspace, name);
      }
    }
    Invariants.check(partitionKeys > 0, "table %s.%s has no partition key column", keyspace, name);
    List<IndexMetadata> sortedIndexes = new ArrayList<>(indexes);
    sortedIndexes.sort(Comparator.comparing(IndexMetadata::name));
    Set<String> indexNames = new HashSet<>();
    for (IndexMetadata index : sortedIndexes) {
      Invariants.check(indexNames.add(index.name()), "duplicate index %s on %s.%s", index.name(), keyspace, name);
      Invariants.check(names.contains(index.column()), "index %s of %s.%s is on missing column %s",
          index.name(), keyspace, name, index.column());
    }
    this.indexes = List.copyOf(sortedIndexes);
    this.keyspace = keyspace;
    this.name = name;
    this.id = id;
    this.columns = columns;
    this.params = params;
    this.droppedColumns = droppedColumns;
    this.view = view;
    this.partitionKey = ofKind(columns, Kind.PARTITION_KEY);
    this.clustering = ofKind(columns, Kind.CLUSTERING);
    this.regular = ofKind(columns, Kind.REGULAR);
    this.statics = ofKind(columns, Kind.STATIC);
    Map<String, ColumnMetadata> map = new java.util.HashMap<>();
    columns.forEach(c -> map.put(c.name(), c));
    this.byName = Map.copyOf(map);
    this.counter = columns.stream().anyMatch(c -> Types.isCounter(c.type()));
  }

  public String keyspace() {
    return keyspace;
  }

  public String name() {
    return name;
  }

  public UUID id() {
    return id;
  }

  /** All columns in SELECT * order. */
  public List<ColumnMetadata> columns() {
    return columns;
  }

  public TableParams params() {
    return params;
  }

  public Map<String, DroppedColumn> droppedColumns() {
    return droppedColumns;
  }

  /** The secondary indexes of this table, sorted by name. */
  public List<IndexMetadata> indexes() {
    return indexes;
  }

  public Optional<IndexMetadata> index(String indexName) {
    return indexes.stream().filter(i -> i.name().equals(indexName)).findFirst();
  }

  /** The indexes on one column. */
  public List<IndexMetadata> indexesOn(String columnName) {
    return indexes.stream().filter(i -> i.dependsOn(columnName)).toList();
  }

  /** True for a materialized view. */
  public boolean isView() {
    return view != null;
  }

  /** The view definition, or null for a table. */
  public ViewDefinition view() {
    return view;
  }

  public TableMetadata withView(ViewDefinition newView) {
    return new TableMetadata(keyspace, name, id, columns, params, droppedColumns, indexes, newView);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TableMetadata t && keyspace.equals(t.keyspace) && name.equals(t.name) && id.equals(t.id)
        && columns.equals(t.columns) && params.equals(t.params) && droppedColumns.equals(t.droppedColumns)
        && indexes.equals(t.indexes)
        && Objects.equals(view, t.view);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyspace, name, id, columns, params, droppedColumns, indexes, view);
  }

  @Override
  public String toString() {
    return "TableMetadata[" + keyspace + "." + name + ", id=" + id + ", columns=" + columns + "]";
  }

  public TableMetadata(
      String keyspace, String name, UUID id, List<ColumnMetadata> columns, TableParams params) {
    this(keyspace, name, id, columns, params, Map.of());
  }

  private static int kindRank(Kind kind) {
    switch (kind) {
      case PARTITION_KEY:
        return 0;
      case CLUSTERING:
        return 1;
      case STATIC:
        return 2;
      default:
        return 3;
    }
  }

  private static List<ColumnMetadata> ofKind(List<ColumnMetadata> columns, Kind kind) {
    List<ColumnMetadata> result = new ArrayList<>();
    for (ColumnMetadata column : columns) {
      if (column.kind() == kind) {
        result.add(column);
      }
    }
    return List.copyOf(result);
  }

  public List<ColumnMetadata> partitionKey() {
    return partitionKey;
  }

  public List<ColumnMetadata> clusteringColumns() {
    return clustering;
  }

  public List<ColumnMetadata> regularColumns() {
    return regular;
  }

  public List<ColumnMetadata> staticColumns() {
    return statics;
  }

  /** Partition key columns followed by clustering columns. */
  public List<ColumnMetadata> primaryKey() {
    List<ColumnMetadata> key = new ArrayList<>(partitionKey());
    key.addAll(clusteringColumns());
    return List.copyOf(key);
  }

  public Optional<ColumnMetadata> column(String columnName) {
    return Optional.ofNullable(byName.get(columnName));
  }

  /** Index of the column in {@link #columns()}, or -1. */
  public int indexOf(String columnName) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(columnName)) {
        return i;
      }
    }
    return -1;
  }

  /** True for a counter table (every write path asks, so it is derived once). */
  public boolean isCounter() {
    return counter;
  }

  /** system_schema.tables.flags: every CQL table is 'compound'; counter tables also 'counter'. */
  public Set<String> flags() {
    return isCounter() ? Set.of("compound", "counter") : Set.of("compound");
  }

  public TableMetadata withColumns(List<ColumnMetadata> newColumns) {
    return new TableMetadata(keyspace, name, id, newColumns, params, droppedColumns, indexes, view);
  }

  public TableMetadata withParams(TableParams newParams) {
    return new TableMetadata(keyspace, name, id, columns, newParams, droppedColumns, indexes, view);
  }

  public TableMetadata withDroppedColumns(Map<String, DroppedColumn> dropped) {
    return new TableMetadata(keyspace, name, id, columns, params, dropped, indexes, view);
  }

  public TableMetadata withIndexes(List<IndexMetadata> newIndexes) {
    return new TableMetadata(keyspace, name, id, columns, params, droppedColumns, newIndexes, view);
  }

  /** The dropped columns sorted by name (a stable order for listings and persistence). */
  public List<DroppedColumn> droppedColumnsSorted() {
    List<DroppedColumn> list = new ArrayList<>(droppedColumns.values());
    list.sort(Comparator.comparing(DroppedColumn::name));
    return list;
  }

  static Map<String, DroppedColumn> mutableDropped(TableMetadata table) {
    return new LinkedHashMap<>(table.droppedColumns);
  }
}
