package io.meridian.storage;

/**
 * One index entry: the row (or, with an empty clustering, the static row) of {@code key} had a
 * cell with this term when it was written. The row may have changed since; a reader checks it.
 */
public record IndexHit(byte[] term, PartitionKey key, byte[] clustering) {}
