package io.meridian.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Statement;
import io.meridian.bench.Workload.Op;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives a {@link Workload} against a session with at most {@code concurrency} requests in
 * flight, enforced by one semaphore shared by all issuing threads; a permit is returned when the
 * driver completes the request, whatever the outcome.
 *
 * <p>Two pacing modes. Closed loop ({@code --rate 0}): issue as soon as a permit is free; latency
 * runs from just before the request is handed to the driver until its completion. Open loop
 * ({@code --rate R}): each request has an intended start time on a fixed schedule and latency is
 * measured from that intended time, so time spent waiting for a permit or behind a stalled server
 * is charged to the requests that were delayed (the coordinated-omission correction).
 */
final class LoadRunner {

  static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(5);
  static final long PERMIT_POLL_MS = 50;

  private final CqlSession session;
  private final Workload workload;
  private final BenchConfig config;
  private final PrintStream progress;
  private final Semaphore permits;
  private final LongAdder completed = new LongAdder();
  private final LongAdder failed = new LongAdder();

  /** Stats of the phase new requests belong to; null once issuing must stop. */
  private volatile OpStats currentPhase;

  LoadRunner(CqlSession session, Workload workload, BenchConfig config, PrintStream progress) {
    this.session = session;
    this.workload = workload;
    this.config = config;
    this.progress = progress;
    this.permits = new Semaphore(config.concurrency());
  }

  /** Writes the workload's preload rows as fast as the in-flight limit allows. */
  void preload() throws InterruptedException {
    long count = workload.preloadCount();
    if (count == 0) {
      return;
    }
    progress.printf("preload: %d rows into %s%n", count, workload.tableNames());
    long startNs = System.nanoTime();
    long deadlineNs = startNs + TimeUnit.SECONDS.toNanos(config.preloadTimeoutS());
    long nextProgressNs = startNs + PROGRESS_INTERVAL_NS;
    LongAdder failures = new LongAdder();
    AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    for (long i = 0; i < count; i++) {
      while (!permits.tryAcquire(PERMIT_POLL_MS, TimeUnit.MILLISECONDS)) {
        checkPreloadDeadline(deadlineNs, i, count);
      }
      long now = System.nanoTime();
      checkPreloadDeadline(deadlineNs, i, count);
      if (now >= nextProgressNs) {
        progress.printf("preload: %d/%d rows, %d failures%n", i, count, failures.sum());
        nextProgressNs = now + PROGRESS_INTERVAL_NS;
      }
      CompletionStage<AsyncResultSet> stage;
      try {
        stage = session.executeAsync(workload.preloadStatement(i));
      } catch (RuntimeException e) {
        permits.release();
        throw e;
      }
      stage.whenComplete((rs, error) -> {
        if (error != null) {
          failures.increment();
          firstFailure.compareAndSet(null, error);
        }
        permits.release();
      });
    }
    drain(TimeUnit.NANOSECONDS.toMillis(Math.max(0, deadlineNs - System.nanoTime())) + 1);
    if (failures.sum() > 0) {
      throw new IllegalStateException("preload: " + failures.sum() + " of " + count
          + " writes failed; first failure: " + firstFailure.get(), firstFailure.get());
    }
    double seconds = (System.nanoTime() - startNs) / 1e9;
    progress.printf("preload: done, %d rows in %.1f s (%.0f rows/s)%n",
        count, seconds, count / seconds);
  }

  private void checkPreloadDeadline(long deadlineNs, long done, long count) {
    if (System.nanoTime() > deadlineNs) {
      throw new IllegalStateException("preload: only " + done + " of " + count
          + " rows written within --preload-timeout-s " + config.preloadTimeoutS());
    }
  }

  /** Warm-up, then the measured window. Returns once every issued request has completed. */
  Result run() throws InterruptedException {
    OpStats warmup = new OpStats();
    OpStats measured = new OpStats();
    long originNs = System.nanoTime();
    currentPhase = config.warmupS() > 0 ? warmup : measured;

    List<Thread> issuers = new ArrayList<>(config.threads());
    for (int t = 0; t < config.threads(); t++) {
      int index = t;
      Thread thread = new Thread(() -> issueLoop(index, originNs), "bench-issuer-" + t);
      thread.setDaemon(true);
      issuers.add(thread);
      thread.start();
    }

    long measuredStartNs = originNs;
    if (config.warmupS() > 0) {
      measuredStartNs = sleepWithProgress(originNs, config.warmupS(), "warmup");
      currentPhase = measured;
    }
    sleepWithProgress(measuredStartNs, config.durationS(), "measure");
    currentPhase = null;
    long stopNs = System.nanoTime();

    for (Thread thread : issuers) {
      thread.join(TimeUnit.SECONDS.toMillis(30));
      if (thread.isAlive()) {
        throw new IllegalStateException(thread.getName() + " did not stop within 30 s");
      }
    }
    long inFlightLeft = drain(2L * config.requestTimeoutMs() + 1_000);
    double measuredS = (stopNs - measuredStartNs) / 1e9;
    return new Result(measured.snapshot(), warmup.snapshot().errorTotal(), measuredS,
        inFlightLeft);
  }

