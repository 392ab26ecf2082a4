package io.meridian.cluster;

import java.util.List;
import java.util.UUID;

/** Cluster members for tests: node i is peer "n{i}", and joined members carry the tokens a join gives. */
final class Members {
  private Members() {}

  static NodeRecord node(int i) {
    return new NodeRecord(new UUID(0, i), "n" + i, "h" + i + ":7000", "h" + i, 9042, "dc1", "r1");
  }

  /** Nodes n0 .. n{count-1} as the metadata group lists them after they joined in that order. */
  static List<NodeRecord> joined(int count) {
    ClusterState state = ClusterState.EMPTY;
    for (int i = 0; i < count; i++) {
      state = state.withNode(node(i));
    }
    return state.nodes();
  }
}
