package io.meridian.chaos.run;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The settings of a chaos run, from the command line. */
public record ChaosOptions(Path meridianHome, Path workDir, int nodes, int basePort, String javaOpts,
                           List<InetSocketAddress> contactPoints, int clients, int registers, int sets,
                           Duration duration, List<FaultKind> nemesis, Duration quiet, Duration hold,
                           Duration settle, long seed, boolean plainWrites, RegisterReads registerReads,
                           Duration checkBudgetPerKey,
                           Duration requestTimeout, Duration startTimeout, Duration errorBackoff, Path checkOnly) {

    public static final String USAGE = """
        usage: ChaosRun [options]
          --meridian-home DIR   directory with bin/meridian (default: .)
          --work-dir DIR        node data, logs and history.txt (default: target/chaos-<time>)
          --nodes N             cluster size (default 3)
          --base-port P         CQL port of node 0, node i uses P+i on 127.0.0.(i+1), or on 10.213.0.(i+1)
                                in its own network namespace when partitions are injected (default 19042)
          --java-opts OPTS      MERIDIAN_JAVA_OPTS for each node (default "-Xms256m -Xmx768m")
          --contact-points H:P,...  use a running cluster instead of starting one (needs --nemesis none)
          --clients K           concurrent clients (default 6)
          --registers R         compare-and-set registers (default 3)
          --sets S              unique-insert sets (default 2)
          --duration-s D        length of the workload (default 60)
          --nemesis LIST        kill,pause,partition or none (default kill,pause); partition needs root
          --quiet-s Q           time between faults (default 5)
          --hold-s H            time a fault is held (default 5)
          --settle-s S          wait after healing before the final reads (default 5)
          --seed N              seed for the workload and the nemesis (default: time)
          --plain-writes        register writes as plain UPDATEs instead of LWTs
          --register-reads C    consistency of register reads: serial, quorum, or mixed (every
                                other read of each client at QUORUM) (default serial)
          --request-timeout-s T driver request timeout (default 5)
          --start-timeout-s T   time a node may take to listen (default 60)
          --check-budget-s B    linearizability time budget per register (default 30)
          --error-backoff-ms M  a client's pause after an error (default 100)
          --check FILE          only check a stored history file, start nothing
        exit status: 0 valid, 1 anomaly found, 2 unknown or incomplete, 64 bad usage""";

    public static ChaosOptions parse(String... args) {
        Path home = Path.of(".");
        Path work = null;
        int nodes = 3;
        int basePort = 19042;
        String javaOpts = "-Xms256m -Xmx768m";
        List<InetSocketAddress> contactPoints = List.of();
        int clients = 6;
        int registers = 3;
        int sets = 2;
        Duration duration = Duration.ofSeconds(60);
        List<FaultKind> nemesis = List.of(FaultKind.KILL, FaultKind.PAUSE);
        Duration quiet = Duration.ofSeconds(5);
        Duration hold = Duration.ofSeconds(5);
        Duration settle = Duration.ofSeconds(5);
        long seed = System.currentTimeMillis();
        boolean plainWrites = false;
        RegisterReads registerReads = RegisterReads.SERIAL;
        Duration budget = Duration.ofSeconds(30);
        Duration requestTimeout = Duration.ofSeconds(5);
        Duration startTimeout = Duration.ofSeconds(60);
        Duration errorBackoff = Duration.ofMillis(100);
        Path checkOnly = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--plain-writes")) {
                plainWrites = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + a);
            }
            String v = args[++i];
            switch (a) {
                case "--meridian-home" -> home = Path.of(v);
                case "--work-dir" -> work = Path.of(v);
                case "--nodes" -> nodes = positive(a, v);
                case "--base-port" -> basePort = positive(a, v);
                case "--java-opts" -> javaOpts = v;
                case "--contact-points" -> contactPoints = addresses(v);
                case "--clients" -> clients = positive(a, v);
                case "--registers" -> registers = nonNegative(a, v);
                case "--sets" -> sets = nonNegative(a, v);
                case "--duration-s" -> duration = Duration.ofSeconds(positive(a, v));
                case "--nemesis" -> nemesis = faults(v);
                case "--quiet-s" -> quiet = Duration.ofSeconds(nonNegative(a, v));
                case "--hold-s" -> hold = Duration.ofSeconds(nonNegative(a, v));
                case "--settle-s" -> settle = Duration.ofSeconds(nonNegative(a, v));
                case "--seed" -> seed = Long.parseLong(v);
                case "--register-reads" -> registerReads = RegisterReads.parse(v);
                case "--request-timeout-s" -> requestTimeout = Duration.ofSeconds(positive(a, v));
                case "--start-timeout-s" -> startTimeout = Duration.ofSeconds(positive(a, v));
                case "--check-budget-s" -> budget = Duration.ofSeconds(positive(a, v));
                case "--error-backoff-ms" -> errorBackoff = Duration.ofMillis(nonNegative(a, v));
                case "--check" -> checkOnly = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (!contactPoints.isEmpty() && !nemesis.isEmpty()) {
            throw new IllegalArgumentException("--contact-points: a cluster not started here cannot be faulted; "
                + "add --nemesis none");
        }
        if (registers + sets == 0) {
            throw new IllegalArgumentException("nothing to do: no registers and no sets");
        }
        if (work == null) {
            work = Path.of("target", "chaos-" + System.currentTimeMillis());
        }
        return new ChaosOptions(home, work, nodes, basePort, javaOpts, contactPoints, clients, registers, sets,
            duration, nemesis, quiet, hold, settle, seed, plainWrites, registerReads, budget, requestTimeout, startTimeout,
            errorBackoff, checkOnly);
    }

    public Workload workload() {
        return Workload.standard(registers, sets);
    }

    private static int positive(String option, String v) {
        int n = Integer.parseInt(v);
        if (n <= 0) {
            throw new IllegalArgumentException(option + " must be positive, got " + v);
        }
        return n;
    }

    private static int nonNegative(String option, String v) {
        int n = Integer.parseInt(v);
        if (n < 0) {
            throw new IllegalArgumentException(option + " must not be negative, got " + v);
        }
        return n;
    }

    private static List<FaultKind> faults(String v) {
        if (v.equals("none")) {
            return List.of();
        }
        List<FaultKind> out = new ArrayList<>();
        for (String part : v.split(",")) {
            out.add(FaultKind.valueOf(part.trim().toUpperCase(Locale.ROOT)));
        }
        return out;
    }

    private static List<InetSocketAddress> addresses(String v) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String part : v.split(",")) {
            int colon = part.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("contact point must be host:port, got " + part);
            }
            out.add(new InetSocketAddress(part.substring(0, colon), Integer.parseInt(part.substring(colon + 1))));
        }
        return out;
    }
}
