package io.meridian.cluster;

import java.util.List;

/**
 * Where a table's tablets live: tablet i covers the i-th of {@code replicas.size()} equal token
 * ranges and is replicated on the peers listed for it (the first is the preferred leader).
 */
public record TablePlacement(List<List<String>> replicas) {
  public TablePlacement {
    replicas = replicas.stream().map(List::copyOf).toList();
    if (replicas.isEmpty()) {
      throw new IllegalArgumentException("a table has at least one tablet");
    }
  }

  public int tabletCount() {
    return replicas.size();
  }

  /** The same placement with tablet {@code index} on {@code peers}. */
  public TablePlacement withReplicas(int index, List<String> peers) {
    if (peers.isEmpty() || new java.util.HashSet<>(peers).size() != peers.size()) {
      throw new IllegalArgumentException("a tablet needs distinct replicas, got " + peers);
    }
    List<List<String>> next = new java.util.ArrayList<>(replicas);
    next.set(index, peers);
    return new TablePlacement(next);
  }

  /**
   * Tablet i on {@code replicationFactor} consecutive nodes starting at node i (mod the node count),
   * so leadership and data spread evenly and a ring of node tokens can describe it to drivers. The
   * factor is capped at the node count.
   */
  public static TablePlacement spread(List<NodeRecord> nodes, int tabletCount, int replicationFactor) {
    if (nodes.isEmpty()) {
      throw new IllegalStateException("the cluster has no nodes");
    }
    int rf = Math.max(1, Math.min(replicationFactor, nodes.size()));
    List<List<String>> replicas = new java.util.ArrayList<>(tabletCount);
    for (int i = 0; i < tabletCount; i++) {
      List<String> peers = new java.util.ArrayList<>(rf);
      for (int r = 0; r < rf; r++) {
        peers.add(nodes.get((i + r) % nodes.size()).peerId());
      }
      replicas.add(peers);
    }
    return new TablePlacement(replicas);
  }

  /**
   * The tokens node {@code nodeIndex} shows drivers: the last token of every tablet it leads under
   * {@link #spread}, so a driver's ring (a token belongs to the node with the next token up, its
   * replicas follow on the ring) names the same replicas as the placement. With more nodes than
   * tablets the ring is drawn as if there were one tablet per node.
   */
  public static java.util.List<String> tokensOf(int nodeIndex, int nodeCount, int tabletsPerTable) {
    int ranges = Math.max(tabletsPerTable, nodeCount);
    java.util.List<io.meridian.storage.TokenRange> split = io.meridian.storage.TabletRanges.split(ranges);
    java.util.List<String> tokens = new java.util.ArrayList<>();
    for (int i = nodeIndex; i < ranges; i += nodeCount) {
      tokens.add(Long.toString(split.get(i).end()));
    }
    return tokens;
  }
}
