package io.meridian.query;

import java.nio.ByteBuffer;

/**
 * A scalar selector expression (column, literal, function call, cast, arithmetic), resolved
 * against a table once and evaluated per row. Immutable, so prepared statements share it.
 */
interface FunctionExpr {
  /** The result type. */
  io.meridian.types.CqlType type();

  /** The result column name, as Cassandra prints the selector. */
  String name();

  /** The value for one row, or null. {@code terms} supplies bound values and the clock. */
  ByteBuffer eval(RowView row, Terms terms);
}
