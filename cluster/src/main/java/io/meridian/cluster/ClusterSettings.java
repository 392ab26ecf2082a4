package io.meridian.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * How a node takes part in a cluster.
 *
 * @param raftHost the address the node's Raft server binds and is known by (its listen address)
 * @param raftPort the inter-node (Raft) port
 * @param seeds host:port Raft addresses of nodes to join through; the first seed founds the
 *     cluster when it has no metadata yet (so it must be started first, or at least not wiped)
 * @param raftDir where the node's Raft logs live (one directory per group)
 * @param tabletsPerTable token-range tablets of a new table, each its own Raft group; at least one per
 *     node, so 0 means exactly one per node, unless every node holds the table (then as set, and 0
 *     means one) or the table follows the token ring at RF 3 (0 means one per section, a replica
 *     set of three nodes, and more cuts each section evenly): each Ratis group
 *     brings its own log, log worker and appender threads, and fewer groups per table carry fuller
 *     log entries; see {@link TablePlacement#spread(List, int, int, int)}
 * @param electionTimeoutMinMs lower bound of the randomized election timeout (upper: twice it)
 * @param tabletSplitBytes a tablet whose range holds more than this (the store's estimate) splits in two
 */
public record ClusterSettings(UUID hostId, String clusterName, String raftHost, int raftPort, List<String> seeds,
                              Path raftDir, String dataCenter, String rack, int tabletsPerTable,
                              int electionTimeoutMinMs, long tabletSplitBytes) {
  /** Tablets split past 1 GiB unless configured otherwise. */
  public static final long TABLET_SPLIT_BYTES_DEFAULT = 1L << 30;

  public ClusterSettings {
    seeds = List.copyOf(seeds);
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("a cluster node needs at least one seed");
    }
    if (tabletsPerTable < 0) {
      throw new IllegalArgumentException("tablets per table must not be negative, got " + tabletsPerTable);
    }
    if (tabletSplitBytes < 1) {
      throw new IllegalArgumentException("tablet split size must be positive, got " + tabletSplitBytes);
    }
  }

  public ClusterSettings(UUID hostId, String clusterName, String raftHost, int raftPort, List<String> seeds,
                         Path raftDir, String dataCenter, String rack, int tabletsPerTable, int electionTimeoutMinMs) {
    this(hostId, clusterName, raftHost, raftPort, seeds, raftDir, dataCenter, rack, tabletsPerTable,
        electionTimeoutMinMs, TABLET_SPLIT_BYTES_DEFAULT);
  }

  /** The same settings with another split size. */
  public ClusterSettings withTabletSplitBytes(long bytes) {
    return new ClusterSettings(hostId, clusterName, raftHost, raftPort, seeds, raftDir, dataCenter, rack,
        tabletsPerTable, electionTimeoutMinMs, bytes);
  }

  public String raftAddress() {
    return raftHost + ":" + raftPort;
  }

  /** Whether this node is the one that founds the cluster when no metadata exists anywhere yet. */
  public boolean isFoundingSeed() {
    return seeds.get(0).equals(raftAddress());
  }
}
