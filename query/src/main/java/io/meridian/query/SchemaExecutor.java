package io.meridian.query;

import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.response.event.SchemaChangeEvent;
import io.meridian.common.MeridianException;
import io.meridian.cql.ast.AlterKeyspace;
import io.meridian.cql.ast.AlterTable;
import io.meridian.cql.ast.AlterTableAction;
import io.meridian.cql.ast.CreateIndex;
import io.meridian.cql.ast.CreateKeyspace;
import io.meridian.cql.ast.AlterType;
import io.meridian.cql.ast.CreateTable;
import io.meridian.cql.ast.CreateType;
import io.meridian.cql.ast.DropIndex;
import io.meridian.cql.ast.DropKeyspace;
import io.meridian.cql.ast.DropTable;
import io.meridian.cql.ast.DropType;
import io.meridian.cql.ast.Property;
import io.meridian.cql.ast.QualifiedName;
import io.meridian.cql.ast.Schema;
import io.meridian.cql.ast.SchemaStatement;
import io.meridian.cql.ast.Truncate;
import io.meridian.protocol.ServerEvents;
import io.meridian.schema.ClusteringOrder;
import io.meridian.schema.ColumnMetadata;
import io.meridian.schema.SchemaChange;
import io.meridian.schema.SchemaManager;
import io.meridian.schema.SchemaResult;
import io.meridian.schema.SystemKeyspaceNames;
import io.meridian.schema.TableMetadata;
import io.meridian.storage.StorageEngine;
import io.meridian.types.CqlType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Executes DDL: validates through the schema manager (which persists the change), creates or
 * drops the tables' storage, and announces the change to the client and to registered drivers.
 * Serialized: one schema change at a time.
 */
final class SchemaExecutor {
  private final SchemaManager schema;
  private final StorageEngine storage;
  private final ServerEvents events;
  private final int tabletsPerTable;

  private final MaterializedViewStatements views;

  SchemaExecutor(SchemaManager schema, StorageEngine storage, ServerEvents events, int tabletsPerTable) {
    this.schema = schema;
    this.storage = storage;
    this.events = events;
    this.tabletsPerTable = tabletsPerTable;
    this.views = new MaterializedViewStatements(schema, storage, tabletsPerTable);
    views.resumeBuilds();
  }

  /** On a cluster another node's change may win the race; the statement is then computed again. */
  private static final int CONFLICT_RETRIES = 5;

  synchronized Message execute(SchemaStatement statement, String sessionKeyspace) {
    for (int attempt = 1; ; attempt++) {
      try {
        return executeOnce(statement, sessionKeyspace);
      } catch (io.meridian.schema.SchemaConflictException e) {
        if (attempt >= CONFLICT_RETRIES) {
          throw e;
        }
        RequestContext.trace("Schema changed concurrently on another node; computing the change again");
      }
    }
  }

  private Message executeOnce(SchemaStatement statement, String sessionKeyspace) {
    if (statement instanceof CreateKeyspace s) {
      return announce(schema.createKeyspace(s.name(), properties(s.properties()), s.ifNotExists()));
    }
    if (statement instanceof AlterKeyspace s) {
      return announce(schema.alterKeyspace(s.name(), properties(s.properties()), s.ifExists()));
    }
    if (statement instanceof DropKeyspace s) {
      List<TableMetadata> tables = schema.current().keyspace(s.name())
          .map(ks -> new ArrayList<>(ks.tables().values())).orElseGet(ArrayList::new);
      SchemaResult result = schema.dropKeyspace(s.name(), s.ifExists());
      if (result.applied()) {
        tables.forEach(t -> storage.dropTable(t.id()));
      }
      return announce(result);
    }
    if (statement instanceof CreateTable s) {
      return createTable(s, sessionKeyspace);
    }
    if (statement instanceof AlterTable s) {
      return alterTable(s, sessionKeyspace);
    }
    if (statement instanceof DropTable s) {
      QualifiedName name = qualify(s.name(), sessionKeyspace);
      var existing = schema.current().table(name.keyspace(), name.name());
      SchemaResult result = schema.dropTable(name.keyspace(), name.name(), s.ifExists());
      if (result.applied()) {
        existing.ifPresent(t -> storage.dropTable(t.id()));
      }
      return announce(result);
    }
    if (statement instanceof CreateIndex s) {
      return announce(IndexDdl.create(schema, s, sessionKeyspace));
    }
    if (statement instanceof DropIndex s) {
      return announce(IndexDdl.drop(schema, s, sessionKeyspace));
    }
    if (statement instanceof io.meridian.cql.ast.CreateMaterializedView s) {
      return announce(views.create(s, sessionKeyspace));
    }
    if (statement instanceof io.meridian.cql.ast.DropMaterializedView s) {
      return announce(views.drop(s, sessionKeyspace));
    }
    if (statement instanceof io.meridian.cql.ast.AlterMaterializedView s) {
      return announce(views.alter(s, sessionKeyspace));
    }
    if (statement instanceof Truncate s) {
      QualifiedName name = qualify(s.name(), sessionKeyspace);
      if (SystemKeyspaceNames.isBuiltIn(name.keyspace())) {
        throw new MeridianException(io.meridian.common.CqlErrorCode.UNAUTHORIZED,
            name.keyspace() + " keyspace is not user-modifiable.");
      }
      TableMetadata table = QueryProcessor.table(schema.current(), name);
      if (table.isView()) {
        throw MeridianException.invalid("Cannot TRUNCATE materialized view directly; must truncate base table instead");
      }
      storage.truncate(table.id()).join();
      // A base table's views are emptied with it.
      schema.current().keyspace(name.keyspace()).ifPresent(ks -> ks.viewsOf(table.id())
          .forEach(v -> storage.truncate(v.id()).join()));
      return com.datastax.oss.protocol.internal.response.result.Void.INSTANCE;
    }
    if (statement instanceof CreateType || statement instanceof AlterType || statement instanceof DropType) {
      return announce(UserTypeStatements.execute(schema, statement, sessionKeyspace));
    }
    throw MeridianException.invalid(statement.getClass().getSimpleName()
        + " is not supported yet (views and roles arrive with later releases)");
  }

