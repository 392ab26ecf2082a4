package io.meridian.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command-line entry point: bin/meridian [--config FILE] [--data-dir DIR] [--listen ADDR] [--port N]
 * [--seeds ADDR[,ADDR...]] [--raft-port N] starts a node; bin/meridian decommission ... removes one
 * from a running cluster (see {@link #DECOMMISSION_USAGE}).
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
      "  --set KEY=VALUE  any other setting, e.g. --set storage.commit-policy=periodic",
      "       meridian decommission --seeds HOST:PORT[,...] --node HOST:PORT [...]   (see: decommission --help)",
      "       meridian removenode --seeds HOST:PORT[,...] --node HOST:PORT [...]     (see: removenode --help)");

  static final String DECOMMISSION_USAGE = String.join("\n",
      "usage: meridian decommission|removenode --seeds HOST:PORT[,HOST:PORT...] --node HOST:PORT",
      "                             [--config FILE] [--cluster-name NAME] [--timeout-s N] [--force]",
      "  decommission: moves every tablet replica off a running member and removes it from the",
      "    cluster; waits until it has left (then its process can be stopped).",
      "  removenode: removes a member that is gone for good (refused while it answers): its",
      "    replicas are rebuilt on the other members from each tablet's surviving replicas.",
      "  --seeds LIST        Raft addresses of members to reach the cluster through",
      "  --node HOST:PORT    Raft address of the member to remove",
      "  --cluster-name NAME server.cluster-name of the cluster (default: from the config file)",
      "  --config FILE       YAML configuration to read the cluster name from (default conf/meridian.yaml)",
      "  --timeout-s N       stop waiting after N seconds (default 3600); the moves go on",
      "  --force             allow leaving fewer members than a table's replication factor",
      "                      (its tablets then keep fewer replicas)");

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && (args[0].equals("decommission") || args[0].equals("removenode"))) {
      System.exit(removeMember(args[0], java.util.Arrays.copyOfRange(args, 1, args.length)));
      return;
    }
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

  /**
   * Runs {@code meridian decommission} or {@code meridian removenode}; returns the exit status
   * (0 done, 1 failed, 2 bad arguments).
   */
  static int removeMember(String command, String[] args) {
    String seeds = null;
    String node = null;
    String clusterName = null;
    Path configFile = null;
    long timeoutS = 3600;
    boolean force = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        System.out.println(DECOMMISSION_USAGE);
        return 0;
      }
      if (arg.equals("--force")) {
        force = true;
        continue;
      }
      if (i + 1 >= args.length) {
        return usageError(arg + " needs a value");
      }
      String value = args[++i];
      switch (arg) {
        case "--seeds" -> seeds = value;
        case "--node" -> node = value;
        case "--cluster-name" -> clusterName = value;
        case "--config" -> configFile = Path.of(value);
        case "--timeout-s" -> {
          try {
            timeoutS = Long.parseLong(value);
          } catch (NumberFormatException e) {
            return usageError("--timeout-s takes a number of seconds, got '" + value + "'");
          }
        }
        default -> {
          return usageError("unknown argument '" + arg + "'");
        }
      }
    }
    if (seeds == null || node == null) {
      return usageError(command + " needs --seeds and --node");
    }
    if (clusterName == null) {
      if (configFile == null && Files.exists(Path.of("conf/meridian.yaml"))) {
        configFile = Path.of("conf/meridian.yaml");
      }
      try {
        clusterName = ServerConfig.load(configFile, System.getenv(), Map.of()).get(ServerConfigKeys.CLUSTER_NAME);
      } catch (IllegalArgumentException e) {
        return usageError(e.getMessage());
      }
    }
    List<String> seedList = java.util.Arrays.stream(seeds.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    try (io.meridian.cluster.ClusterAdmin admin = new io.meridian.cluster.ClusterAdmin(clusterName, seedList)) {
      if (command.equals("removenode")) {
        admin.removeDeadNode(node, force, timeoutS * 1000, System.out);
      } else {
        admin.decommission(node, force, timeoutS * 1000, System.out);
      }
      return 0;
    } catch (RuntimeException e) {
      System.err.println("meridian " + command + ": " + e.getMessage());
      return 1;
    }
  }

  private static int usageError(String message) {
    System.err.println("meridian: " + message);
    System.err.println(DECOMMISSION_USAGE);
    return 2;
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
