package io.meridian.storage;

import java.util.List;

/** A partition as read back: its key, its static row (or null) and its matching live rows. */
public record PartitionData(PartitionKey key, StoredRow staticRow, List<StoredRow> rows) {}