  private Message createTable(CreateTable s, String sessionKeyspace) {
    QualifiedName name = qualify(s.name(), sessionKeyspace);
    if (s.compactStorage()) {
      throw MeridianException.invalid("COMPACT STORAGE tables are not supported (removed in Cassandra 4.0)");
    }
    Schema.PrimaryKey pk = s.primaryKey();
    if (pk.partitionKey().isEmpty()) {
      throw MeridianException.invalid("No PRIMARY KEY specifed for table '" + name.name() + "' (exactly one required)");
    }
    Map<String, Schema.ColumnDefinition> defs = new LinkedHashMap<>();
    for (Schema.ColumnDefinition d : s.columns()) {
      if (defs.put(d.name(), d) != null) {
        throw MeridianException.invalid("Duplicate column '" + d.name() + "' declaration for table " + name.keyspace() + "." + name.name());
      }
    }
    Map<String, Boolean> descending = new LinkedHashMap<>();
    for (Schema.ClusteringOrder o : s.clusteringOrder()) {
      if (!pk.clustering().contains(o.column())) {
        throw MeridianException.invalid("Only clustering key columns can be defined in CLUSTERING ORDER directive: "
            + o.column() + " is not a clustering column");
      }
      descending.put(o.column(), o.descending());
    }
    if (!descending.isEmpty()) {
      List<String> ordered = new ArrayList<>(descending.keySet());
      if (!pk.clustering().subList(0, ordered.size()).equals(ordered)) {
        throw MeridianException.invalid("The order of columns in the CLUSTERING ORDER directive must match that of the clustering columns ("
            + String.join(", ", pk.clustering()) + ")");
      }
    }
    TypeResolver types = TypeResolver.forKeyspace(schema.current(), name.keyspace());
    List<ColumnMetadata> columns = new ArrayList<>();
    Set<String> keyColumns = new HashSet<>();
    for (int i = 0; i < pk.partitionKey().size(); i++) {
      String c = pk.partitionKey().get(i);
      columns.add(ColumnMetadata.partitionKey(c, types.columnType(definition(defs, c, name).type()), i));
      keyColumns.add(c);
    }
    for (int i = 0; i < pk.clustering().size(); i++) {
      String c = pk.clustering().get(i);
      if (!keyColumns.add(c)) {
        throw MeridianException.invalid("Column " + c + " appears twice in the PRIMARY KEY");
      }
      ClusteringOrder order = Boolean.TRUE.equals(descending.get(c)) ? ClusteringOrder.DESC : ClusteringOrder.ASC;
      columns.add(ColumnMetadata.clustering(c, types.columnType(definition(defs, c, name).type()), i, order));
    }
    for (Schema.ColumnDefinition d : defs.values()) {
      if (keyColumns.contains(d.name())) {
        if (d.isStatic()) {
          throw MeridianException.invalid("Static column " + d.name() + " cannot be part of the PRIMARY KEY");
        }
        continue;
      }
      CqlType t = types.columnType(d.type());
      columns.add(d.isStatic() ? ColumnMetadata.staticColumn(d.name(), t) : ColumnMetadata.regular(d.name(), t));
    }
    SchemaResult result = schema.createTable(name.keyspace(), name.name(), columns, properties(s.properties()), s.ifNotExists());
    if (result.applied()) {
      TableMetadata created = result.schema().table(name.keyspace(), name.name()).orElseThrow();
      storage.createTable(created.id(), tabletsPerTable);
    }
    return announce(result);
  }

