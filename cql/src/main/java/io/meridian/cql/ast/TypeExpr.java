package io.meridian.cql.ast;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** A CQL type as written in DDL or a cast. Resolution against the schema happens later. */
public sealed interface TypeExpr {

  /** Names of the built-in scalar types, lower case. */
  Set<String> NATIVE_NAMES = Set.of("ascii", "bigint", "blob", "boolean", "counter", "date",
      "decimal", "double", "duration", "float", "inet", "int", "smallint", "text", "time",
      "timestamp", "timeuuid", "tinyint", "uuid", "varchar", "varint");

  static boolean isNativeName(String name) {
    return NATIVE_NAMES.contains(name.toLowerCase(Locale.ROOT));
  }

  /** A built-in scalar such as {@code int} or {@code counter}; name lower case. */
  record Native(String name) implements TypeExpr {}

  /** A user-defined type referenced by name. */
  record UserType(QualifiedName name) implements TypeExpr {}

  /** {@code 'org.example.MyType'}: a custom type given by class name. */
  record Custom(String className) implements TypeExpr {}

  enum CollectionKind { LIST, SET, MAP }

  /** list&lt;e&gt;, set&lt;e&gt; (one argument) or map&lt;k, v&gt; (two). */
  record Collection(CollectionKind kind, List<TypeExpr> arguments) implements TypeExpr {
    public Collection {
      arguments = List.copyOf(arguments);
    }
  }

  record Tuple(List<TypeExpr> elements) implements TypeExpr {
    public Tuple {
      elements = List.copyOf(elements);
    }
  }

  /** {@code vector<element, dimension>} (Cassandra 5). */
  record Vector(TypeExpr element, int dimension) implements TypeExpr {}

  /** {@code frozen<inner>}. */
  record Frozen(TypeExpr inner) implements TypeExpr {}
}
