package io.meridian.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command-line entry point: bin/meridian [--config FILE] [--data-dir DIR] [--listen ADDR] [--port N]
 * [--seeds ADDR[,ADDR...]] [--raft-port N].
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private static final String USAGE = String.join("\n",
      "usage: meridian [--config FILE] [--data-dir DIR] [--listen ADDR] [--port N]",
      "                [--seeds HOST:PORT[,HOST:PORT...]] [--raft-port N] [--set KEY=VALUE]...",
      "  --config FILE    YAML configuration (default: conf/meridian.yaml if present)",
      "  --data-dir DIR   where data lives (storage.data-dir, default ./data)",
      "  --listen ADDR    CQL listen address (server.listen-address, default 127.0.0.1)",
      "  --port N         CQL port (server.port, default 9042)",
      "  --seeds LIST     join or found a cluster through these Raft addresses (cluster.seeds);",
      "                   without it the node runs alone, unreplicated",
      "  --raft-port N    inter-node Raft port on the listen address (cluster.raft-port, default 7000)",
      "  --set KEY=VALUE  any other setting, e.g. --set storage.commit-policy=periodic");

  private Main() {}

  public static void main(String[] args) throws Exception {
    Path configFile = null;
    Map<String, String> overrides = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--help", "-h" -> {
          System.out.println(USAGE);
          return;
        }
        case "--config" -> configFile = Path.of(value(args, ++i, arg));
        case "--data-dir" -> overrides.put(ServerConfigKeys.DATA_DIR.key(), value(args, ++i, arg));
        case "--listen" -> overrides.put(ServerConfigKeys.LISTEN_ADDRESS.key(), value(args, ++i, arg));
        case "--port" -> overrides.put(ServerConfigKeys.PORT.key(), value(args, ++i, arg));
        case "--seeds" -> overrides.put(ServerConfigKeys.SEEDS.key(), value(args, ++i, arg));
        case "--raft-port" -> overrides.put(ServerConfigKeys.RAFT_PORT.key(), value(args, ++i, arg));
        case "--set" -> {
          String kv = value(args, ++i, arg);
          int eq = kv.indexOf('=');
          if (eq <= 0) {
            fail("--set takes KEY=VALUE, got '" + kv + "'");
          }
          overrides.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        default -> fail("unknown argument '" + arg + "'");
      }
    }
    if (configFile == null && Files.exists(Path.of("conf/meridian.yaml"))) {
      configFile = Path.of("conf/meridian.yaml");
    }
    ServerConfig config;
    try {
      config = ServerConfig.load(configFile, System.getenv(), overrides);
    } catch (IllegalArgumentException e) {
      fail(e.getMessage());
      return;
    }
    config.logEffective();
    MeridianNode node;
    try {
      node = MeridianNode.start(config);
    } catch (RuntimeException e) {
      LOG.error("Meridian node failed to start", e);
      System.err.println("meridian: cannot start: " + e.getMessage());
      // Exit explicitly: a half-started component must not keep the JVM alive.
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("Shutting down");
      node.close();
      stopped.countDown();
    }, "meridian-shutdown"));
    LOG.info("Meridian is ready for CQL clients on {}:{}", config.get(ServerConfigKeys.LISTEN_ADDRESS), node.port());
    stopped.await();
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      fail(flag + " needs a value");
    }
    return args[i];
  }

  private static void fail(String message) {
    System.err.println("meridian: " + message);
    System.err.println(USAGE);
    System.exit(2);
  }
}
