package io.meridian.chaos.run;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.servererrors.ReadTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.WriteType;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * An in-memory stand-in for a cluster and its driver, to run {@link ChaosRun} end to end without
 * one. Correct by default: every operation is atomic under one lock. While a node is faulty some
 * operations time out, having been applied or not. Bugs can be switched on to check that the run
 * notices them.
 */
class SimulatedSystem implements ClusterLauncher, RegisterClient {
    enum Bug { NONE, LOSE_LAST_INSERT_ON_KILL, STALE_READS_WHILE_PAUSED }

    private final int nodes;
    private final Bug bug;
    private final SplittableRandom random;
    private final Map<String, Long> registers = new HashMap<>();
    private final Map<String, Set<Long>> sets = new HashMap<>();
    private final boolean[] faulty;
    private Map<String, Long> pausedSnapshot;
    private String lastInsertSet;
    private Long lastInsert;
    private final List<String> log = new ArrayList<>();

    SimulatedSystem(int nodes, Bug bug, long seed) {
        this.nodes = nodes;
        this.bug = bug;
        this.random = new SplittableRandom(seed);
        this.faulty = new boolean[nodes];
    }

    synchronized List<String> log() {
        return List.copyOf(log);
    }

    synchronized boolean anyFaulty() {
        for (boolean f : faulty) {
            if (f) {
                return true;
            }
        }
        return false;
    }

    // --- the cluster -------------------------------------------------------------------------

    @Override
    public int size() {
        return nodes;
    }

    @Override
    public synchronized void start(int node) {
        log.add("start " + node);
        faulty[node] = false;
    }

    @Override
    public synchronized void kill(int node) {
        log.add("kill " + node);
        faulty[node] = true;
        if (bug == Bug.LOSE_LAST_INSERT_ON_KILL && lastInsert != null) {
            sets.get(lastInsertSet).remove(lastInsert);
            lastInsert = null;
        }
    }

    @Override
    public synchronized void pause(int node) {
        log.add("pause " + node);
        faulty[node] = true;
        pausedSnapshot = new HashMap<>(registers);
    }

    @Override
    public synchronized void resume(int node) {
        log.add("resume " + node);
        faulty[node] = false;
        pausedSnapshot = null;
    }

    @Override
    public synchronized void partition(int node) {
        log.add("partition " + node);
        faulty[node] = true;
    }

    @Override
    public synchronized void heal() {
        log.add("heal");
        for (int i = 0; i < nodes; i++) {
            faulty[i] = false;
        }
    }

    @Override
    public boolean supportsPartition() {
        return true;
    }

    @Override
    public boolean supportsProcessFaults() {
        return true;
    }

    @Override
    public List<InetSocketAddress> contactPoints() {
        return List.of();
    }

    // --- the client --------------------------------------------------------------------------

    /** Time outside the lock, so that operations of different clients overlap. */
    private static void travel() {
        LockSupport.parkNanos(20_000 + (long) (Math.random() * 100_000));
    }

    /** While a node is faulty, a fifth of the writes time out: half of them applied anyway. */
    private synchronized int timeoutRoll() {
        if (!anyFaulty() || random.nextInt(5) > 0) {
            return 0;
        }
        return random.nextBoolean() ? 1 : 2;
    }

    private static WriteTimeoutException writeTimeout() {
        return new WriteTimeoutException(null, ConsistencyLevel.SERIAL, 1, 2, WriteType.CAS);
    }

    @Override
    public Long read(String key) {
        travel();
        Long v;
        synchronized (this) {
            if (anyFaulty() && random.nextInt(5) == 0) {
                throw new ReadTimeoutException(null, ConsistencyLevel.SERIAL, 1, 2, false);
            }
            v = bug == Bug.STALE_READS_WHILE_PAUSED && pausedSnapshot != null
                ? pausedSnapshot.get(key) : registers.get(key);
        }
        travel();
        return v;
    }

    @Override
    public boolean write(String key, long value) {
        travel();
        int timeout = timeoutRoll();
        boolean applied;
        synchronized (this) {
            applied = timeout != 2 && registers.containsKey(key);
            if (applied) {
                registers.put(key, value);
            }
        }
        travel();
        if (timeout > 0) {
            throw writeTimeout();
        }
        return applied;
    }

    @Override
    public CasResult cas(String key, Long expected, long value) {
        travel();
        int timeout = timeoutRoll();
        CasResult r;
        synchronized (this) {
            Long current = registers.get(key);
            boolean matches = Objects.equals(current, expected);
            if (matches && timeout != 2) {
                registers.put(key, value);
            }
            r = new CasResult(matches, matches ? Long.valueOf(value) : current);
        }
        travel();
        if (timeout > 0) {
            throw writeTimeout();
        }
        return r;
    }

    @Override
    public void insert(String set, long value) {
        travel();
        int timeout = timeoutRoll();
        synchronized (this) {
            if (timeout != 2) {
                sets.computeIfAbsent(set, k -> new LinkedHashSet<>()).add(value);
                lastInsertSet = set;
                lastInsert = timeout == 0 ? value : null;
            }
        }
        travel();
        if (timeout > 0) {
            throw new WriteTimeoutException(null, ConsistencyLevel.QUORUM, 1, 2, WriteType.SIMPLE);
        }
    }

    @Override
    public synchronized List<Long> readSet(String set) {
        return new ArrayList<>(sets.getOrDefault(set, Set.of()));
    }

    @Override
    public void close() {
    }
}
