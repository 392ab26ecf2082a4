package io.meridian.it.cluster;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.meridian.server.MeridianNode;
import io.meridian.server.ServerConfig;
import io.meridian.server.ServerConfigKeys;
import io.meridian.testsupport.Await;
import io.meridian.testsupport.RaftPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * N Meridian nodes in this JVM forming a cluster on loopback: node i listens on 127.0.0.(i+1)
 * (CQL on a free port, Raft on another), with its own data folder; node 0 is the seed. A node can
 * be stopped and started again on the same addresses and data.
 */
final class TestCluster implements AutoCloseable {
  private final Path root;
  private final List<Member> members = new ArrayList<>();
  /** Settings every node gets on top of the defaults below. */
  private final Map<String, String> extraSettings;

  final class Member {
    final int index;
    final String host;
    final int cqlPort;
    final int raftPort;
    MeridianNode node;

    Member(int index) throws IOException {
      this.index = index;
      this.host = "127.0.0." + (index + 1);
      this.cqlPort = RaftPorts.free(InetAddress.getByName(host));
      this.raftPort = RaftPorts.free(InetAddress.getByName(host));
    }

    void start() {
      Map<String, String> s = new LinkedHashMap<>();
      s.put(ServerConfigKeys.LISTEN_ADDRESS.key(), host);
      s.put(ServerConfigKeys.PORT.key(), String.valueOf(cqlPort));
      s.put(ServerConfigKeys.DATA_DIR.key(), root.resolve("node" + index).toString());
      s.put(ServerConfigKeys.BLOCK_CACHE_BYTES.key(), String.valueOf(16 * 1024 * 1024));
      s.put(ServerConfigKeys.TABLETS_PER_TABLE.key(), "4");
      s.put(ServerConfigKeys.SEEDS.key(), members.get(0).raftAddress());
      s.put(ServerConfigKeys.RAFT_PORT.key(), String.valueOf(raftPort));
      s.put(ServerConfigKeys.ELECTION_TIMEOUT_MS.key(), "300");
      s.putAll(extraSettings);
      node = MeridianNode.start(ServerConfig.load(null, Map.of(), s));
    }

    void stop() {
      node.close();
      node = null;
    }

    boolean running() {
      return node != null;
    }

    String raftAddress() {
      return host + ":" + raftPort;
    }

    InetSocketAddress cqlAddress() {
      return new InetSocketAddress(host, cqlPort);
    }
  }

  TestCluster(int size) {
    this(size, Map.of());
  }

  /** A cluster whose nodes also get {@code extraSettings} (server configuration keys). */
  TestCluster(int size, Map<String, String> extraSettings) {
    this.extraSettings = Map.copyOf(extraSettings);
    try {
      root = Files.createTempDirectory("meridian-cluster-it-");
      for (int i = 0; i < size; i++) {
        members.add(new Member(i));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts every node (the seed first, the others in parallel as real clusters do). */
  TestCluster start() {
    members.get(0).start();
    List<Thread> starts = new ArrayList<>();
    List<RuntimeException> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (Member m : members.subList(1, members.size())) {
      Thread t = new Thread(() -> {
        try {
          m.start();
        } catch (RuntimeException e) {
          failures.add(e);
        }
      });
      t.start();
      starts.add(t);
    }
    for (Thread t : starts) {
      try {
        t.join();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
    return this;
  }

  /** Starts one more node (on the next loopback address) that joins the running cluster through the seed. */
  Member addMember() {
    try {
      Member m = new Member(members.size());
      members.add(m);
      m.start();
      return m;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Member member(int i) {
    return members.get(i);
  }

  List<Member> members() {
    return members;
  }

  /** A driver session whose only contact point is {@code contact}; it discovers the others. */
  CqlSession session(int contact) {
    return CqlSession.builder()
        .addContactPoint(members.get(contact).cqlAddress())
        .withLocalDatacenter("datacenter1")
        .withConfigLoader(DriverConfigLoader.programmaticBuilder()
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(20))
            .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
            .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(20))
            .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(20))
            .withDuration(DefaultDriverOption.RECONNECTION_BASE_DELAY, Duration.ofMillis(200))
            .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, Duration.ofSeconds(1))
            .build())
        .build();
  }

  /** Polls {@code condition} until it holds, failing the test after a minute. */
  static void await(java.util.function.BooleanSupplier condition, String what) {
    Await.until(condition, what, java.time.Duration.ofMinutes(1));
  }

  @Override
  public void close() {
    for (Member m : members) {
      if (m.running()) {
        try {
          m.stop();
        } catch (RuntimeException e) {
          // keep closing the others
        }
      }
    }
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
