package io.meridian.storage;

/**
 * How one row of a read-decide-write step changes: the row as the step read it and as it will be
 * once the step's mutations land, both as a reader sees them (live cells only; null when the row
 * does not exist). Handed to {@link ConditionalWrite#derive} to compute dependent writes such as
 * materialized view rows.
 */
public record RowChange(PartitionKey key, byte[] clustering, StoredRow before, StoredRow after) {}
