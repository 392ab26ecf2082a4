package io.meridian.query;

import io.meridian.common.AlreadyExistsException;
import io.meridian.common.MeridianException;
import io.meridian.cql.ast.AlterMaterializedView;
import io.meridian.cql.ast.CreateMaterializedView;
import io.meridian.cql.ast.DropMaterializedView;
import io.meridian.cql.ast.QualifiedName;
import io.meridian.cql.ast.Select;
import io.meridian.cql.ast.SelectItem;
import io.meridian.cql.ast.Selector;
import io.meridian.schema.ClusteringOrder;
import io.meridian.schema.ColumnMetadata;
import io.meridian.schema.KeyspaceMetadata;
import io.meridian.schema.SchemaManager;
import io.meridian.schema.SchemaResult;
import io.meridian.schema.TableMetadata;
import io.meridian.schema.ViewDefinition;
import io.meridian.storage.StorageEngine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * CREATE / ALTER / DROP MATERIALIZED VIEW with Apache Cassandra 5.0's rules and messages. Unlike
 * Cassandra 5.0, where materialized views are disabled unless {@code materialized_views_enabled} is
 * set, Meridian always enables them: the view rows are written in the same storage batch as the
 * base row, so the consistency problems that made Cassandra disable them do not arise here.
 *
 * <p>A view is stored and read like a table (its own storage table under the view id); the schema
 * marks it with a {@link ViewDefinition}.
 */
final class MaterializedViewStatements {
  private final SchemaManager schema;
  private final StorageEngine storage;
  private final ViewBuilder builder;
  private final int tabletsPerTable;

  MaterializedViewStatements(SchemaManager schema, StorageEngine storage, int tabletsPerTable) {
    this.schema = schema;
    this.storage = storage;
    this.builder = new ViewBuilder(schema, storage);
    this.tabletsPerTable = tabletsPerTable;
  }

  /** Finishes builds a crash interrupted; call before serving requests. */
  void resumeBuilds() {
    builder.resumePending();
  }

