package io.meridian.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.storage.TokenRange;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Tokens given at join: never changed, in runs of three, new runs halving the widest stretch. */
class TokenRingTest {
  private static final long MAX = Long.MAX_VALUE;

  private static List<Long> tokens(List<NodeRecord> nodes) {
    return nodes.stream().map(n -> n.tokens().get(0)).toList();
  }

  @Test
  void joinsFillARunOfThreeBeforeStartingTheNext() {
    assertEquals(List.of(-3L, -2L, -1L, MAX - 3, MAX - 2, MAX - 1), tokens(Members.joined(6)));
  }

  /** What a driver learnt about a node when it connected stays true after any number of joins. */
  @Test
  void aMembersTokensNeverChangeAsOthersJoin() {
    List<Long> twelve = tokens(Members.joined(12));
    for (int n = 1; n < 12; n++) {
      assertEquals(twelve.subList(0, n), tokens(Members.joined(n)), n + " nodes");
    }
    // A restart with new addresses keeps the node's place.
    ClusterState s = new ClusterState(Members.joined(4), null, null, java.util.Map.of());
    NodeRecord moved = new NodeRecord(new UUID(0, 2), "n2", "h9:7001", "h9", 9043, "dc1", "r1");
    assertEquals(List.of(-1L), s.withNode(moved).node(new UUID(0, 2)).orElseThrow().tokens());
  }

  @Test
  void aNodeThatLeftLeavesAGapTheNextJoinerFills() {
    ClusterState s = new ClusterState(Members.joined(6), null, null, java.util.Map.of()).withoutNode(new UUID(0, 4));
    s = s.withNode(Members.node(6));
    assertEquals(List.of(MAX - 2), s.node(new UUID(0, 6)).orElseThrow().tokens());
  }

  /** Twelve nodes make four runs a quarter of the ring apart: four equal sections. */
  @Test
  void newRunsHalveTheWidestStretchSoTwelveNodesMakeFourEqualSections() {
    List<TokenRing.Section> sections = new TokenRing(Members.joined(12)).sections(3);
    assertEquals(4, sections.size(), sections.toString());
    long start = Long.MIN_VALUE;
    for (TokenRing.Section s : sections) {
      double share = Long.divideUnsigned(s.lastToken() - start, 1L << 20) / Math.pow(2, 44);
      assertEquals(0.25, share, 0.001, sections.toString());
      assertEquals(3, s.replicas().size());
      start = s.lastToken();
    }
    // Nine nodes: the third run halves one of the two halves.
    List<TokenRing.Section> nine = new TokenRing(Members.joined(9)).sections(3);
    assertEquals(3, nine.size(), nine.toString());
  }

  @Test
  void aTabletSpanningTwoSectionsIsCutWhereTheSecondBegins() {
    TokenRing six = new TokenRing(Members.joined(6));
    TokenRange all = new TokenRange(Long.MIN_VALUE, MAX);
    assertEquals(Optional.of(-1L), six.boundaryInside(all, 3));
    assertEquals(Optional.empty(), six.boundaryInside(new TokenRange(Long.MIN_VALUE, -1), 3));
    assertEquals(Optional.empty(), six.boundaryInside(new TokenRange(-1, MAX), 3),
        "the few tokens above the upper run's last go with it");
    assertEquals(Optional.empty(), new TokenRing(Members.joined(3)).boundaryInside(all, 3), "one run");
    // The walk from a token below a run names the run; just above its first token, a mix.
    assertEquals(List.of("n3", "n4", "n5"), six.replicas(12345L, 3));
    assertEquals(List.of("n1", "n2", "n3"), six.replicas(-2L, 3));
    assertTrue(six.replicas(Long.MIN_VALUE + 1, 3).containsAll(List.of("n0", "n1", "n2")));
  }
}
