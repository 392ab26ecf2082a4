package io.meridian.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import com.datastax.oss.driver.internal.core.metadata.token.Murmur3Token;
import io.meridian.cluster.ClusterState;
import io.meridian.cluster.NodeRecord;
import io.meridian.cluster.TablePlacement;
import io.meridian.server.ServerConfigKeys;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Six nodes at replication factor 3 divide into two replica sets of three: a table gets one tablet
 * per set (each node holds one of its Raft groups, as on a 3-node cluster), and the token ring the
 * nodes show makes the real Java driver pick a key's replicas from exactly its tablet's set. A
 * 3-node cluster grown to six gets there too: its table splits in two and one half moves to the
 * new nodes, the half the new nodes' tokens claim. The first nodes' tokens do not change, so a
 * driver session open since the cluster had three nodes routes right too. A keyspace of another
 * factor keeps a tablet per node.
 */
class ReplicaSetsIT {
  private static final int KEYS = 300;

  @Test
  void threeNodesGrownToSixHoldATableOnTwoReplicaSetsThatDriversRouteTo() throws Exception {
    try (TestCluster cluster = new TestCluster(3, Map.of(ServerConfigKeys.TABLETS_PER_TABLE.key(), "0")).start();
         CqlSession session = cluster.session(0)) {
      session.execute("CREATE KEYSPACE three WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}");
      session.execute("CREATE TABLE three.grown (k int PRIMARY KEY, v text)");
      assertEquals(1, placement(cluster, "three", "grown").tabletCount(), "one tablet on three nodes");
      PreparedStatement insert = session.prepare("INSERT INTO three.grown (k, v) VALUES (?, ?)");
      for (int k = 0; k < KEYS; k++) {
        session.execute(insert.bind(k, "v" + k));
      }

      for (int i = 0; i < 3; i++) {
        cluster.addMember();
      }
      long deadline = System.currentTimeMillis() + 120_000;
      while (!onTwoSets(placement(cluster, "three", "grown"))) {
        assertTrue(System.currentTimeMillis() < deadline,
            "split and moved onto two sets: " + placement(cluster, "three", "grown"));
        Thread.sleep(200);
      }

      session.execute("CREATE TABLE three.born (k int PRIMARY KEY, v text)");
      assertTrue(onTwoSets(placement(cluster, "three", "born")), "a table created on six nodes: "
          + placement(cluster, "three", "born"));
      session.execute("CREATE KEYSPACE two WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2}");
      session.execute("CREATE TABLE two.t (k int PRIMARY KEY, v text)");
      assertEquals(6, placement(cluster, "two", "t").tabletCount(), "factor 2 keeps a tablet per node");

      // The session open since three nodes learnt only each new node's own row when it joined
      // (the Java driver reads no more on NEW_NODE); a session that connects now reads them all.
      // Both token maps name each key's tablet's replicas.
      assertRoutesToTablets(cluster, session, "the session open since three nodes");
      try (CqlSession fresh = cluster.session(4)) {
        assertRoutesToTablets(cluster, fresh, "a session opened on six nodes");
      }

      // Every row written on three nodes reads back through every node at QUORUM after the moves.
      PreparedStatement select = session.prepare("SELECT v FROM three.grown WHERE k = ?");
      List<Node> nodes = List.copyOf(session.getMetadata().getNodes().values());
      for (int k = 0; k < KEYS; k++) {
        BoundStatement read = select.bind(k).setNode(nodes.get(k % nodes.size()))
            .setConsistencyLevel(DefaultConsistencyLevel.QUORUM);
        Row row = session.execute(read).one();
        assertEquals("v" + k, row == null ? null : row.getString("v"), "row " + k);
      }
      assertEquals(KEYS, session.execute("SELECT count(*) FROM three.grown").one().getLong(0));
    }
  }

  private static void assertRoutesToTablets(TestCluster cluster, CqlSession session, String which) {
    Map<InetSocketAddress, String> peerOfAddress = new HashMap<>();
    for (TestCluster.Member m : cluster.members()) {
      peerOfAddress.put(new InetSocketAddress(m.host, m.cqlPort), NodeRecord.peerIdFor(m.raftAddress()));
    }
    TestCluster.await(() -> session.getMetadata().getNodes().size() == 6
        && session.getMetadata().getTokenMap().map(t -> t.getTokenRanges().size() == 6).orElse(false),
        which + " knows six nodes and their tokens");
    TokenMap tokens = session.getMetadata().getTokenMap().orElseThrow();
    for (String table : List.of("grown", "born")) {
      TablePlacement sets = placement(cluster, "three", table);
      Set<Set<String>> routedTo = new HashSet<>();
      for (int k = 0; k < KEYS; k++) {
        ByteBuffer key = ByteBuffer.allocate(4).putInt(0, k);
        long token = ((Murmur3Token) tokens.newToken(key)).getValue();
        Set<String> routed = new HashSet<>();
        for (Node n : tokens.getReplicas(CqlIdentifier.fromCql("three"), key)) {
          routed.add(peerOfAddress.get((InetSocketAddress) n.getEndPoint().resolve()));
        }
        assertEquals(Set.copyOf(sets.tabletFor(token).replicas()), routed, which + ", " + table + ": key " + k);
        routedTo.add(routed);
      }
      assertEquals(2, routedTo.size(), which + ", " + table + ": keys reach both sets");
    }
  }

  /** Two tablets of three replicas each, on six distinct nodes, no move under way. */
  private static boolean onTwoSets(TablePlacement p) {
    if (p.tabletCount() != 2 || p.tablet(0).replicas().size() != 3 || p.tablet(1).replicas().size() != 3) {
      return false;
    }
    Set<String> all = new HashSet<>(p.tablet(0).replicas());
    all.addAll(p.tablet(1).replicas());
    return all.size() == 6;
  }

  private static TablePlacement placement(TestCluster cluster, String keyspace, String table) {
    ClusterState state = cluster.member(0).node.clusterNode().state();
    UUID id = io.meridian.schema.SchemaStore.fromBytes(state.schema()).keyspaces().get(keyspace).tables().get(table).id();
    return state.placements().get(id);
  }
}
