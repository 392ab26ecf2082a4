package io.meridian.storage;

import java.util.List;
import java.util.UUID;

/**
 * All changes to one partition of one table, applied atomically. A partition deletion shadows
 * everything older in the partition; range tombstones shadow older rows in their range.
 */
public record Mutation(
    UUID tableId,
    PartitionKey key,
    DeletionTime partitionDeletion,
    List<RangeTombstone> rangeTombstones,
    List<RowUpdate> rows) {}
