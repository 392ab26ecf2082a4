package io.meridian.types;

import java.nio.ByteBuffer;

/**
 * A CQL data type. Values travel as their native-protocol serialization (a ByteBuffer, read from
 * its position to its limit, never modified). Implementations are immutable: singletons for the
 * scalar types, value objects (equal when their parameters are) for collections, tuples and user
 * types.
 */
public abstract class CqlType {

  /** The CQL name as written in DDL and shown in system_schema, e.g. "int", "text", "frozen<list<int>>". */
  public abstract String cqlName();

  /** The native protocol [option] id (spec section 6 / 4.2.5.2), e.g. 0x0009 for int. */
  public abstract int protocolCode();

  /** Throws MeridianException(INVALID) if the bytes are not a valid serialization of this type. */
  public abstract void validate(ByteBuffer value);

  /** CQL ordering of two valid serialized values (used for clustering order and comparisons). */
  public abstract int compare(ByteBuffer a, ByteBuffer b);

  /**
   * A byte-comparable, prefix-free encoding: unsigned lexicographic order of the results equals
   * {@link #compare}, and no encoding is a prefix of another, so encodings can be concatenated
   * into composite keys.
   */
  public abstract byte[] toComparable(ByteBuffer value);

  /** Reads one value encoded by {@link #toComparable} from {@code src}, advancing its position. */
  public abstract ByteBuffer fromComparable(ByteBuffer src);

  /** Parses a CQL literal of the given lexical kind into this type's serialization (INVALID on mismatch). */
  public abstract ByteBuffer fromLiteral(LiteralKind kind, String text);

  /** The value as a CQL literal (as cqlsh would print it in a statement), for messages and DDL. */
  public abstract String toCqlLiteral(ByteBuffer value);

  /** The value as a plain Java object (Integer, Long, String, UUID, BigDecimal, ...). */
  public abstract Object decode(ByteBuffer value);

  /** The Java object (as returned by {@link #decode}) serialized. */
  public abstract ByteBuffer encode(Object value);

  /**
   * Whether the zero-length serialization (Cassandra's "empty value", distinct from null) is a
   * legal value of this type. When it is, it sorts before every other value.
   */
  public boolean emptyAllowed() {
    return true;
  }

  /**
   * Whether values have a meaningful order, so the type may be used in a primary key. When false,
   * {@link #toComparable} throws INVALID.
   */
  public boolean orderable() {
    return true;
  }

  /**
   * True for a non-frozen collection or user type: stored as one cell per element or field, so it
   * can be updated in parts but cannot be part of a primary key or nested in a collection.
   */
  public boolean isMultiCell() {
    return false;
  }

  /**
   * This type as used inside a frozen value: multi-cell types become their frozen form, nested
   * types are frozen all the way down. Types that are never multi-cell return themselves.
   */
  public CqlType freeze() {
    return this;
  }

  /** How many parameterized types nest inside this one (0 for scalars, 1 for list<int>). */
  int nestingDepth() {
    return 0;
  }

  @Override
  public String toString() {
    return cqlName();
  }
}
