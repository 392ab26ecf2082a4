package io.meridian.types;

import java.util.Set;
import java.util.regex.Pattern;

/** CQL identifier quoting, for type names and field names printed in type names and literals. */
public final class Identifiers {
  private static final Pattern UNQUOTED = Pattern.compile("[a-z][a-z0-9_]*");

  /** Reserved CQL keywords: as identifiers they must be double-quoted. */
  private static final Set<String> RESERVED = Set.of(
      "add", "allow", "alter", "and", "apply", "asc", "authorize", "batch", "begin", "by",
      "columnfamily", "create", "delete", "desc", "describe", "drop", "entries", "execute", "from",
      "full", "grant", "if", "in", "index", "infinity", "insert", "into", "is", "keyspace", "limit",
      "materialized", "modify", "nan", "norecursive", "not", "null", "of", "on", "or", "order",
      "primary", "rename", "replace", "revoke", "schema", "select", "set", "table", "to", "token",
      "truncate", "unlogged", "update", "use", "using", "view", "where", "with");

  private Identifiers() {}

  /** The name as CQL must spell it: bare when it reads back to itself, else "double quoted". */
  public static String maybeQuote(String name) {
    if (UNQUOTED.matcher(name).matches() && !RESERVED.contains(name)) {
      return name;
    }
    return '"' + name.replace("\"", "\"\"") + '"';
  }
}
