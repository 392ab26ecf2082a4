package io.meridian.storage;

import java.util.Map;
import java.util.function.Consumer;

/**
 * Which cells of one table are indexed, and under which terms. Storage stays unaware of CQL types:
 * the layer that knows the schema turns a cell into terms, and storage keeps an entry
 * {@code (term, partition, clustering)} for every term of every cell holding a value, in the same
 * write batch as the row. Implementations must be deterministic: the same cell always gives the
 * same terms, on every replica.
 */
public interface TableIndexing {
  /** No column indexed. */
  TableIndexing NONE = new TableIndexing() {
    @Override
    public Map<String, String> columns() {
      return Map.of();
    }

    @Override
    public void terms(Cell cell, Consumer<byte[]> out) {}
  };

  /**
   * The indexed columns, each with a description of how its terms are made (its type and which
   * parts are indexed). A column whose description changes has its entries rebuilt.
   */
  Map<String, String> columns();

  /**
   * Adds the terms of a cell holding a value; nothing for a column not in {@link #columns()}.
   * Every term starts with {@link IndexTerms#columnPrefix} of the cell's column.
   */
  void terms(Cell cell, Consumer<byte[]> out);
}
