package io.meridian.cql.lexer;

import java.util.Locale;
import java.util.Set;

/**
 * CQL keyword sets as listed in the CQL reference (appendix A), Cassandra 5 dialect. Reserved
 * words can only be used as identifiers when double-quoted; unreserved ones are keywords only in
 * the places the grammar expects them.
 */
public final class Keywords {
  private Keywords() {}

  private static final Set<String> RESERVED = Set.of(
      "add", "allow", "alter", "and", "apply", "asc", "authorize", "batch", "begin", "by",
      "columnfamily", "create", "delete", "desc", "describe", "drop", "entries", "execute",
      "from", "full", "grant", "if", "in", "index", "infinity", "insert", "into", "keyspace",
      "limit", "materialized", "modify", "nan", "norecursive", "not", "null", "of", "on", "or",
      "order", "primary", "rename", "replace", "revoke", "schema", "select", "set", "table", "to",
      "token", "truncate", "unlogged", "update", "use", "using", "view", "where", "with",
      // boolean literals are lexed as constants, so they can never be bare identifiers
      "true", "false");

  private static final Set<String> UNRESERVED = Set.of(
      "aggregate", "all", "ann", "as", "ascii", "bigint", "blob", "boolean", "called", "cast",
      "clustering", "compact", "contains", "count", "counter", "custom", "date", "decimal",
      "default", "distinct", "double", "duration", "exists", "filtering", "finalfunc", "float",
      "frozen", "function", "functions", "group", "inet", "initcond", "input", "int", "is",
      "json", "key", "keys", "keyspaces", "language", "like", "list", "login", "map",
      "maxwritetime", "nologin", "nosuperuser", "options", "partition", "password", "per",
      "permission", "permissions", "returns", "role", "roles", "sfunc", "smallint", "static",
      "storage", "stype", "superuser", "text", "time", "timestamp", "timeuuid", "tinyint",
      "trigger", "ttl", "tuple", "type", "unset", "user", "users", "uuid", "values", "varchar",
      "varint", "vector", "writetime");

  public static boolean isReserved(String word) {
    return RESERVED.contains(word.toLowerCase(Locale.ROOT));
  }

  public static boolean isKeyword(String word) {
    String w = word.toLowerCase(Locale.ROOT);
    return RESERVED.contains(w) || UNRESERVED.contains(w);
  }
}
