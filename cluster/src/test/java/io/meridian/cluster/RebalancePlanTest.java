package io.meridian.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The rebalancer's plan, run to its end on a simulated state: balanced, RF kept, few moves. */
class RebalancePlanTest {
  private static final UUID T1 = new UUID(1, 1);
  private static final UUID T2 = new UUID(2, 2);

  private static NodeRecord node(int i) {
    return Members.node(i);
  }

  private static List<NodeRecord> nodes(int n) {
    return Members.joined(n);
  }

  private static ClusterState state(List<NodeRecord> members, Map<UUID, TablePlacement> placements) {
    return new ClusterState(members, null, null, placements);
  }

  /** Applies moves as the metadata group would (each one a compare-and-set) until the plan is empty. */
  private static int runToEnd(ClusterState[] state, int rf) {
    int moves = 0;
    for (Optional<RebalancePlan.Move> m = RebalancePlan.next(state[0], t -> rf); m.isPresent();
         m = RebalancePlan.next(state[0], t -> rf)) {
      RebalancePlan.Move move = m.get();
      assertTrue(move.added().size() <= 1 && move.removed().size() <= 1, "one replica at a time: " + move);
      ClusterState next = MetadataStateMachine.applyMembershipOrMove(state[0],
          new MetadataCommand.SetReplicas(move.tableId(), move.tabletId(), move.current(), move.target()));
      assertNotNull(next, "the planned move applies: " + move);
      state[0] = next;
      assertTrue(++moves < 200, "the plan converges");
    }
    return moves;
  }

  private static Map<String, Integer> replicaCounts(ClusterState s, boolean leaders) {
    Map<String, Integer> out = new HashMap<>();
    s.activeNodes().forEach(n -> out.put(n.peerId(), 0));
    for (TablePlacement p : s.placements().values()) {
      for (List<String> r : p.replicas()) {
        for (String peer : leaders ? r.subList(0, 1) : r) {
          out.merge(peer, 1, Integer::sum);
        }
      }
    }
    return out;
  }

  private static int spreadOf(Map<String, Integer> counts) {
    return counts.values().stream().max(Integer::compare).orElse(0)
        - counts.values().stream().min(Integer::compare).orElse(0);
  }

  @Test
  void aBalancedPlacementNeedsNoMove() {
    ClusterState s = state(nodes(3), Map.of(T1, TablePlacement.spread(nodes(3), 4, 3)));
    assertEquals(Optional.empty(), RebalancePlan.next(s, t -> 3));
    ClusterState one = state(nodes(3), Map.of(T1, TablePlacement.spread(nodes(3), 6, 1)));
    assertEquals(Optional.empty(), RebalancePlan.next(one, t -> 1));
  }

  @Test
  void aJoiningNodeReceivesItsShareOfReplicasAndLeaders() {
    Map<UUID, TablePlacement> placements = new LinkedHashMap<>();
    placements.put(T1, TablePlacement.spread(nodes(2), 4, 2));
    placements.put(T2, TablePlacement.spread(nodes(2), 4, 2));
    ClusterState[] s = {state(nodes(3), placements)};
    int moves = runToEnd(s, 2);
    // 16 replicas over 3 nodes: 6/5/5 at best, from 8/8/0: five replica moves, plus reorders.
    Map<String, Integer> counts = replicaCounts(s[0], false);
    assertTrue(spreadOf(counts) <= 1, "replicas even: " + counts);
    assertTrue(counts.get("n2") >= 5, "the new node holds its share: " + counts);
    assertTrue(spreadOf(replicaCounts(s[0], true)) <= 1, "leaders even: " + replicaCounts(s[0], true));
    for (TablePlacement p : s[0].placements().values()) {
      for (List<String> r : p.replicas()) {
        assertEquals(2, r.size(), "RF kept: " + r);
        assertEquals(2, Set.copyOf(r).size(), "distinct replicas: " + r);
      }
    }
    assertTrue(moves <= 9, "few moves: " + moves);
  }

