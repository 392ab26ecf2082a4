package io.meridian.cql.ast;

/**
 * A selector with its optional alias.
 *
 * @param alias the AS name, or null
 */
public record SelectItem(Selector selector, String alias) {
  public boolean hasAlias() {
    return alias != null;
  }
}
