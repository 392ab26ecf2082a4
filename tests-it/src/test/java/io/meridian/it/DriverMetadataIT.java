package io.meridian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import com.datastax.oss.driver.api.core.metadata.schema.ClusteringOrder;
import com.datastax.oss.driver.api.core.metadata.schema.KeyspaceMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.cql.Row;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Drivers must connect and build full schema metadata from Meridian's system tables the way they
 * do against Cassandra: no errors or warnings, the right key layout, and a token map that routes.
 */
class DriverMetadataIT {

  @Test
  void javaDriverBuildsSchemaAndTokenMetadataWithoutWarnings() {
    try (TestNode node = TestNode.start()) {
      try (CqlSession setup = node.session()) {
        setup.execute("CREATE KEYSPACE meta WITH replication = {'class': 'NetworkTopologyStrategy', 'datacenter1': 1}");
        setup.execute("CREATE TABLE meta.readings (sensor text, day date, ts timestamp, seq int, value double, note text, "
            + "PRIMARY KEY ((sensor, day), ts, seq)) WITH CLUSTERING ORDER BY (ts DESC, seq ASC) "
            + "AND default_time_to_live = 3600 AND comment = 'sensor data'");
        setup.execute("CREATE TABLE meta.alltypes (k int PRIMARY KEY, a ascii, b bigint, bl blob, bo boolean, d date, "
            + "de decimal, db double, du duration, f float, i inet, s smallint, t text, tm time, ts timestamp, "
            + "tu timeuuid, ti tinyint, u uuid, vc varchar, vi varint)");
      }
      // slf4j-simple resolves System.err per message, so swapping it captures the driver's log.
      PrintStream originalErr = System.err;
      ByteArrayOutputStream captured = new ByteArrayOutputStream();
      CqlSession session;
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try {
        session = node.session();
        session.refreshSchema();
        session.checkSchemaAgreement();
      } finally {
        System.setErr(originalErr);
      }
      try (session) {
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.lines().noneMatch(l -> l.contains("WARN") || l.contains("ERROR")),
            "driver logged warnings or errors while connecting:\n" + log);

        KeyspaceMetadata ks = session.getMetadata().getKeyspace("meta").orElseThrow();
        assertEquals("org.apache.cassandra.locator.NetworkTopologyStrategy", ks.getReplication().get("class"));
        TableMetadata t = ks.getTable("readings").orElseThrow();
        assertEquals(java.util.List.of("sensor", "day"),
            t.getPartitionKey().stream().map(c -> c.getName().asInternal()).toList());
        assertEquals(ClusteringOrder.DESC, t.getClusteringColumns().get(t.getColumn("ts").orElseThrow()));
        assertEquals(ClusteringOrder.ASC, t.getClusteringColumns().get(t.getColumn("seq").orElseThrow()));
        assertEquals(3600, t.getOptions().get(CqlIdentifier.fromCql("default_time_to_live")));
        assertEquals("sensor data", t.getOptions().get(CqlIdentifier.fromCql("comment")));
        assertTrue(t.describe(false).contains("CLUSTERING ORDER BY (\"ts\" DESC, \"seq\" ASC)"), t.describe(false));

        TableMetadata all = ks.getTable("alltypes").orElseThrow();
        assertEquals(DataTypes.DURATION, all.getColumn("du").orElseThrow().getType());
        assertEquals(DataTypes.TEXT, all.getColumn("vc").orElseThrow().getType());
        assertEquals(DataTypes.VARINT, all.getColumn("vi").orElseThrow().getType());
        assertEquals(DataTypes.TIMEUUID, all.getColumn("tu").orElseThrow().getType());

        // System keyspaces are listed as in Cassandra (the driver's metadata filters them out by default).
        Set<String> keyspaces = new java.util.HashSet<>();
        session.execute("SELECT keyspace_name FROM system_schema.keyspaces").forEach(r -> keyspaces.add(r.getString(0)));
        assertTrue(keyspaces.containsAll(Set.of("system", "system_schema", "meta")), keyspaces.toString());

        // One node owning the whole ring: the token map routes every key to it.
        Node only = session.getMetadata().getNodes().values().iterator().next();
        assertEquals("datacenter1", only.getDatacenter());
        TokenMap tokens = session.getMetadata().getTokenMap().orElseThrow();
        assertEquals("org.apache.cassandra.dht.Murmur3Partitioner", tokens.getPartitionerName());
        Set<Node> replicas = tokens.getReplicas("meta", tokens.newToken(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3})));
        assertEquals(Set.of(only), replicas);

        Row local = session.execute("SELECT release_version, partitioner, data_center, cluster_name FROM system.local").one();
        assertEquals("org.apache.cassandra.dht.Murmur3Partitioner", local.getString("partitioner"));
        assertEquals("datacenter1", local.getString("data_center"));
      }
    }
  }
}