  /**
   * Three nodes become six: the splitter cuts the table's one tablet where the new nodes' run of
   * tokens begins, and the moves put the upper half on the new nodes, where drivers route it. No
   * tablet moves before it is cut (it would move back afterwards).
   */
  @Test
  void aTableSpreadOntoNewNodesEndsWhereTheDriversRingRoutesIt() {
    TablePlacement one = TablePlacement.spread(nodes(3), 0, 3);
    List<NodeRecord> six = nodes(6);
    TokenRing ring = new TokenRing(six);
    assertEquals(Optional.empty(), RebalancePlan.next(state(six, Map.of(T1, one)), t -> 3).filter(m ->
        !m.added().isEmpty()), "an uncut tablet spanning two replica sets stays");
    long cut = ring.boundaryInside(one.range(0), 3).orElseThrow();
    assertEquals(TokenRing.FIRST_RUN_END, cut);
    ClusterState[] s = {state(six, Map.of(T1, one.split(0, cut)))};
    int moves = runToEnd(s, 3);
    TablePlacement p = s[0].placements().get(T1);
    for (int i = 0; i < p.tabletCount(); i++) {
      assertEquals(Set.copyOf(ring.replicas(p.range(i), 3)), Set.copyOf(p.replicas().get(i)), "tablet " + i + ": " + p);
    }
    assertEquals(Set.of("n3", "n4", "n5"), Set.copyOf(p.replicas().get(1)), "the upper half moved: " + p);
    assertEquals(Set.of("n0", "n1", "n2"), Set.copyOf(p.replicas().get(0)), "the lower half stayed: " + p);
    assertTrue(moves <= 5, "three replica moves and leader reorders: " + moves);
  }

  /**
   * A fourth node: the upper half of the table moves one replica to it, as the ring says, and
   * a decommissioned node's replicas go where the ring without it says.
   */
  @Test
  void aSingleNewNodeTakesOneReplicaOfTheHalfTheRingGivesIt() {
    TablePlacement one = TablePlacement.spread(nodes(3), 0, 3);
    ClusterState[] s = {state(nodes(4), Map.of(T1, one.split(0, TokenRing.FIRST_RUN_END)))};
    runToEnd(s, 3);
    TablePlacement p = s[0].placements().get(T1);
    assertEquals(List.of(Set.of("n0", "n1", "n2"), Set.of("n3", "n0", "n1")),
        p.replicas().stream().map(Set::copyOf).toList());
    // n0 led both halves; evening the leaders gives one to n2, which holds one half only, not to
    // n1, which holds both.
    assertEquals(List.of("n2", "n0"), p.tablets().stream().map(t -> t.replicas().get(0)).toList());
    s[0] = s[0].withLeaving("n1");
    runToEnd(s, 3);
    TokenRing without = new TokenRing(s[0].activeNodes());
    p = s[0].placements().get(T1);
    for (int i = 0; i < p.tabletCount(); i++) {
      assertEquals(Set.copyOf(without.replicas(p.range(i), 3)), Set.copyOf(p.replicas().get(i)), "tablet " + i + ": " + p);
      assertFalse(p.replicas().get(i).contains("n1"), p.toString());
    }
  }

  @Test
  void eachTableIsSpreadNotOnlyTheTotal() {
    Map<UUID, TablePlacement> placements = new LinkedHashMap<>();
    placements.put(T1, TablePlacement.spread(nodes(1), 4, 1));
    placements.put(T2, TablePlacement.spread(nodes(1), 4, 1));
    ClusterState[] s = {state(nodes(2), placements)};
    assertEquals(4, runToEnd(s, 1));
    for (TablePlacement p : s[0].placements().values()) {
      long onNew = p.replicas().stream().filter(r -> r.contains("n1")).count();
      assertEquals(2, onNew, "half of each table's tablets moved: " + p);
    }
  }

  @Test
  void aLeavingNodeIsEmptiedAndTheRestStaysEven() {
    ClusterState[] s = {state(nodes(3), Map.of(T1, TablePlacement.spread(nodes(3), 6, 2))).withLeaving("n1")};
    runToEnd(s, 2);
    for (List<String> r : s[0].placements().get(T1).replicas()) {
      assertFalse(r.contains("n1"), "no replica left on the leaving node: " + r);
      assertEquals(2, r.size());
    }
    assertEquals(Map.of("n0", 6, "n2", 6), replicaCounts(s[0], false));
    assertEquals(0, spreadOf(replicaCounts(s[0], true)));
    // Now it can leave the member list; before, that is refused.
    assertNotNull(MetadataStateMachine.applyMembershipOrMove(s[0], new MetadataCommand.RemoveNode(new UUID(0, 1))));
  }

