package io.meridian.it.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.DefaultProtocolVersion;
import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.UnsupportedProtocolVersionException;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.context.DriverContext;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.session.ProgrammaticArguments;
import com.datastax.oss.driver.internal.core.DefaultProtocolVersionRegistry;
import com.datastax.oss.driver.internal.core.ProtocolVersionRegistry;
import com.datastax.oss.driver.internal.core.context.DefaultDriverContext;
import io.meridian.it.TestNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Which protocol version the DataStax driver ends up on, and that each one works end to end. */
class ProtocolNegotiationIT {
  private static TestNode node;

  @BeforeAll
  static void startNode() {
    node = TestNode.start();
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void defaultDriverNegotiatesV5WithoutWarnings() {
    Sessions.Captured<CqlSession> c = Sessions.captureStdErr(() -> node.session());
    try (CqlSession session = c.value()) {
      assertEquals(DefaultProtocolVersion.V5, session.getContext().getProtocolVersion());
      assertEquals("datacenter1", session.execute("SELECT data_center FROM system.local").one().getString(0));
    }
    assertNoDriverComplaints(c.err());
  }

  @Test
  void forcedV4WorksForDdlPreparedAndPaging() {
    exerciseForcedVersion("V4", DefaultProtocolVersion.V4, "neg_v4");
  }

  @Test
  void forcedV3WorksForDdlPreparedAndPaging() {
    exerciseForcedVersion("V3", DefaultProtocolVersion.V3, "neg_v3");
  }

  private void exerciseForcedVersion(String name, ProtocolVersion expected, String keyspace) {
    try (CqlSession session = node.session(cfg -> cfg.withString(DefaultDriverOption.PROTOCOL_VERSION, name))) {
      assertEquals(expected, session.getContext().getProtocolVersion());
      session.execute("CREATE KEYSPACE " + keyspace
          + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
      session.execute("CREATE TABLE " + keyspace + ".events (p int, c int, v text, PRIMARY KEY (p, c))");
      PreparedStatement insert = session.prepare("INSERT INTO " + keyspace + ".events (p, c, v) VALUES (?, ?, ?)");
      // Result metadata ids exist from v5 on only.
      if (expected.getCode() < 5) {
        assertNull(insert.getResultMetadataId());
      }
      for (int c = 0; c < 95; c++) {
        session.execute(insert.bind(1, c, "v" + c));
      }
      PreparedStatement select = session.prepare("SELECT c, v FROM " + keyspace + ".events WHERE p = ?");
      ResultSet rs = session.execute(select.bind(1).setPageSize(10));
      assertEquals(10, rs.getAvailableWithoutFetching(), "first page holds page-size rows");
      assertNotNull(rs.getExecutionInfo().getPagingState(), "more pages announced");
      List<Integer> seen = new ArrayList<>();
      for (Row row : rs) {
        assertEquals("v" + row.getInt("c"), row.getString("v"));
        seen.add(row.getInt("c"));
      }
      List<Integer> expectedRows = new ArrayList<>();
      for (int c = 0; c < 95; c++) {
        expectedRows.add(c);
      }
      assertEquals(expectedRows, seen, "all rows, in clustering order, across pages");
      // Manual paging with the paging state round trip.
      ResultSet first = session.execute(SimpleStatement.newInstance(
          "SELECT c FROM " + keyspace + ".events WHERE p = 1").setPageSize(50));
      assertEquals(50, first.getAvailableWithoutFetching());
      ResultSet second = session.execute(SimpleStatement.newInstance("SELECT c FROM " + keyspace + ".events WHERE p = 1")
          .setPageSize(50).setPagingState(first.getExecutionInfo().getPagingState()));
      assertEquals(45, second.getAvailableWithoutFetching());
      assertEquals(50, second.one().getInt(0));
      assertNull(second.getExecutionInfo().getPagingState(), "last page");
      session.execute("DROP KEYSPACE " + keyspace);
    }
  }

  @Test
  void driverStartingAboveV5DowngradesCleanly() {
    List<ProtocolVersion> downgradedFrom = new CopyOnWriteArrayList<>();
    Sessions.Captured<CqlSession> c = Sessions.captureStdErr(() ->
        Sessions.configure(new StartAboveV5Builder(downgradedFrom), node.address(), b -> b).build());
    try (CqlSession session = c.value()) {
      assertTrue(downgradedFrom.contains(DefaultProtocolVersion.V6),
          "the driver proposed V6 first and was refused; downgrades: " + downgradedFrom);
      assertEquals(DefaultProtocolVersion.V5, session.getContext().getProtocolVersion());
      session.execute("CREATE KEYSPACE IF NOT EXISTS neg_v6 WITH replication = "
          + "{'class': 'SimpleStrategy', 'replication_factor': 1}");
      session.execute("CREATE TABLE IF NOT EXISTS neg_v6.kv (k int PRIMARY KEY, v int)");
      session.execute(session.prepare("INSERT INTO neg_v6.kv (k, v) VALUES (?, ?)").bind(1, 2));
      assertEquals(2, session.execute("SELECT v FROM neg_v6.kv WHERE k = 1").one().getInt(0));
    }
    assertNoDriverComplaints(c.err());
  }

  @Test
  void forcingAnUnsupportedVersionFailsWithTheServersRefusal() {
    AllNodesFailedException e = assertThrows(AllNodesFailedException.class,
        () -> node.session(cfg -> cfg.withString(DefaultDriverOption.PROTOCOL_VERSION, "V6")).close());
    Throwable cause = e.getAllErrors().values().iterator().next().get(0);
    assertTrue(cause instanceof UnsupportedProtocolVersionException, "cause: " + cause);
    // The node keeps serving.
    try (CqlSession session = node.session()) {
      assertFalse(session.execute("SELECT key FROM system.local").all().isEmpty());
    }
  }

  private static void assertNoDriverComplaints(String err) {
    assertFalse(err.contains("WARN") || err.contains("ERROR"), "driver logged warnings or errors:\n" + err);
  }

  /** A session builder whose driver starts negotiation at V6 (a version newer than the server's). */
  private static final class StartAboveV5Builder extends CqlSessionBuilder {
    private final List<ProtocolVersion> downgradedFrom;

    StartAboveV5Builder(List<ProtocolVersion> downgradedFrom) {
      this.downgradedFrom = downgradedFrom;
    }

    @Override
    protected DriverContext buildContext(DriverConfigLoader configLoader, ProgrammaticArguments arguments) {
      List<ProtocolVersion> log = downgradedFrom;
      return new DefaultDriverContext(configLoader, arguments) {
        @Override
        protected ProtocolVersionRegistry buildProtocolVersionRegistry() {
          return new DefaultProtocolVersionRegistry(getSessionName()) {
            @Override
            public ProtocolVersion highestNonBeta() {
              return DefaultProtocolVersion.V6;
            }

            @Override
            public Optional<ProtocolVersion> downgrade(ProtocolVersion version) {
              log.add(version);
              return super.downgrade(version);
            }
          };
        }
      };
    }
  }
}
