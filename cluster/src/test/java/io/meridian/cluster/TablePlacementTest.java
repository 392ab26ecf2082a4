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
    return Members.joined(n);
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
    // A count below the node count is raised to it.
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
    TablePlacement one = TablePlacement.spread(nodes(2), 0, 2);
    assertTrue(TabletSplitter.tooFewToSpread(one, 2, 3), "3 nodes, RF 2, 1 tablet");
    assertTrue(!TabletSplitter.tooFewToSpread(one, 2, 2), "2 nodes both hold it");
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
   * following distinct nodes; with the tokens the nodes were given when they joined, that names
   * the placement's replicas for any key of a table at the ring's factor, whatever the node count
   * and tablet count (and for every table when every node holds it).
   */
  @Test
  void theRingOfTheMembersTokensNamesThePlacementsReplicas() {
    java.util.Random random = new java.util.Random(11);
    for (int n = 1; n <= 13; n++) {
      List<NodeRecord> nodes = nodes(n);
      TokenRing ring = new TokenRing(nodes);
      for (int configured : new int[] {0, 8}) {
        for (int rfWanted = 1; rfWanted <= 4; rfWanted++) {
          int rf = Math.min(rfWanted, n);
          TablePlacement p = TablePlacement.spread(nodes, configured, rfWanted);
          String where = n + " nodes, RF " + rfWanted + ", " + configured + " configured";
          assertTrue(p.tabletCount() >= Math.max(1, configured), where);
          if (rf != n && !TablePlacement.onRing(n, rf)) {
            continue; // a tablet per node; the ring is drawn for factor 3
          }
          for (int k = 0; k < 2_000; k++) {
            long token = random.nextLong();
            if (token != Long.MIN_VALUE) {
              assertEquals(Set.copyOf(p.tabletFor(token).replicas()), Set.copyOf(ring.replicas(token, rf)),
                  where + ", token " + token + ": " + p);
            }
          }
        }
      }
    }
  }

  /** With the default count, every node holds the same number of each table's replicas and leaders. */
  @Test
  void everyNodeHoldsAnEqualShareOfATablePlacedPerNode() {
    for (int n = 1; n <= 12; n++) {
      for (int rf = 1; rf <= 5; rf++) {
        if (TablePlacement.onRing(n, rf)) {
          continue;
        }
        TablePlacement p = TablePlacement.spread(nodes(n), 0, rf);
        assertEquals(TablePlacement.tabletsToSpread(n, rf), p.tabletCount(), n + " nodes, RF " + rf);
        assertEqualShares(p, n, Math.min(rf, n));
      }
    }
  }

  /** On 6, 9 and 12 nodes a table at factor 3 is a tablet per replica set: each node holds and leads one. */
  @Test
  void completeRunsOfTokensMakeATabletPerReplicaSet() {
    for (int n : new int[] {6, 9, 12}) {
      TablePlacement p = TablePlacement.spread(nodes(n), 0, 3);
      assertEquals(n / 3, p.tabletCount(), n + " nodes: " + p);
      assertEqualShares(p, n, 3);
    }
  }

  private static void assertEqualShares(TablePlacement p, int n, int rf) {
    Map<String, Integer> held = new HashMap<>();
    Map<String, Integer> led = new HashMap<>();
    for (List<String> replicas : p.replicas()) {
      assertEquals(rf, Set.copyOf(replicas).size(), n + " nodes, RF " + rf + ": " + p);
      replicas.forEach(peer -> held.merge(peer, 1, Integer::sum));
      led.merge(replicas.get(0), 1, Integer::sum);
    }
    assertEquals(n, held.size(), "every node holds some: " + p);
    assertEquals(1, Set.copyOf(held.values()).size(), n + " nodes, RF " + rf + ", held " + held);
    assertTrue(led.values().stream().allMatch(c -> c == 1), n + " nodes, RF " + rf + ", led " + led);
  }

  @Test
  void sixNodesAtFactorThreeMakeTwoReplicaSetsOfATabletEach() {
    TablePlacement p = TablePlacement.spread(nodes(6), 0, 3);
    assertEquals(List.of(List.of("n0", "n1", "n2"), List.of("n4", "n5", "n3")), p.replicas());
    assertEquals(List.of(TokenRing.FIRST_RUN_END, Long.MAX_VALUE),
        p.tablets().stream().map(TablePlacement.Tablet::lastToken).toList());
    // The next table starts its leaders one place further in each set.
    assertEquals(List.of(List.of("n1", "n2", "n0"), List.of("n5", "n3", "n4")),
        TablePlacement.spread(nodes(6), 0, 3, 1).replicas());
    // A count that is not a whole number per set is rounded up; each set's range is cut evenly.
    TablePlacement four = TablePlacement.spread(nodes(6), 3, 3);
    assertEquals(List.of(Set.of("n0", "n1", "n2"), Set.of("n0", "n1", "n2"), Set.of("n3", "n4", "n5"),
        Set.of("n3", "n4", "n5")), four.replicas().stream().map(Set::copyOf).toList());
    assertEquals(TokenRing.FIRST_RUN_END, four.tablet(1).lastToken());
    // Other factors keep a tablet per node.
    assertEquals(6, TablePlacement.spread(nodes(6), 0, 2).tabletCount());
    assertEquals(1, TablePlacement.spread(nodes(6), 0, 6).tabletCount());
  }

  /**
   * A fourth node takes the middle of the only stretch between runs: the lower half of the ring
   * is then on it and two of the first three, the rest on the first three, until two more nodes
   * complete its run.
   */
  @Test
  void nodesJoiningOneByOneStartARunThenCompleteIt() {
    TablePlacement four = TablePlacement.spread(nodes(4), 0, 3);
    assertEquals(List.of(Set.of("n0", "n1", "n2"), Set.of("n3", "n0", "n1")),
        four.replicas().stream().map(Set::copyOf).toList());
    TablePlacement five = TablePlacement.spread(nodes(5), 0, 3);
    assertEquals(List.of(Set.of("n0", "n1", "n2"), Set.of("n3", "n4", "n0")),
        five.replicas().stream().map(Set::copyOf).toList());
    assertEquals(four.tablets().stream().map(TablePlacement.Tablet::lastToken).toList(),
        five.tablets().stream().map(TablePlacement.Tablet::lastToken).toList(), "the same two ranges");
    // Leaders are nodes holding one half: those holding both would lead everything otherwise.
    assertEquals(List.of("n2", "n3"), four.tablets().stream().map(t -> t.replicas().get(0)).toList());
    assertTrue(five.tablets().stream().noneMatch(t -> t.replicas().get(0).equals("n0")), five.toString());
  }

  @Test
  void aSplitTabletBecomesTwoNewTabletsOnTheSameReplicasCoveringItsRange() {
    TablePlacement p = TablePlacement.spread(nodes(3), 3, 2);
    long mid = p.range(1).start() + (p.range(1).end() - p.range(1).start()) / 2;
    TablePlacement s = p.split(1, mid);

    assertEquals(4, s.tabletCount());
    assertEquals(List.of(0, 3, 4, 2), s.tablets().stream().map(TablePlacement.Tablet::id).toList());
    assertEquals(5, s.nextTabletId());
    assertEquals(3, s.baseTabletCount(), "the local store keeps the table's first split");
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
