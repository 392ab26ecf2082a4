package io.meridian.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.storage.TabletRanges;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
   * replicas for every tablet, whatever the node count, except for a table whose factor is not the
   * one the ring is drawn for on nodes that divide into replica sets (checked below to be even).
   */
  @Test
  void theRingDrivenByTheShownTokensNamesThePlacementsReplicas() {
    for (int n = 1; n <= 10; n++) {
      for (int configured : new int[] {0, 8}) {
        List<NodeRecord> nodes = nodes(n);
        List<String> peers = nodes.stream().map(NodeRecord::peerId).toList();
        DriverRing ring = new DriverRing(peers, configured);
        boolean replicaSetRing = TablePlacement.replicaSetStep(n, TablePlacement.RING_REPLICATION_FACTOR) > 0;
        for (int rfWanted = 1; rfWanted <= 4; rfWanted++) {
          int rf = Math.min(rfWanted, n);
          TablePlacement p = TablePlacement.spread(nodes, configured, rfWanted);
          String where = n + " nodes, RF " + rfWanted + ", " + configured + " configured";
          assertTrue(p.tabletCount() >= TablePlacement.tabletsToSpread(n, rfWanted), where);
          if (replicaSetRing && rf != TablePlacement.RING_REPLICATION_FACTOR) {
            continue;
          }
          for (int i = 0; i < p.tabletCount(); i++) {
            long token = p.range(i).end() - rf; // a key inside tablet i, below the tokens its replicas show
            assertEquals(Set.copyOf(p.replicas().get(i)), Set.copyOf(ring.replicas(token, rf)), where + ", tablet " + i);
            assertEquals(Set.copyOf(p.replicas().get(i)), Set.copyOf(ring.replicas(p.range(i), rf)), where + ", tablet " + i);
          }
        }
      }
    }
  }

  /** With the default count, every node holds the same number of each table's replicas and leaders. */
  @Test
  void everyNodeHoldsAnEqualShareOfATableWhateverTheNodeCountAndFactor() {
    for (int n = 1; n <= 12; n++) {
      for (int rf = 1; rf <= 5; rf++) {
        TablePlacement p = TablePlacement.spread(nodes(n), 0, rf);
        assertEquals(TablePlacement.tabletsToSpread(n, rf), p.tabletCount(), n + " nodes, RF " + rf);
        Map<String, Integer> held = new HashMap<>();
        Map<String, Integer> led = new HashMap<>();
        for (List<String> replicas : p.replicas()) {
          assertEquals(Math.min(rf, n), Set.copyOf(replicas).size(), n + " nodes, RF " + rf + ": " + p);
          replicas.forEach(peer -> held.merge(peer, 1, Integer::sum));
          led.merge(replicas.get(0), 1, Integer::sum);
        }
        assertEquals(n, held.size(), "every node holds some: " + p);
        assertEquals(1, Set.copyOf(held.values()).size(), n + " nodes, RF " + rf + ", held " + held);
        assertTrue(led.values().stream().allMatch(c -> c == 1), n + " nodes, RF " + rf + ", led " + led);
      }
    }
  }

  @Test
  void sixNodesAtFactorThreeMakeTwoReplicaSetsOfATabletEach() {
    TablePlacement p = TablePlacement.spread(nodes(6), 0, 3);
    assertEquals(List.of(List.of("n0", "n1", "n2"), List.of("n3", "n4", "n5")), p.replicas());
    // The next table starts its leaders one place further in each set.
    assertEquals(List.of(List.of("n1", "n2", "n0"), List.of("n4", "n5", "n3")),
        TablePlacement.spread(nodes(6), 0, 3, 1).replicas());
    // A count that is not a whole number per set is rounded up; tablets alternate between sets.
    assertEquals(List.of(List.of("n0", "n1", "n2"), List.of("n3", "n4", "n5"), List.of("n1", "n2", "n0"),
        List.of("n4", "n5", "n3")), TablePlacement.spread(nodes(6), 3, 3).replicas());
    // Each node shows the last tokens of its set's tablets, in set order.
    long middle = TabletRanges.split(2).get(0).end();
    assertEquals(List.of(Long.toString(middle - 2)), TablePlacement.tokensOf(0, 6, 0));
    assertEquals(List.of(Long.toString(middle)), TablePlacement.tokensOf(2, 6, 0));
    assertEquals(List.of(Long.toString(Long.MAX_VALUE - 1)), TablePlacement.tokensOf(4, 6, 0));
    // Other factors keep a tablet per node; 9 nodes make three sets, 12 four.
    assertEquals(6, TablePlacement.spread(nodes(6), 0, 2).tabletCount());
    assertEquals(3, TablePlacement.spread(nodes(9), 0, 3).tabletCount());
    assertEquals(4, TablePlacement.tabletsToSpread(12, 3));
    assertEquals(7, TablePlacement.tabletsToSpread(7, 3));
    // A table on one set of three is split once the cluster has six nodes, into two.
    TablePlacement one = TablePlacement.spread(nodes(3), 0, 3);
    assertTrue(TabletSplitter.tooFewToSpread(one, 3, 6));
    assertTrue(!TabletSplitter.tooFewToSpread(one.split(0, 0L), 3, 6));
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
