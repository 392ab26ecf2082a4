package io.meridian.storage;

import java.util.List;

/**
 * A partition as read back: its key, its static row (or null) and its matching live rows. The row
 * stored under the empty clustering is always reported as {@code staticRow} (when the read asks
 * for it), never in {@code rows}; for a table without clustering columns that is its only row.
 */
public record PartitionData(PartitionKey key, StoredRow staticRow, List<StoredRow> rows) {}