  record Result(OpStats.Snapshot measured, long warmupErrors, double measuredS,
      long inFlightLeft) {}

  private void issueLoop(int threadIndex, long originNs) {
    SplittableRandom random = new SplittableRandom(config.seed() * 1_000_003L + threadIndex);
    boolean paced = config.rateOpsPerSec() > 0;
    // Each thread owns every threads-th slot of the global schedule.
    double intervalNs = paced ? 1e9 * config.threads() / config.rateOpsPerSec() : 0;
    double offsetNs = paced ? 1e9 * threadIndex / config.rateOpsPerSec() : 0;
    long sequence = 0;
    try {
      while (currentPhase != null) {
        long intendedNs = 0;
        if (paced) {
          intendedNs = originNs + (long) (offsetNs + sequence * intervalNs);
          sequence++;
          if (!waitUntil(intendedNs)) {
            return;
          }
        }
        while (!permits.tryAcquire(PERMIT_POLL_MS, TimeUnit.MILLISECONDS)) {
          if (currentPhase == null) {
            return;
          }
        }
        OpStats phase = currentPhase;
        if (phase == null) {
          permits.release();
          return;
        }
        Op op = workload.next(random);
        long startNs = paced ? intendedNs : System.nanoTime();
        execute(op, phase, startNs);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Parks until {@code deadlineNs}; false if the run stopped meanwhile. */
  private boolean waitUntil(long deadlineNs) {
    while (true) {
      if (currentPhase == null) {
        return false;
      }
      long remainingNs = deadlineNs - System.nanoTime();
      if (remainingNs <= 0) {
        return true;
      }
      LockSupport.parkNanos(Math.min(remainingNs, TimeUnit.MILLISECONDS.toNanos(PERMIT_POLL_MS)));
    }
  }

  private void execute(Op op, OpStats phase, long startNs) {
    Statement<?> statement = op.statement();
    CompletionStage<AsyncResultSet> stage;
    try {
      stage = session.executeAsync(statement);
    } catch (RuntimeException e) {
      phase.recordError(op.kind(), e);
      failed.increment();
      permits.release();
      return;
    }
    stage.whenComplete((rs, error) -> {
      try {
        long latencyUs = (System.nanoTime() - startNs) / 1_000;
        if (error != null) {
          phase.recordError(op.kind(), error);
          failed.increment();
          return;
        }
        phase.recordSuccess(op.kind(), latencyUs);
        completed.increment();
        if (op.rowsExpectedMin() > 0 && rs.remaining() < op.rowsExpectedMin()) {
          phase.recordMiss(op.kind());
        }
      } finally {
        permits.release();
      }
    });
  }

  /** Sleeps {@code seconds} from {@code fromNs}, printing throughput every few seconds. */
  private long sleepWithProgress(long fromNs, int seconds, String label)
      throws InterruptedException {
    long endNs = fromNs + TimeUnit.SECONDS.toNanos(seconds);
    long lastNs = fromNs;
    long lastCompleted = completed.sum();
    long lastFailed = failed.sum();
    while (true) {
      long now = System.nanoTime();
      if (now >= endNs) {
        return now;
      }
      long sleepNs = Math.min(endNs - now, PROGRESS_INTERVAL_NS - ((now - fromNs) % PROGRESS_INTERVAL_NS));
      TimeUnit.NANOSECONDS.sleep(sleepNs);
      now = System.nanoTime();
      long done = completed.sum();
      long bad = failed.sum();
      double intervalS = (now - lastNs) / 1e9;
      if (intervalS >= 1.0 || now >= endNs) {
        progress.printf("%-7s %5.1f s  %10.0f ops/s  errors %d  in-flight %d%n", label,
            (now - fromNs) / 1e9, (done - lastCompleted) / intervalS, bad - lastFailed,
            config.concurrency() - permits.availablePermits());
        lastNs = now;
        lastCompleted = done;
        lastFailed = bad;
      }
    }
  }

  /** Waits for all permits to come back; returns how many requests were still in flight. */
  private long drain(long timeoutMs) throws InterruptedException {
    if (permits.tryAcquire(config.concurrency(), timeoutMs, TimeUnit.MILLISECONDS)) {
      permits.release(config.concurrency());
      return 0;
    }
    return config.concurrency() - permits.availablePermits();
  }

}