  SchemaResult create(CreateMaterializedView s, String sessionKeyspace) {
    QualifiedName name = SchemaExecutor.qualify(s.name(), sessionKeyspace);
    Select select = s.select();
    if (select.table().hasKeyspace() && !select.table().keyspace().equals(name.keyspace())) {
      throw MeridianException.invalid("Cannot create a materialized view on a table in a different keyspace");
    }
    String viewName = name.name();
    KeyspaceMetadata ks = schema.current().keyspace(name.keyspace())
        .orElseThrow(() -> MeridianException.invalid("Keyspace '" + name.keyspace() + "' doesn't exist"));
    TableMetadata base = ks.table(select.table().name()).filter(t -> !t.isView())
        .orElseThrow(() -> MeridianException.invalid("Base table '" + select.table().name() + "' doesn't exist"));
    Optional<TableMetadata> existing = ks.table(viewName);
    if (existing.isPresent() && !existing.get().isView()) {
      throw MeridianException.invalid(
          "Cannot create materialized view '" + viewName + "' - a table with the same name already exists");
    }
    if (existing.isPresent()) {
      if (s.ifNotExists()) {
        return new SchemaResult(schema.current(), List.of());
      }
      throw new AlreadyExistsException(name.keyspace(), viewName);
    }
    if (base.isCounter()) {
      throw MeridianException.invalid("Materialized views are not supported on counter tables");
    }
    if (base.params().gcGraceSeconds() == 0) {
      throw MeridianException.invalid("Cannot create materialized view '" + viewName + "' for base table '" + base.name()
          + "' with gc_grace_seconds of 0, since this value is used to TTL undelivered updates. Setting"
          + " gc_grace_seconds too low might cause undelivered updates to expire before being replayed.");
    }
    if (select.json() || select.distinct() || !select.groupBy().isEmpty() || !select.orderings().isEmpty()
        || select.limit() != null || select.perPartitionLimit() != null) {
      throw MeridianException.invalid("Only simple SELECT column lists and WHERE clauses are allowed when defining"
          + " a materialized view");
    }
    Set<String> selected = selectedColumns(base, select);
    for (String c : selected) {
      if (base.column(c).orElseThrow().kind() == ColumnMetadata.Kind.STATIC) {
        throw MeridianException.invalid("Cannot include static column '" + c + "' in materialized view '" + viewName + "'");
      }
    }
    List<String> partitionKey = s.primaryKey().partitionKey();
    List<String> clustering = s.primaryKey().clustering();
    if (partitionKey.isEmpty()) {
      throw MeridianException.invalid("Must provide at least one partition key column for materialized view '" + viewName + "'");
    }
    Set<String> keyColumns = new LinkedHashSet<>();
    List<String> all = new ArrayList<>(partitionKey);
    all.addAll(clustering);
    for (String c : all) {
      Optional<ColumnMetadata> column = base.column(c);
      if (column.isEmpty() || !selected.contains(c)) {
        throw MeridianException.invalid("Unknown column '" + c + "' referenced in PRIMARY KEY for materialized view '"
            + viewName + "'");
      }
      if (!keyColumns.add(c)) {
        throw MeridianException.invalid("Duplicate column '" + c + "' in PRIMARY KEY clause for materialized view '"
            + viewName + "'");
      }
      var type = column.get().type();
      if (type.isMultiCell()) {
        throw MeridianException.invalid("Invalid non-frozen collection type '" + type.cqlName() + "' for PRIMARY KEY column '"
            + c + "'");
      }
      if (type.cqlName().equals("counter")) {
        throw MeridianException.invalid("counter type is not supported for PRIMARY KEY column '" + c + "'");
      }
      if (type.cqlName().contains("duration")) { // also inside a frozen collection or tuple
        throw MeridianException.invalid("duration type is not supported for PRIMARY KEY column '" + c + "'");
      }
    }
    Map<String, Boolean> descending = new LinkedHashMap<>();
    for (var o : s.clusteringOrder()) {
      if (descending.put(o.column(), o.descending()) != null) {
        throw MeridianException.invalid("Duplicate column '" + o.column() + "' in CLUSTERING ORDER BY clause for view '"
            + viewName + "'");
      }
    }
    if (!descending.isEmpty() && !clustering.equals(new ArrayList<>(descending.keySet()))) {
      throw MeridianException.invalid("Clustering key columns must exactly match columns in CLUSTERING ORDER BY directive");
    }
    List<String> missing = new ArrayList<>();
    for (ColumnMetadata c : base.primaryKey()) {
      if (!keyColumns.contains(c.name())) {
        missing.add(c.name());
      }
    }
    if (!missing.isEmpty()) {
      throw MeridianException.invalid("Cannot create materialized view '" + viewName + "' without primary key columns "
          + String.join(", ", missing) + " from base table '" + base.name() + "'");
    }
    List<String> regularInKey = keyColumns.stream().filter(c -> !base.column(c).orElseThrow().isPrimaryKey()).toList();
    if (regularInKey.size() > 1) {
      throw MeridianException.invalid("Cannot include more than one non-primary key column in materialized view primary"
          + " key (got " + String.join(", ", regularInKey) + ")");
    }
    ViewRestrictions restrictions = ViewRestrictions.analyze(base, select.where());
    List<String> unrestricted = keyColumns.stream().filter(c -> !restrictions.restricts(c)).toList();
    if (!unrestricted.isEmpty()) {
      throw MeridianException.invalid("Primary key columns " + String.join(", ", unrestricted)
          + " must be restricted with 'IS NOT NULL' or otherwise");
    }
    restrictions.checkOnlyKeyColumnsRestricted();

    List<ColumnMetadata> columns = new ArrayList<>();
    for (int i = 0; i < partitionKey.size(); i++) {
      columns.add(ColumnMetadata.partitionKey(partitionKey.get(i), base.column(partitionKey.get(i)).orElseThrow().type(), i));
    }
    for (int i = 0; i < clustering.size(); i++) {
      ColumnMetadata b = base.column(clustering.get(i)).orElseThrow();
      Boolean desc = descending.get(b.name());
      // Without an explicit order a base clustering column keeps its own (Cassandra keeps its type).
      ClusteringOrder order = desc != null ? (desc ? ClusteringOrder.DESC : ClusteringOrder.ASC)
          : b.kind() == ColumnMetadata.Kind.CLUSTERING ? b.order() : ClusteringOrder.ASC;
      columns.add(ColumnMetadata.clustering(b.name(), b.type(), i, order));
    }
    for (String c : selected) {
      if (!keyColumns.contains(c)) {
        columns.add(ColumnMetadata.regular(c, base.column(c).orElseThrow().type()));
      }
    }
    ViewDefinition definition = new ViewDefinition(base.id(), base.name(), select.wildcard(),
        ViewRestrictions.text(select.where()), true);
    SchemaResult result = schema.createView(name.keyspace(), viewName, columns, definition,
        SchemaExecutor.properties(s.properties()), s.ifNotExists());
    if (result.applied()) {
      TableMetadata view = result.schema().table(name.keyspace(), viewName).orElseThrow();
      storage.createTable(view.id(), tabletsPerTable);
      builder.build(view);
    }
    return result;
  }

  /** The base columns the SELECT names ({@code *}: all of them), in base order. */
  private static Set<String> selectedColumns(TableMetadata base, Select select) {
    Set<String> selected = new LinkedHashSet<>();
    if (select.wildcard()) {
      base.columns().forEach(c -> selected.add(c.name()));
      return selected;
    }
    for (SelectItem item : select.selection()) {
      if (item.hasAlias()) {
        throw MeridianException.invalid("Cannot use aliases when defining a materialized view (got "
            + io.meridian.cql.ast.CqlPrinter.print(item.selector()) + " AS " + item.alias() + ")");
      }
      if (!(item.selector() instanceof Selector.Column c)) {
        throw MeridianException.invalid("Can only select columns by name when defining a materialized view (got "
            + io.meridian.cql.ast.CqlPrinter.print(item.selector()) + ")");
      }
      if (base.column(c.name()).isEmpty()) {
        throw MeridianException.invalid("Undefined column name " + c.name() + " in table " + base.keyspace() + "."
            + base.name());
      }
      selected.add(c.name());
    }
    return selected;
  }

  SchemaResult drop(DropMaterializedView s, String sessionKeyspace) {
    QualifiedName name = SchemaExecutor.qualify(s.name(), sessionKeyspace);
    Optional<TableMetadata> view = schema.current().table(name.keyspace(), name.name()).filter(TableMetadata::isView);
    SchemaResult result = schema.dropView(name.keyspace(), name.name(), s.ifExists());
    if (result.applied()) {
      view.ifPresent(v -> storage.dropTable(v.id()));
    }
    return result;
  }

  SchemaResult alter(AlterMaterializedView s, String sessionKeyspace) {
    QualifiedName name = SchemaExecutor.qualify(s.name(), sessionKeyspace);
    return schema.alterViewOptions(name.keyspace(), name.name(), SchemaExecutor.properties(s.properties()), s.ifExists());
  }
}
