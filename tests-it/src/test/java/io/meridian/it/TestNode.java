package io.meridian.it;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.ProgrammaticDriverConfigLoaderBuilder;
import io.meridian.server.MeridianNode;
import io.meridian.server.ServerConfig;
import io.meridian.server.ServerConfigKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A Meridian node started in this JVM on 127.0.0.1 and a free port, with its data in a temporary
 * folder that {@link #close()} deletes. Integration tests talk to it through real drivers.
 */
public final class TestNode implements AutoCloseable {
  private final Path dataDir;
  private final Map<String, String> settings;
  private MeridianNode node;

  private TestNode(Path dataDir, Map<String, String> settings) {
    this.dataDir = dataDir;
    this.settings = settings;
  }

  public static TestNode start() {
    return start(Map.of());
  }

  /** Starts a node with extra settings (keys from ServerConfigKeys, e.g. "storage.commit-policy"). */
  public static TestNode start(Map<String, String> extra) {
    try {
      Path dir = Files.createTempDirectory("meridian-it-");
      Map<String, String> settings = new LinkedHashMap<>();
      settings.put(ServerConfigKeys.LISTEN_ADDRESS.key(), "127.0.0.1");
      settings.put(ServerConfigKeys.PORT.key(), "0");
      settings.put(ServerConfigKeys.DATA_DIR.key(), dir.toString());
      settings.put(ServerConfigKeys.BLOCK_CACHE_BYTES.key(), String.valueOf(16 * 1024 * 1024));
      settings.put(ServerConfigKeys.TABLETS_PER_TABLE.key(), "4");
      settings.putAll(extra);
      TestNode n = new TestNode(dir, settings);
      n.node = MeridianNode.start(ServerConfig.load(null, Map.of(), settings));
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Stops the node and starts it again on the same data folder and the same port, so that open
   * driver sessions reconnect to it.
   */
  public void restart() {
    settings.put(ServerConfigKeys.PORT.key(), String.valueOf(node.port()));
    node.close();
    node = MeridianNode.start(ServerConfig.load(null, Map.of(), settings));
  }

  public int port() {
    return node.port();
  }

  public Path dataDir() {
    return dataDir;
  }

  public InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", port());
  }

  /** A driver session with sensible test timeouts; {@code config} may add options. */
  public CqlSession session(UnaryOperator<ProgrammaticDriverConfigLoaderBuilder> config) {
    ProgrammaticDriverConfigLoaderBuilder loader = DriverConfigLoader.programmaticBuilder()
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(20))
        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
        .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(20))
        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(20));
    CqlSessionBuilder builder = CqlSession.builder()
        .addContactPoint(address())
        .withLocalDatacenter("datacenter1")
        .withConfigLoader(config.apply(loader).build());
    return builder.build();
  }

  public CqlSession session() {
    return session(b -> b);
  }

  @Override
  public void close() {
    if (node != null) {
      node.close();
    }
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
