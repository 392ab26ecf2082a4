package io.meridian.cql.ast;

/**
 * The USING clause of a write.
 *
 * @param ttl the TTL term, or null
 * @param timestamp the TIMESTAMP term, or null
 */
public record Attributes(Term ttl, Term timestamp) {
  public static final Attributes NONE = new Attributes(null, null);

  public boolean isEmpty() {
    return ttl == null && timestamp == null;
  }
}
