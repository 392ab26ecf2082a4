package io.meridian.query;

import io.meridian.cql.ast.AlterType;
import io.meridian.cql.ast.AlterTypeAction;
import io.meridian.cql.ast.CreateType;
import io.meridian.cql.ast.DropType;
import io.meridian.cql.ast.QualifiedName;
import io.meridian.cql.ast.Schema;
import io.meridian.cql.ast.SchemaStatement;
import io.meridian.cql.ast.TypeExpr;
import io.meridian.common.MeridianException;
import io.meridian.schema.SchemaManager;
import io.meridian.schema.SchemaResult;
import io.meridian.types.CqlType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CREATE TYPE, ALTER TYPE and DROP TYPE: resolves the field types against the keyspace's user
 * types and hands the change to the schema manager, which applies Cassandra's rules.
 */
final class UserTypeStatements {
  /** Names a user type may not take: they would read back as a built-in type. */
  private static final Set<String> RESERVED_NAMES = reservedNames();

  private UserTypeStatements() {}

  private static Set<String> reservedNames() {
    Set<String> names = new HashSet<>(TypeExpr.NATIVE_NAMES);
    names.addAll(Set.of("frozen", "list", "set", "map", "tuple", "vector", "byte", "complex", "enum", "interval",
        "macaddr", "bitstring"));
    return Set.copyOf(names);
  }

  static SchemaResult execute(SchemaManager schema, SchemaStatement statement, String sessionKeyspace) {
    if (statement instanceof CreateType s) {
      QualifiedName name = SchemaExecutor.qualify(s.name(), sessionKeyspace);
      if (RESERVED_NAMES.contains(name.name().toLowerCase(Locale.ROOT))) {
        // Cassandra's parser refuses these unquoted; refusing them quoted too keeps every type name readable back.
        throw MeridianException.syntax("Invalid (reserved) user type name " + name.name());
      }
      TypeResolver types = TypeResolver.forKeyspace(schema.current(), name.keyspace());
      List<String> fieldNames = new ArrayList<>();
      List<CqlType> fieldTypes = new ArrayList<>();
      for (Schema.FieldDefinition f : s.fields()) {
        fieldNames.add(f.name());
        fieldTypes.add(types.resolve(f.type()));
      }
      return schema.createType(name.keyspace(), name.name(), fieldNames, fieldTypes, s.ifNotExists());
    }
    if (statement instanceof AlterType s) {
      QualifiedName name = SchemaExecutor.qualify(s.name(), sessionKeyspace);
      AlterTypeAction action = s.action();
      if (action instanceof AlterTypeAction.AddField add) {
        // Resolved only when the type exists: a missing type is reported before a bad field type.
        boolean exists = schema.current().keyspace(name.keyspace()).flatMap(k -> k.type(name.name())).isPresent();
        CqlType type = exists ? TypeResolver.forKeyspace(schema.current(), name.keyspace()).resolve(add.field().type()) : null;
        return schema.addTypeField(name.keyspace(), name.name(), add.field().name(), type, s.ifExists(), add.ifNotExists());
      }
      if (action instanceof AlterTypeAction.RenameFields rename) {
        Map<String, String> renames = new LinkedHashMap<>();
        rename.renames().forEach(r -> renames.put(r.from(), r.to()));
        return schema.renameTypeFields(name.keyspace(), name.name(), renames, s.ifExists(), rename.ifExists());
      }
      return schema.alterTypeField(name.keyspace(), name.name(), s.ifExists());
    }
    DropType s = (DropType) statement;
    QualifiedName name = SchemaExecutor.qualify(s.name(), sessionKeyspace);
    return schema.dropType(name.keyspace(), name.name(), s.ifExists());
  }
}
