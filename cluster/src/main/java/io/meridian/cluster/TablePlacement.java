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
   * Tablet i is led by node i mod N; its other replicas are the leaders of the tablets after it,
   * walking on (and wrapping around) until {@code replicationFactor} distinct nodes are found. That
   * is how a driver walks the ring drawn by {@link #tokensOf}, so both name the same replicas; data
   * and leadership spread evenly. The factor is capped at the node count; a table gets at least one
   * tablet per node.
   */
  public static TablePlacement spread(List<NodeRecord> nodes, int tabletsPerTable, int replicationFactor) {
    if (nodes.isEmpty()) {
      throw new IllegalStateException("the cluster has no nodes");
    }
    int n = nodes.size();
    int tablets = Math.max(tabletsPerTable, n);
    int rf = Math.max(1, Math.min(replicationFactor, n));
    List<List<String>> replicas = new java.util.ArrayList<>(tablets);
    for (int i = 0; i < tablets; i++) {
      List<String> peers = new java.util.ArrayList<>(rf);
      for (int k = 0; peers.size() < rf; k++) {
        String peer = nodes.get(((i + k) % tablets) % n).peerId();
        if (!peers.contains(peer)) {
          peers.add(peer);
        }
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
