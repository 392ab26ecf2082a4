package io.meridian.query;

import io.meridian.common.MeridianException;
import io.meridian.cql.ast.CreateIndex;
import io.meridian.cql.ast.DropIndex;
import io.meridian.cql.ast.Property;
import io.meridian.cql.ast.QualifiedName;
import io.meridian.cql.ast.Schema;
import io.meridian.schema.IndexMetadata;
import io.meridian.schema.IndexRequest;
import io.meridian.schema.SchemaManager;
import io.meridian.schema.SchemaResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns CREATE INDEX and DROP INDEX statements into schema changes; the rules live in the schema module. */
final class IndexDdl {
  private static final String PROPERTY_OPTIONS = "options";

  private IndexDdl() {}

  static SchemaResult create(SchemaManager schema, CreateIndex s, String sessionKeyspace) {
    QualifiedName table = SchemaExecutor.qualify(s.table(), sessionKeyspace);
    List<IndexRequest.Target> targets = new ArrayList<>();
    for (Schema.IndexTarget t : s.targets()) {
      targets.add(new IndexRequest.Target(t.column(), IndexMetadata.TargetType.valueOf(t.kind().name())));
    }
    Map<String, String> options = null;
    for (Property p : s.properties()) {
      if (!p.name().equals(PROPERTY_OPTIONS)) {
        throw MeridianException.syntax("Unknown property '" + p.name() + "'");
      }
      if (options != null) {
        throw MeridianException.syntax("Multiple definitions for property '" + p.name() + "'");
      }
      if (!(p.value() instanceof Property.MapValue m)) {
        throw MeridianException.syntax("Invalid value for property '" + p.name() + "'. It should be a map.");
      }
      options = m.entries();
    }
    IndexRequest request = new IndexRequest(s.indexName(), targets, s.custom(), s.usingClass(), options, s.ifNotExists());
    return schema.createIndex(table.keyspace(), table.name(), request);
  }

  static SchemaResult drop(SchemaManager schema, DropIndex s, String sessionKeyspace) {
    QualifiedName name = SchemaExecutor.qualify(s.name(), sessionKeyspace);
    return schema.dropIndex(name.keyspace(), name.name(), s.ifExists());
  }
}
