package io.meridian.chaos.run;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.meridian.chaos.check.LinearizabilityChecker;
import io.meridian.chaos.check.LostWriteChecker;
import io.meridian.chaos.fault.NamespaceNetwork;
import io.meridian.chaos.fault.NetworkFaults;
import io.meridian.chaos.history.History;
import io.meridian.chaos.history.HistoryFile;
import io.meridian.chaos.history.HistoryRecorder;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A fault-injection run: start a cluster, let concurrent clients read, compare-and-set and insert
 * while a nemesis kills, pauses or partitions one node at a time, heal, read everything back, and
 * check the recorded history for linearizability and lost writes. See docs/reliability.md.
 */
public final class ChaosRun {
    private static final int FINAL_READ_ATTEMPTS = 30;
    private static final Duration FINAL_READ_PAUSE = Duration.ofSeconds(1);
    private static final Duration JOIN_WAIT = Duration.ofMinutes(2);

    private final ClusterLauncher cluster;
    private final RegisterClient client;
    private final ChaosOptions options;
    private final LongSupplier nanoClock;
    private final PrintStream out;

    public ChaosRun(ClusterLauncher cluster, RegisterClient client, ChaosOptions options, LongSupplier nanoClock,
                    PrintStream out) {
        this.cluster = cluster;
        this.client = client;
        this.options = options;
        this.nanoClock = nanoClock;
        this.out = out;
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--help")) {
            System.out.println(ChaosOptions.USAGE);
            return;
        }
        ChaosOptions options;
        try {
            options = ChaosOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ChaosRun: " + e.getMessage());
            System.err.println(ChaosOptions.USAGE);
            System.exit(64);
            return;
        }
        int status;
        try {
            status = options.checkOnly() != null ? checkStored(options, System.out) : runOnCluster(options);
        } catch (Exception e) {
            e.printStackTrace();
            status = RunReport.EXIT_UNKNOWN;
        }
        System.exit(status);
    }

    /** Re-checks a history kept from an earlier run. */
    static int checkStored(ChaosOptions options, PrintStream out) throws IOException {
        History history = HistoryFile.read(options.checkOnly());
        RunReport report = check(history, options.checkOnly(), List.of(), false, 0, options);
        out.println(report.summary());
        return report.exitCode();
    }

    private static int runOnCluster(ChaosOptions options) throws Exception {
        if (!options.contactPoints().isEmpty()) {
            try (ClusterLauncher cluster = new StaticCluster(options.contactPoints())) {
                return runOn(cluster, options);
            }
        }
        ProcessClusterLauncher.Config config = new ProcessClusterLauncher.Config(
            options.meridianHome().toAbsolutePath(), options.workDir().toAbsolutePath(), options.nodes(),
            options.basePort(), options.javaOpts(), options.startTimeout(), node -> List.of());
        if (!options.nemesis().contains(FaultKind.PARTITION)) {
            try (ClusterLauncher cluster = new ProcessClusterLauncher(config, NetworkFaults.UNSUPPORTED)) {
                return runOn(cluster, options);
            }
        }
        // Partitions: every node in its own network namespace, links cut with tc (see NamespaceNetwork).
        NamespaceNetwork network = NamespaceNetwork.standard(options.nodes());
        try {
            network.setUp();
        } catch (NamespaceNetwork.NetworkSetupException e) {
            System.err.println("ChaosRun: cannot inject partitions here: " + e.getMessage()
                + "\nRun as root, or leave partition out (--nemesis kill,pause).");
            return 64;
        }
        // Namespaces outlive the JVM: remove them on Ctrl-C too (close is idempotent).
        Thread cleanup = new Thread(network::close, "netns-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        // Closed in reverse order: the nodes stop before their namespaces go.
        try (network; ClusterLauncher cluster = new ProcessClusterLauncher(config, network, network)) {
            return runOn(cluster, options);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs anyway
            }
        }
    }

    private static int runOn(ClusterLauncher cluster, ChaosOptions options) throws Exception {
        if (options.nemesis().contains(FaultKind.PARTITION) && !cluster.supportsPartition()) {
            System.err.println("ChaosRun: this cluster cannot be partitioned; use --nemesis kill,pause");
            return 64;
        }
        for (int i = 0; i < cluster.size(); i++) {
            cluster.start(i);
        }
        try (CqlSession session = openSession(cluster, options)) {
            String keyspace = "chaos_" + Long.toUnsignedString(options.seed(), 36).replace('-', '_');
            DriverRegisterClient.createSchema(session, keyspace, Math.min(3, cluster.size()));
            try (RegisterClient client = new DriverRegisterClient(session, keyspace, options.plainWrites(), options.registerReads(),
                    false)) {
                return new ChaosRun(cluster, client, options, System::nanoTime, System.out).execute().exitCode();
            }
        }
    }

    private static CqlSession openSession(ClusterLauncher cluster, ChaosOptions options) {
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, options.requestTimeout())
            .withString(DefaultDriverOption.REQUEST_CONSISTENCY, "QUORUM")
            .withString(DefaultDriverOption.REQUEST_SERIAL_CONSISTENCY, "SERIAL")
            // Come back quickly to a node that was killed or paused.
            .withDuration(DefaultDriverOption.RECONNECTION_BASE_DELAY, Duration.ofMillis(200))
            .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, Duration.ofSeconds(2))
            .build();
        return CqlSession.builder()
            .addContactPoints(cluster.contactPoints())
            .withLocalDatacenter("datacenter1")
            .withConfigLoader(config)
            .build();
    }

    /** Runs the workload and the nemesis, heals, reads back and checks. */
    public RunReport execute() throws IOException, InterruptedException {
        Path historyFile = options.workDir().resolve("history.txt");
        Workload workload = options.workload();
        out.printf("chaos run: seed %d, %d nodes, %d clients, %.1f s, nemesis %s, history %s%n", options.seed(),
            cluster.size(), options.clients(), options.duration().toMillis() / 1e3, options.nemesis(), historyFile);
        Nemesis nemesis = new Nemesis(cluster, options.nemesis(), options.quiet(), options.hold(),
            options.seed() ^ 0x6E656D65L, nanoClock);
        History history;
        int unread;
        try (HistoryRecorder recorder = new HistoryRecorder(historyFile)) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong values = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < options.clients(); p++) {
                ClientWorker worker = new ClientWorker(p, client, recorder, workload, values, stop, nanoClock,
                    options.seed() + p, options.errorBackoff());
                threads.add(start("client-" + p, worker));
            }
            Thread nemesisThread = start("nemesis", nemesis);
            Thread.sleep(options.duration().toMillis());

            // The nemesis recovers the fault in progress; then make sure nothing stays broken.
            nemesis.stop();
            join(nemesisThread);
            healEverything();
            stop.set(true);
            for (Thread t : threads) {
                join(t);
            }
            Thread.sleep(options.settle().toMillis());
            unread = new FinalReads(client, recorder, nanoClock, FINAL_READ_ATTEMPTS, FINAL_READ_PAUSE,
                options.clients()).readAll(workload);
            history = recorder.history();
        }
        RunReport report = check(history, historyFile, nemesis.events(), nemesis.failed(), unread, options);
        out.println(report.summary());
        return report;
    }

    private static RunReport check(History history, Path file, List<FaultEvent> faults, boolean nemesisFailed,
                                   int unread, ChaosOptions options) {
        LinearizabilityChecker linear = new LinearizabilityChecker(options.checkBudgetPerKey(), 4_000_000);
        return new RunReport(history, file, faults, nemesisFailed, unread, linear.check(history),
            new LostWriteChecker().check(history));
    }

    /** Heals partitions. Paused and killed nodes were already recovered by the nemesis, fault by fault. */
    private void healEverything() {
        if (cluster.supportsPartition()) {
            try {
                cluster.heal();
            } catch (Exception e) {
                out.println("heal failed: " + e);
            }
        }
    }

    private static Thread start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void join(Thread t) throws InterruptedException {
        t.join(JOIN_WAIT.toMillis());
        if (t.isAlive()) {
            throw new IllegalStateException(t.getName() + " did not stop within " + JOIN_WAIT.toSeconds() + " s");
        }
    }
}
