package io.meridian.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    assertEquals(List.of(List.of("n0", "n1"), List.of("n1", "n0")), TablePlacement.spread(nodes(2), 2, 5).replicas());
  }

  @Test
  void zeroTabletsPerTableMeansOnePerNodeEachLeadingOneWhenNotEveryNodeIsAReplica() {
    TablePlacement p = TablePlacement.spread(nodes(3), 0, 2);
    assertEquals(List.of(List.of("n0", "n1"), List.of("n1", "n2"), List.of("n2", "n0")), p.replicas());
    for (int j = 0; j < 3; j++) {
      assertEquals(List.of(Long.toString(TabletRanges.split(3).get(j).end())), TablePlacement.tokensOf(j, 3, 0));
    }
    // A count below the node count is raised to it: drivers' rings have a range per node.
    assertEquals(3, TablePlacement.spread(nodes(3), 1, 2).tabletCount());
  }

  @Test
  void aTableOnEveryNodeGetsOneTabletByDefaultLedWhereTheCallerSays() {
    TablePlacement p = TablePlacement.spread(nodes(3), 0, 3, 4);
    assertEquals(List.of(List.of("n1", "n2", "n0")), p.replicas());
    assertEquals(1, p.baseTabletCount());
    assertEquals(List.of(List.of("n0", "n1", "n2")), TablePlacement.spread(nodes(3), 0, 5).replicas(),
        "a factor above the node count is every node too; the first leader defaults to node 0");
    // An explicit count is kept, even below the node count, and the leaders start at the offset.
    assertEquals(List.of(List.of("n2", "n0", "n1"), List.of("n0", "n1", "n2")),
        TablePlacement.spread(nodes(3), 2, 3, 2).replicas());
    assertEquals(List.of(List.of("n1", "n0"), List.of("n0", "n1"), List.of("n1", "n0"), List.of("n0", "n1")),
        TablePlacement.spread(nodes(2), 4, 2, 1).replicas());
  }

  @Test
  void aTableWithFewerTabletsThanNodesIsSplitWidestFirstOnceNotEveryNodeHoldsIt() {
    TablePlacement one = TablePlacement.spread(nodes(3), 0, 3);
    assertTrue(TabletSplitter.tooFewToSpread(one, 3, 4), "4 nodes, RF 3, 1 tablet");
    assertTrue(!TabletSplitter.tooFewToSpread(one, 3, 3), "3 nodes all hold it");
    assertTrue(!TabletSplitter.tooFewToSpread(one, 5, 4), "RF 5 on 4 nodes: it gains a replica, not tablets");
    assertTrue(TabletSplitter.widest(one, 0));
    TablePlacement two = one.split(0, 0L);
    assertTrue(TabletSplitter.widest(two, 0) && !TabletSplitter.widest(two, 1), "equal halves: the first is taken");
    TablePlacement three = two.split(two.tablet(0).id(), Long.MIN_VALUE / 2);
    assertTrue(TabletSplitter.widest(three, 2), "the unsplit half is now the widest: " + three);
    assertTrue(!TabletSplitter.tooFewToSpread(three, 1, 3), "as many tablets as nodes");
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
    for (int n = 1; n <= 10; n++) {
      // 8 tablets, or 0: one per node; with more nodes than 8, one per node too.
      int configured = n <= 5 ? 8 : 0;
      int tablets = Math.max(configured, n);
      int rfWanted = 2 + n % 2;
      List<NodeRecord> nodes = nodes(n);
      TreeMap<Long, Integer> ring = new TreeMap<>();
      for (int j = 0; j < n; j++) {
        for (String t : TablePlacement.tokensOf(j, n, configured)) {
          ring.put(Long.parseLong(t), j);
        }
      }
      int rf = Math.min(rfWanted, n);
      TablePlacement p = TablePlacement.spread(nodes, configured, rf);
      assertEquals(tablets, p.tabletCount());
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

  @Test
  void aSplitTabletBecomesTwoNewTabletsOnTheSameReplicasCoveringItsRange() {
    TablePlacement p = TablePlacement.spread(nodes(3), 3, 2);
    long mid = p.range(1).start() + (p.range(1).end() - p.range(1).start()) / 2;
    TablePlacement s = p.split(1, mid);

    assertEquals(4, s.tabletCount());
    assertEquals(List.of(0, 3, 4, 2), s.tablets().stream().map(TablePlacement.Tablet::id).toList());
    assertEquals(5, s.nextTabletId());
    assertEquals(3, s.baseTabletCount(), "the local store and the drivers' ring keep the table's first split");
    assertEquals(p.replicas().get(1), s.tablet(1).replicas());
    assertEquals(p.replicas().get(1), s.tablet(2).replicas());
    assertEquals(new io.meridian.storage.TokenRange(p.range(1).start(), mid), s.range(1));
    assertEquals(new io.meridian.storage.TokenRange(mid, p.range(1).end()), s.range(2));
    assertEquals(p.range(2), s.range(3));
    // Tokens route to the half that owns them, the split token itself to the lower half.
    assertEquals(3, s.tabletFor(mid).id());
    assertEquals(4, s.tabletFor(mid + 1).id());
    assertEquals(0, s.tabletFor(Long.MIN_VALUE + 1).id());
    assertEquals(2, s.tabletFor(Long.MAX_VALUE).id());
    // The old id is gone; moves name the new ones.
    assertEquals(java.util.Optional.empty(), s.positionOfId(1));
    assertEquals(List.of("n0", "n2"), s.withReplicas(4, List.of("n0", "n2")).tablet(2).replicas());
    assertThrows(IllegalArgumentException.class, () -> s.withReplicas(1, List.of("n0")));
  }

  @Test
  void aSplitTokenMustFallStrictlyInsideTheTablet() {
    TablePlacement p = TablePlacement.spread(nodes(2), 2, 1);
    assertThrows(IllegalArgumentException.class, () -> p.split(0, p.range(0).end()));
    assertThrows(IllegalArgumentException.class, () -> p.split(1, p.range(1).start()));
    assertThrows(IllegalArgumentException.class, () -> p.split(7, 0));
  }

  @Test
  void routingMatchesTheEqualSplitForANewTable() {
    TablePlacement p = TablePlacement.spread(nodes(3), 8, 3);
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 10_000; i++) {
      long token = random.nextLong();
      if (token != Long.MIN_VALUE) {
        assertEquals(TabletRanges.indexOf(token, 8), p.positionOf(token), "token " + token);
      }
    }
  }

  @Test
  void tabletsMustCoverTheRingInOrderWithDistinctIds() {
    List<String> r = List.of("n0");
    assertThrows(IllegalArgumentException.class, () -> new TablePlacement(List.of(
        new TablePlacement.Tablet(0, 5, r), new TablePlacement.Tablet(1, 5, r)), 1, 2));
    assertThrows(IllegalArgumentException.class, () -> new TablePlacement(List.of(
        new TablePlacement.Tablet(0, 5, r), new TablePlacement.Tablet(0, Long.MAX_VALUE, r)), 1, 2));
    assertThrows(IllegalArgumentException.class, () -> new TablePlacement(List.of(
        new TablePlacement.Tablet(0, 5, r)), 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new TablePlacement(List.of(
        new TablePlacement.Tablet(3, Long.MAX_VALUE, r)), 1, 3));
  }

  @Test
  void aTabletSplitsAtTheMiddleOfItsRangeUnlessTheRangeIsTooNarrow() {
    assertEquals(Long.valueOf(-1), TabletSplitter.middle(io.meridian.storage.TokenRange.FULL));
    assertEquals(Long.valueOf(100 + (1L << 20)),
        TabletSplitter.middle(new io.meridian.storage.TokenRange(100, 100 + (1L << 21))));
    assertEquals(null, TabletSplitter.middle(new io.meridian.storage.TokenRange(0, 1000)));
  }
}
