package io.meridian.query;

import io.meridian.common.MeridianException;
import io.meridian.cql.ast.TypeExpr;
import io.meridian.schema.KeyspaceMetadata;
import io.meridian.schema.Schema;
import io.meridian.schema.UserTypes;
import io.meridian.types.CqlType;
import io.meridian.types.CqlTypes;
import io.meridian.types.UserType;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Turns a type written in DDL into a {@link CqlType}, resolving user type names against the
 * types of the statement's keyspace. As in Cassandra, a statement may only use the user types of
 * its own keyspace.
 */
final class TypeResolver {
  private final String keyspace;
  private final Map<String, UserType> types;

  private TypeResolver(String keyspace, Map<String, UserType> types) {
    this.keyspace = keyspace;
    this.types = types;
  }

  /** A resolver for statements on {@code keyspace}; it has no user types when the keyspace does not exist. */
  static TypeResolver forKeyspace(Schema schema, String keyspace) {
    return new TypeResolver(keyspace, schema.keyspace(keyspace).map(KeyspaceMetadata::types).orElse(Map.of()));
  }

  /** The type of a table column: a non-frozen user type may not hold non-frozen collections. */
  CqlType columnType(TypeExpr t) {
    CqlType type = resolve(t);
    if (type instanceof UserType u && !u.isFrozen()) {
      for (CqlType field : u.fieldTypes()) {
        if (field.isMultiCell()) {
          throw MeridianException.invalid("Non-frozen UDTs with nested non-frozen collections are not supported");
        }
      }
    }
    return type;
  }

  CqlType resolve(TypeExpr t) {
    if (t instanceof TypeExpr.Native n) {
      return CqlTypes.parse(n.name());
    }
    // The types module owns the nesting rules (frozen-ness, counters, durations): hand it the name.
    return UserTypes.parse(typeName(t), keyspace, types);
  }

  private String typeName(TypeExpr t) {
    if (t instanceof TypeExpr.Native n) {
      return n.name();
    }
    if (t instanceof TypeExpr.Frozen f) {
      return "frozen<" + typeName(f.inner()) + ">";
    }
    if (t instanceof TypeExpr.Collection c) {
      StringJoiner args = new StringJoiner(", ", c.kind().name().toLowerCase(Locale.ROOT) + "<", ">");
      for (TypeExpr a : c.arguments()) {
        args.add(typeName(a));
      }
      return args.toString();
    }
    if (t instanceof TypeExpr.Tuple tuple) {
      StringJoiner args = new StringJoiner(", ", "tuple<", ">");
      for (TypeExpr a : tuple.elements()) {
        args.add(typeName(a));
      }
      return args.toString();
    }
    if (t instanceof TypeExpr.UserType u) {
      String ks = u.name().keyspace();
      if (ks != null && !ks.equals(keyspace)) {
        throw MeridianException.invalid("Statement on keyspace " + keyspace + " cannot refer to a user type in keyspace "
            + ks + "; user types can only be used in the keyspace they are defined in");
      }
      // A quoted name keeps its case through the type parser.
      return '"' + u.name().name().replace("\"", "\"\"") + '"';
    }
    String what = t instanceof TypeExpr.Vector ? "vectors" : "custom types";
    throw MeridianException.invalid("Type " + io.meridian.cql.ast.CqlPrinter.print(t) + " is not supported yet: " + what
        + " arrive with a later release");
  }
}
