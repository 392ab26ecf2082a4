package io.meridian.bench;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Command-line settings of one load-generator run. Every option has a default, so
 * {@code --workload insert} alone is a valid run against 127.0.0.1:9042.
 */
record BenchConfig(
    String host,
    int port,
    String localDatacenter,
    WorkloadKind workload,
    int durationS,
    int warmupS,
    int concurrency,
    long keys,
    int threads,
    int connections,
    DefaultConsistencyLevel consistency,
    long rateOpsPerSec,
    long seed,
    int requestTimeoutMs,
    int sensors,
    int sensorRowsPreload,
    int readLimitRows,
    int preloadTimeoutS,
    boolean resetTables,
    int replicationFactor,
    String label,
    Path report,
    String tableOptions) {

  static final int CONCURRENCY_MAX = 32_768;
  static final int THREADS_MAX = 256;
  static final int CONNECTIONS_MAX = 64;

  enum WorkloadKind {
    INSERT, READ, MIXED, TIMESERIES, LWT, INDEXED, INDEXED_RANGE;

    static WorkloadKind parse(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--workload: got '" + text
            + "', expected one of insert, read, mixed, timeseries, lwt, indexed, indexed-range");
      }
    }

    String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  static String usage() {
    return String.join("\n",
        "usage: java -jar meridian-bench.jar [options]",
        "  --host H               server address (default 127.0.0.1)",
        "  --port P               CQL native port (default 9042)",
        "  --dc NAME              local datacenter; default: inferred from the contact point",
        "  --workload W           insert | read | mixed | timeseries | lwt | indexed | indexed-range (default insert)",
        "  --duration-s S         measured seconds (default 30)",
        "  --warmup-s S           warm-up seconds, not recorded (default 10)",
        "  --concurrency C        max in-flight requests (default 64)",
        "  --keys K               key-space size for insert/read/mixed (default 100000)",
        "  --threads N            request-issuing threads (default 2)",
        "  --connections N        connections per node (default 1)",
        "  --consistency CL       e.g. LOCAL_ONE, ONE, QUORUM (default LOCAL_ONE)",
        "  --rate R               target ops/s in total; 0 = as fast as possible (default 0)",
        "  --seed S               random seed (default 42)",
        "  --timeout-ms T         per-request timeout (default 10000)",
        "  --sensors N            time-series sensors (default 1000)",
        "  --sensor-rows N        time-series rows preloaded per sensor (default 20)",
        "  --read-limit N         time-series rows fetched per read (default 10)",
        "  --preload-timeout-s S  give up if preload takes longer (default 600)",
        "  --reset                drop the workload's tables before creating them",
        "  --table-options O      appended as WITH O to the kv table's CREATE TABLE (e.g. Meridian's indexing option)",
        "  --rf N                 replication factor of the bench keyspace when it is created (default 1)",
        "  --label NAME           system name written to the report (default: host:port)",
        "  --report FILE          FILE.json: JSON summary; any other name: append a markdown row");
  }

  static BenchConfig parse(String[] args) {
    String host = "127.0.0.1";
    int port = 9042;
    String dc = null;
    WorkloadKind workload = WorkloadKind.INSERT;
    int durationS = 30;
    int warmupS = 10;
    int concurrency = 64;
    long keys = 100_000;
    int threads = 2;
    int connections = 1;
    DefaultConsistencyLevel consistency = DefaultConsistencyLevel.LOCAL_ONE;
    long rate = 0;
    long seed = 42;
    int timeoutMs = 10_000;
    int sensors = 1_000;
    int sensorRows = 20;
    int readLimit = 10;
    int preloadTimeoutS = 600;
    boolean reset = false;
    int rf = 1;
    String label = null;
    Path report = null;
    String tableOptions = null;

    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("--reset")) {
        reset = true;
        continue;
      }
      if (name.equals("--help") || name.equals("-h")) {
        throw new UsageException(usage());
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(name + ": missing value");
      }
      String value = args[++i];
      switch (name) {
        case "--host" -> host = value;
        case "--port" -> port = intIn(name, value, 1, 65_535);
        case "--dc" -> dc = value;
        case "--workload" -> workload = WorkloadKind.parse(value);
        case "--duration-s" -> durationS = intIn(name, value, 1, 86_400);
        case "--warmup-s" -> warmupS = intIn(name, value, 0, 86_400);
        case "--concurrency" -> concurrency = intIn(name, value, 1, CONCURRENCY_MAX);
        case "--keys" -> keys = longIn(name, value, 1, 1_000_000_000L);
        case "--threads" -> threads = intIn(name, value, 1, THREADS_MAX);
        case "--connections" -> connections = intIn(name, value, 1, CONNECTIONS_MAX);
        case "--consistency" -> consistency = consistencyOf(value);
        case "--rate" -> rate = longIn(name, value, 0, 10_000_000L);
        case "--seed" -> seed = longIn(name, value, Long.MIN_VALUE, Long.MAX_VALUE);
        case "--timeout-ms" -> timeoutMs = intIn(name, value, 1, 600_000);
        case "--sensors" -> sensors = intIn(name, value, 1, 10_000_000);
        case "--sensor-rows" -> sensorRows = intIn(name, value, 0, 1_000_000);
        case "--read-limit" -> readLimit = intIn(name, value, 1, 10_000);
        case "--preload-timeout-s" -> preloadTimeoutS = intIn(name, value, 1, 86_400);
        case "--rf" -> rf = intIn(name, value, 1, 16);
        case "--label" -> label = value;
        case "--report" -> report = Path.of(value);
        case "--table-options" -> tableOptions = value;
        default -> throw new IllegalArgumentException("unknown option " + name + "\n" + usage());
      }
    }
    if (label == null) {
      label = host + ":" + port;
    }
    return new BenchConfig(host, port, dc, workload, durationS, warmupS, concurrency, keys, threads,
        connections, consistency, rate, seed, timeoutMs, sensors, sensorRows, readLimit,
        preloadTimeoutS, reset, rf, label, report, tableOptions);
  }

  private static DefaultConsistencyLevel consistencyOf(String value) {
    try {
      return DefaultConsistencyLevel.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--consistency: got '" + value
          + "', expected a CQL consistency level such as LOCAL_ONE, ONE or QUORUM");
    }
  }

  private static int intIn(String name, String value, int min, int max) {
    return (int) longIn(name, value, min, max);
  }

  private static long longIn(String name, String value, long min, long max) {
    long parsed;
    try {
      parsed = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": got '" + value + "', expected an integer");
    }
    if (parsed < min || parsed > max) {
      throw new IllegalArgumentException(
          name + ": got " + parsed + ", expected a value in [" + min + ", " + max + "]");
    }
    return parsed;
  }

  /** Thrown for --help: not an error, the caller prints the text and exits 0. */
  static final class UsageException extends RuntimeException {
    UsageException(String text) {
      super(text);
    }
  }
}
