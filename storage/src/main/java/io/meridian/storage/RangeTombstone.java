package io.meridian.storage;

/**
 * Deletes all rows whose clustering key k satisfies start <= k < end (byte-comparable, unsigned);
 * the caller turns inclusive/exclusive CQL bounds into this half-open form. {@code end == null}
 * means to the end of the partition.
 */
public record RangeTombstone(byte[] start, byte[] end, DeletionTime deletion) {}
