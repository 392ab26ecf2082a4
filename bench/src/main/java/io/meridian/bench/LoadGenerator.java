package io.meridian.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.ProgrammaticDriverConfigLoaderBuilder;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.internal.core.loadbalancing.DcInferringLoadBalancingPolicy;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * CQL load generator: creates keyspace {@code bench} and the workload's tables, preloads data if
 * the workload reads, then runs a warm-up and a measured window with bounded in-flight async
 * requests and prints throughput and latency percentiles. See docs/benchmarks.md.
 */
public final class LoadGenerator {

  static final String KEYSPACE = "bench";
  static final Duration SCHEMA_TIMEOUT = Duration.ofSeconds(60);

  private LoadGenerator() {}

  public static void main(String[] args) {
    // The driver logs a lot at INFO; keep the console for results unless the caller chose a level.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    BenchConfig config;
    try {
      config = BenchConfig.parse(args);
      requireLoopback(config.host());
    } catch (BenchConfig.UsageException e) {
      System.out.println(e.getMessage());
      return;
    } catch (IllegalArgumentException | UnknownHostException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      System.exit(run(config, System.out));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.err.println("interrupted");
      System.exit(130);
    } catch (Exception e) {
      System.err.println("error: " + e);
      e.printStackTrace(System.err);
      System.exit(1);
    }
  }

  /** Returns the process exit code: 0 on a clean run, 3 if any measured request failed. */
  static int run(BenchConfig config, PrintStream out) throws Exception {
    Payloads payloads = new Payloads(config.seed());
    Workload workload = switch (config.workload()) {
      case INSERT -> KeyValueWorkload.insertOnly(config.keys(), payloads);
      case READ -> KeyValueWorkload.readOnly(config.keys(), payloads);
      case MIXED -> KeyValueWorkload.mixed(config.keys(), payloads);
      case LWT -> KeyValueWorkload.lightweightTransactions(config.keys(), payloads);
      case INDEXED -> KeyValueWorkload.indexedReads(config.keys(), payloads, false);
      case INDEXED_RANGE -> KeyValueWorkload.indexedReads(config.keys(), payloads, true);
      case TIMESERIES -> new TimeSeriesWorkload(config.sensors(), config.sensorRowsPreload(),
          config.readLimitRows());
    };
    if (config.tableOptions() != null) {
      if (!(workload instanceof KeyValueWorkload kv)) {
        throw new IllegalArgumentException("--table-options applies to the kv workloads only");
      }
      kv.withTableOptions(config.tableOptions());
    }

    try (CqlSession session = connect(config)) {
      out.printf("connected to %s:%d (%s), protocol %s%n", config.host(), config.port(),
          config.label(), session.getContext().getProtocolVersion());
      createSchema(session, workload, config.resetTables(), config.replicationFactor());
      workload.prepare(session);
      LoadRunner runner = new LoadRunner(session, workload, config, out);
      runner.preload();
      LoadRunner.Result result = runner.run();
      Report report = new Report(config, result);
      report.print(out);
      if (config.report() != null) {
        report.write(config.report());
        out.println("report written to " + config.report());
      }
      return result.measured().errorTotal() > 0 ? 3 : 0;
    }
  }

  /**
   * This tool is meant for a server on the same machine; refusing anything else prevents an
   * accidental load test of a shared host.
   */
  static void requireLoopback(String host) throws UnknownHostException {
    for (InetAddress address : InetAddress.getAllByName(host)) {
      if (!address.isLoopbackAddress()) {
        throw new IllegalArgumentException("--host " + host + " resolves to " + address
            + ", which is not a loopback address; only local servers are supported");
      }
    }
  }

  static CqlSession connect(BenchConfig config) {
    ProgrammaticDriverConfigLoaderBuilder driver = DriverConfigLoader.programmaticBuilder()
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT,
            Duration.ofMillis(config.requestTimeoutMs()))
        .withString(DefaultDriverOption.REQUEST_CONSISTENCY, config.consistency().name())
        .withInt(DefaultDriverOption.CONNECTION_POOL_LOCAL_SIZE, config.connections())
        .withInt(DefaultDriverOption.CONNECTION_POOL_REMOTE_SIZE, config.connections())
        // Never let the driver's own per-connection cap become the hidden limit.
        .withInt(DefaultDriverOption.CONNECTION_MAX_REQUESTS,
            Math.max(1024, Math.min(32_768, config.concurrency())))
        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, Duration.ofSeconds(10))
        .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, SCHEMA_TIMEOUT)
        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, SCHEMA_TIMEOUT);
    if (config.localDatacenter() == null) {
      driver = driver.withClass(DefaultDriverOption.LOAD_BALANCING_POLICY_CLASS,
          DcInferringLoadBalancingPolicy.class);
    }
    CqlSessionBuilder builder = CqlSession.builder()
        .addContactPoint(new InetSocketAddress(config.host(), config.port()))
        .withConfigLoader(driver.build());
    if (config.localDatacenter() != null) {
      builder = builder.withLocalDatacenter(config.localDatacenter());
    }
    return builder.build();
  }

  static void createSchema(CqlSession session, Workload workload, boolean reset, int replicationFactor) {
    ddl(session, "CREATE KEYSPACE IF NOT EXISTS " + KEYSPACE
        + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': " + replicationFactor + "}");
    if (reset) {
      for (String table : workload.tableNames()) {
        ddl(session, "DROP TABLE IF EXISTS " + table);
      }
    }
    for (String cql : workload.createTablesCql()) {
      ddl(session, cql);
    }
  }

  private static void ddl(CqlSession session, String cql) {
    session.execute(SimpleStatement.newInstance(cql).setTimeout(SCHEMA_TIMEOUT));
  }
}