  @Test
  void nothingMovesOntoADownNodeNorOutOfATabletWithoutALiveMajority() {
    ClusterState s = state(nodes(3), Map.of(T1, TablePlacement.spread(nodes(2), 4, 1)));
    assertEquals(Optional.empty(), RebalancePlan.next(s, t -> 1, peer -> !peer.equals("n2")), "n2 is down");
    // n1 down: its tablets cannot move (their only replica is down); n0's can.
    Optional<RebalancePlan.Move> m = RebalancePlan.next(s, t -> 1, peer -> !peer.equals("n1"));
    assertTrue(m.isPresent());
    assertEquals(List.of("n0"), m.get().current());
    assertEquals(List.of("n2"), m.get().target());
  }

  @Test
  void removingANodeThatStillHoldsReplicasIsRefused() {
    ClusterState s = state(nodes(2), Map.of(T1, TablePlacement.spread(nodes(2), 2, 1)));
    assertNull(MetadataStateMachine.applyMembershipOrMove(s, new MetadataCommand.RemoveNode(new UUID(0, 1))));
  }

  @Test
  void anInterruptedMoveIsFinishedByDroppingTheExtraReplica() {
    TablePlacement p = TablePlacement.spread(nodes(2), 2, 1).withReplicas(0, List.of("n0", "n1"));
    ClusterState[] s = {state(nodes(2), Map.of(T1, p))};
    runToEnd(s, 1);
    assertEquals(List.of(List.of("n0"), List.of("n1")), s[0].placements().get(T1).replicas());
  }

  @Test
  void aSplitReplacesTheTabletByTwoOnTheConfirmedReplicasOrIsRefused() {
    ClusterState s = state(nodes(3), Map.of(T1, TablePlacement.spread(nodes(3), 3, 3)));
    TablePlacement before = s.placements().get(T1);
    long mid = before.range(1).start() + (before.range(1).end() - before.range(1).start()) / 2;
    List<String> replicas = before.tablet(1).replicas();

    ClusterState after = MetadataStateMachine.applyMembershipOrMove(s,
        new MetadataCommand.SplitTablet(T1, 1, mid, replicas.subList(0, 2)));
    TablePlacement p = after.placements().get(T1);
    assertEquals(List.of(0, 3, 4, 2), p.tablets().stream().map(TablePlacement.Tablet::id).toList());
    assertEquals(replicas.subList(0, 2), p.tablet(1).replicas(), "the half is on the replicas that confirmed");
    assertEquals(replicas.subList(0, 2), p.tablet(2).replicas());
    assertEquals(mid, p.tablet(1).lastToken());

    assertNull(MetadataStateMachine.applyMembershipOrMove(after,
        new MetadataCommand.SplitTablet(T1, 1, mid, replicas)), "the tablet is gone: a second split of it");
    assertNull(MetadataStateMachine.applyMembershipOrMove(s,
        new MetadataCommand.SplitTablet(T1, 1, mid, List.of("n9"))), "a replica the tablet does not have");
    assertNull(MetadataStateMachine.applyMembershipOrMove(s,
        new MetadataCommand.SplitTablet(T1, 1, mid, List.of())), "no replica");
    assertNull(MetadataStateMachine.applyMembershipOrMove(s,
        new MetadataCommand.SplitTablet(T1, 1, before.range(1).end(), replicas)), "token outside the tablet");
    assertNull(MetadataStateMachine.applyMembershipOrMove(s,
        new MetadataCommand.SplitTablet(T2, 0, 0, replicas)), "no such table");
  }

