package io.meridian.chaos.run;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Injects one fault at a time on a seeded schedule: a quiet period, then a fault on a random node
 * held for a while, then its recovery. Only one node is ever faulty, so a cluster of three or more
 * must keep a majority: every fault injected is one the design claims to survive, and any anomaly
 * found is a real bug.
 */
public final class Nemesis implements Runnable {
    private final ClusterLauncher cluster;
    private final List<FaultKind> kinds;
    private final Duration quiet;
    private final Duration hold;
    private final SplittableRandom random;
    private final LongSupplier nanoClock;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<FaultEvent> events = new ArrayList<>();
    private volatile boolean failed;

    public Nemesis(ClusterLauncher cluster, List<FaultKind> kinds, Duration quiet, Duration hold, long seed,
                   LongSupplier nanoClock) {
        for (FaultKind k : kinds) {
            if (k == FaultKind.PARTITION && !cluster.supportsPartition()) {
                throw new IllegalArgumentException("this cluster cannot be partitioned; leave PARTITION out");
            }
            if (k != FaultKind.PARTITION && !cluster.supportsProcessFaults()) {
                throw new IllegalArgumentException("this cluster's processes are not ours; leave " + k + " out");
            }
        }
        this.cluster = cluster;
        this.kinds = List.copyOf(kinds);
        this.quiet = quiet;
        this.hold = hold;
        this.random = new SplittableRandom(seed);
        this.nanoClock = nanoClock;
    }

    @Override
    public void run() {
        if (kinds.isEmpty()) {
            return;
        }
        try {
            while (!failed && !stopped.await(quiet.toMillis(), TimeUnit.MILLISECONDS)) {
                FaultKind kind = kinds.get(random.nextInt(kinds.size()));
                int node = random.nextInt(cluster.size());
                injectAndRecover(kind, node);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks the nemesis to stop; a fault in progress is still recovered first. */
    public void stop() {
        stopped.countDown();
    }

    /** Whether an injection or a recovery failed (the nemesis stops at the first failure). */
    public boolean failed() {
        return failed;
    }

    public synchronized List<FaultEvent> events() {
        return List.copyOf(events);
    }

    private void injectAndRecover(FaultKind kind, int node) throws InterruptedException {
        Instant wall = Instant.now();
        long start = nanoClock.getAsLong();
        String error = null;
        try {
            inject(kind, node);
        } catch (Exception e) {
            error = "inject: " + e;
        }
        if (error == null) {
            // Held for the whole period even if a stop arrives: a fault cut short tests little.
            Thread.sleep(hold.toMillis());
        }
        try {
            recover(kind, node);
        } catch (Exception e) {
            error = (error == null ? "" : error + "; ") + "recover: " + e;
        }
        if (error != null) {
            failed = true;
        }
        synchronized (this) {
            events.add(new FaultEvent(kind, node, wall, start, nanoClock.getAsLong(), error));
        }
    }

    private void inject(FaultKind kind, int node) throws Exception {
        switch (kind) {
            case KILL -> cluster.kill(node);
            case PAUSE -> cluster.pause(node);
            case PARTITION -> cluster.partition(node);
        }
    }

    private void recover(FaultKind kind, int node) throws Exception {
        switch (kind) {
            case KILL -> cluster.start(node);
            case PAUSE -> cluster.resume(node);
            case PARTITION -> cluster.heal();
        }
    }
}
