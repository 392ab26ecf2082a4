package io.meridian.storage.rocks;

import io.meridian.storage.DeletionTime;
import io.meridian.storage.RangeTombstone;
import java.util.ArrayList;
import java.util.List;

/** Partition-level deletions: the partition deletion and the range tombstones. Mutable. */
final class PartitionHeader {
  DeletionTime partitionDeletion = DeletionTime.LIVE;
  final List<RangeTombstone> rangeTombstones = new ArrayList<>();

  boolean isEmpty() {
    return partitionDeletion.isLive() && rangeTombstones.isEmpty();
  }

  PartitionHeader copy() {
    PartitionHeader c = new PartitionHeader();
    c.partitionDeletion = partitionDeletion;
    c.rangeTombstones.addAll(rangeTombstones);
    return c;
  }
}
