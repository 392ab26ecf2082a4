package io.meridian.cql.ast;

import java.util.Objects;

/**
 * A possibly keyspace-qualified name of a table, type, index, view or function. Both parts are
 * already normalised: unquoted names lower-cased, quoted names verbatim.
 *
 * @param keyspace the keyspace, or null when the statement did not name one
 * @param name the object name
 */
public record QualifiedName(String keyspace, String name) {
  public QualifiedName {
    Objects.requireNonNull(name, "name");
  }

  public static QualifiedName of(String name) {
    return new QualifiedName(null, name);
  }

  public boolean hasKeyspace() {
    return keyspace != null;
  }

  /** This name with the keyspace filled in from the session when the statement left it out. */
  public QualifiedName withDefaultKeyspace(String sessionKeyspace) {
    return hasKeyspace() ? this : new QualifiedName(sessionKeyspace, name);
  }
}