  private Message alterTable(AlterTable s, String sessionKeyspace) {
    QualifiedName name = qualify(s.name(), sessionKeyspace);
    AlterTableAction action = s.action();
    SchemaResult result;
    if (action instanceof AlterTableAction.AddColumns add) {
      List<ColumnMetadata> added = new ArrayList<>();
      TypeResolver types = TypeResolver.forKeyspace(schema.current(), name.keyspace());
      for (Schema.ColumnDefinition d : add.columns()) {
        CqlType t = types.columnType(d.type());
        added.add(d.isStatic() ? ColumnMetadata.staticColumn(d.name(), t) : ColumnMetadata.regular(d.name(), t));
      }
      result = schema.addColumns(name.keyspace(), name.name(), added, s.ifExists(), add.ifNotExists());
    } else if (action instanceof AlterTableAction.DropColumns drop) {
      Long ts = drop.timestamp() == null ? null : Long.parseLong(drop.timestamp().text());
      result = schema.dropColumns(name.keyspace(), name.name(), drop.columns(), ts, s.ifExists(), drop.ifExists());
    } else if (action instanceof AlterTableAction.RenameColumns rename) {
      Map<String, String> renames = new LinkedHashMap<>();
      rename.renames().forEach(r -> renames.put(r.from(), r.to()));
      result = schema.renameColumns(name.keyspace(), name.name(), renames, s.ifExists(), rename.ifExists());
    } else if (action instanceof AlterTableAction.SetOptions options) {
      result = schema.alterTableOptions(name.keyspace(), name.name(), properties(options.properties()), s.ifExists());
    } else {
      throw MeridianException.invalid("Unsupported ALTER TABLE action");
    }
    return announce(result);
  }

  private static Schema.ColumnDefinition definition(Map<String, Schema.ColumnDefinition> defs, String column, QualifiedName table) {
    Schema.ColumnDefinition d = defs.get(column);
    if (d == null) {
      throw MeridianException.invalid("Unknown definition " + column + " referenced in PRIMARY KEY for table "
          + table.keyspace() + "." + table.name());
    }
    return d;
  }

  static Map<String, Object> properties(List<Property> properties) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Property p : properties) {
      Object value;
      if (p.value() instanceof Property.MapValue m) {
        value = m.entries();
      } else if (p.value() instanceof Property.Identifier i) {
        value = i.name();
      } else {
        var c = ((Property.Literal) p.value()).constant();
        value = switch (c.kind()) {
          case BOOLEAN -> Boolean.valueOf(c.text());
          case INTEGER -> Long.valueOf(c.text());
          case FLOAT -> Double.valueOf(c.text());
          default -> c.text();
        };
      }
      if (out.put(p.name(), value) != null) {
        throw MeridianException.syntax("Multiple definitions for property '" + p.name() + "'");
      }
    }
    return out;
  }

  static QualifiedName qualify(QualifiedName name, String sessionKeyspace) {
    if (name.hasKeyspace()) {
      return name;
    }
    if (sessionKeyspace == null) {
      throw MeridianException.invalid("No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename");
    }
    return name.withDefaultKeyspace(sessionKeyspace);
  }

  /** The RESULT for the client and the EVENT for registered connections. */
  private Message announce(SchemaResult result) {
    if (!result.applied()) {
      return com.datastax.oss.protocol.internal.response.result.Void.INSTANCE;
    }
    SchemaChange change = result.changes().get(0);
    for (SchemaChange c : result.changes()) {
      events.publish(new SchemaChangeEvent(c.type().name(), c.target().name(), c.keyspace(),
          c.target() == SchemaChange.Target.KEYSPACE ? null : c.name(), c.argumentTypes()));
    }
    return new com.datastax.oss.protocol.internal.response.result.SchemaChange(change.type().name(), change.target().name(),
        change.keyspace(), change.target() == SchemaChange.Target.KEYSPACE ? null : change.name(), change.argumentTypes());
  }

}
