package io.meridian.cql.ast;

/**
 * A bind variable: positional {@code ?} or named {@code :name}. Every occurrence gets its own
 * index, 0-based, in order of appearance in the statement (across a whole batch).
 *
 * @param index position in the statement's bind variable list
 * @param name the name of a {@code :name} marker, or null for {@code ?}
 */
public record BindMarker(int index, String name) implements Term {
  public boolean isNamed() {
    return name != null;
  }
}