  @Test
  void aStaleMoveIsRefused() {
    ClusterState s = state(nodes(3), Map.of(T1, TablePlacement.spread(nodes(3), 3, 1)));
    assertNull(MetadataStateMachine.applyMembershipOrMove(s,
        new MetadataCommand.SetReplicas(T1, 0, List.of("n1"), List.of("n2"))), "expected replicas differ");
    assertNull(MetadataStateMachine.applyMembershipOrMove(s,
        new MetadataCommand.SetReplicas(T1, 0, List.of("n0"), List.of("n9"))), "unknown node");
    assertNull(MetadataStateMachine.applyMembershipOrMove(s,
        new MetadataCommand.SetReplicas(T2, 0, List.of("n0"), List.of("n1"))), "no such table");
    assertNull(MetadataStateMachine.applyMembershipOrMove(s,
        new MetadataCommand.SetReplicas(T1, 0, List.of("n0"), List.of("n1", "n1"))), "duplicate replica");
  }

  @Test
  void newCommandsAndLeavingPeersSurviveTheCodec() {
    for (MetadataCommand c : List.of(new MetadataCommand.SetReplicas(T1, 3, List.of("a", "b"), List.of("b", "c")),
        new MetadataCommand.Decommission("n1"), new MetadataCommand.RemoveNode(new UUID(0, 1)),
        new MetadataCommand.SplitTablet(T1, 7, -12345L, List.of("a", "c")))) {
      assertEquals(c, MetadataCodec.decodeCommand(MetadataCodec.encode(c)));
    }
    ClusterState s = state(nodes(2), Map.of(T1, TablePlacement.spread(nodes(2), 2, 1))).withLeaving("n1");
    MetadataCodec.IndexedState back = MetadataCodec.decodeState(MetadataCodec.encode(s, 42));
    assertEquals(Set.of("n1"), back.state().leaving());
    assertEquals(s.placements(), back.state().placements());
    assertEquals(42, back.appliedIndex());
  }

  @Test
  void statesWrittenInFormatsOneAndTwoStillDecodeAsEqualRanges() throws java.io.IOException {
    ClusterState s = state(nodes(2), Map.of(T1, TablePlacement.spread(nodes(2), 2, 1))).withLeaving("n1");
    for (byte format = 1; format <= 2; format++) {
      MetadataCodec.IndexedState back = MetadataCodec.decodeState(oldFormatState(s, 7, format));
      assertEquals(format == 1 ? Set.of() : Set.of("n1"), back.state().leaving());
      // Their members get the tokens joining in order gives, the ones these members have.
      assertEquals(List.of(List.of(-3L), List.of(-2L)), back.state().nodes().stream().map(NodeRecord::tokens).toList());
      assertEquals(s.nodes(), back.state().nodes());
      assertEquals(s.placements(), back.state().placements());
      assertEquals(7, back.appliedIndex());
    }
  }

  /** A state as formats 1 and 2 wrote it: replica lists only; format 2 adds the leaving peers. */
  private static byte[] oldFormatState(ClusterState s, long index, byte format) throws java.io.IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
    out.writeLong(index);
    out.writeInt(s.nodes().size());
    for (NodeRecord n : s.nodes()) {
      out.writeLong(n.hostId().getMostSignificantBits());
      out.writeLong(n.hostId().getLeastSignificantBits());
      for (String f : List.of(n.peerId(), n.raftAddress(), n.cqlAddress())) {
        out.writeUTF(f);
      }
      out.writeInt(n.cqlPort());
      out.writeUTF(n.dataCenter());
      out.writeUTF(n.rack());
    }
    out.writeBoolean(false);
    out.writeInt(s.placements().size());
    for (Map.Entry<UUID, TablePlacement> e : s.placements().entrySet()) {
      out.writeLong(e.getKey().getMostSignificantBits());
      out.writeLong(e.getKey().getLeastSignificantBits());
      out.writeInt(e.getValue().tabletCount());
      for (List<String> replicas : e.getValue().replicas()) {
        out.writeInt(replicas.size());
        for (String r : replicas) {
          out.writeUTF(r);
        }
      }
    }
    if (format == 2) {
      out.writeInt(s.leaving().size());
      for (String peer : s.leaving()) {
        out.writeUTF(peer);
      }
    }
    byte[] payload = bytes.toByteArray();
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(payload);
    return java.nio.ByteBuffer.allocate(13 + payload.length).putInt(0x4D524353).put(format).putInt(payload.length)
        .put(payload).putInt((int) crc.getValue()).array();
  }
}
