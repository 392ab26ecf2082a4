package io.meridian.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meridian.storage.TabletRanges;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TablePlacementTest {
  private static List<NodeRecord> nodes(int n) {
    List<NodeRecord> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new NodeRecord(UUID.randomUUID(), "n" + i, "h" + i + ":7000", "h" + i, 9042, "dc", "r"));
    }
    return out;
  }

  @Test
  void tabletsSpreadOverConsecutiveNodesStartingAtTheirIndex() {
    TablePlacement p = TablePlacement.spread(nodes(3), 4, 2);
    assertEquals(List.of(List.of("n0", "n1"), List.of("n1", "n2"), List.of("n2", "n0"), List.of("n0", "n1")), p.replicas());
  }

  @Test
  void theReplicationFactorIsCappedAtTheNodeCountAndEveryNodeLeadsATablet() {
    assertEquals(List.of(List.of("n0", "n1"), List.of("n1", "n0")), TablePlacement.spread(nodes(2), 1, 5).replicas());
  }

  @Test
  void replicasFollowTheRingWhenTabletsDoNotDivideEvenly() {
    // 4 tablets on 3 nodes: tablet 3 is led by n0 and the ring after it wraps to tablet 0 (n0), then n1.
    assertEquals(List.of("n0", "n1"), TablePlacement.spread(nodes(3), 4, 2).replicas().get(3));
  }

  /**
   * A driver puts a token on the node with the next token up (wrapping) and the replicas on the
   * following distinct nodes; with the tokens the nodes show, that must name the placement's
   * replicas for every tablet.
   */
  @Test
  void theRingDrivenByTheShownTokensNamesThePlacementsReplicas() {
    for (int n = 1; n <= 5; n++) {
      int tablets = 8;
      int rfWanted = 2 + n % 2;
      List<NodeRecord> nodes = nodes(n);
      TreeMap<Long, Integer> ring = new TreeMap<>();
      for (int j = 0; j < n; j++) {
        for (String t : TablePlacement.tokensOf(j, n, tablets)) {
          ring.put(Long.parseLong(t), j);
        }
      }
      int rf = Math.min(rfWanted, n);
      TablePlacement p = TablePlacement.spread(nodes, tablets, rf);
      for (int i = 0; i < tablets; i++) {
        long token = TabletRanges.split(tablets).get(i).end() - 1; // a key inside tablet i
        List<String> replicas = new ArrayList<>();
        Long at = ring.ceilingKey(token);
        while (replicas.size() < rf) {
          if (at == null) {
            at = ring.firstKey();
          }
          String peer = nodes.get(ring.get(at)).peerId();
          if (!replicas.contains(peer)) {
            replicas.add(peer);
          }
          at = ring.higherKey(at);
        }
        assertEquals(p.replicas().get(i), replicas, n + " nodes, tablet " + i);
      }
    }
  }
}
