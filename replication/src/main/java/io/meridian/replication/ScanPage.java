package io.meridian.replication;

import io.meridian.storage.PartitionData;
import java.util.List;

/**
 * One page of a scan through a tablet's Raft group, in token order. {@code more} is true when
 * partitions may follow the last one: resume with it as {@code after}.
 */
public record ScanPage(List<PartitionData> partitions, boolean more) {
  public ScanPage {
    partitions = List.copyOf(partitions);
  }
}
