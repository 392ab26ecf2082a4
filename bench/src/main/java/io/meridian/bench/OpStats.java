package io.meridian.bench;

import io.meridian.bench.Workload.OpKind;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Thread-safe outcome counters for one phase (warm-up or measured). Latencies go into one
 * HdrHistogram recorder per operation kind, in microseconds; errors are counted per exception
 * type with a fixed ceiling on distinct types so a storm of odd failures cannot grow the map.
 */
final class OpStats {

  /** Highest latency the histograms track; slower requests are clamped and counted. */
  static final long LATENCY_US_MAX = 120_000_000L;
  static final int SIGNIFICANT_DIGITS = 3;
  static final int ERROR_TYPES_MAX = 32;
  static final String ERROR_TYPE_OVERFLOW = "other";

  private final Recorder[] recorders = new Recorder[OpKind.values().length];
  private final LongAdder[] misses = new LongAdder[OpKind.values().length];
  private final LongAdder[] errorsByKind = new LongAdder[OpKind.values().length];
  private final LongAdder clamped = new LongAdder();
  private final ConcurrentHashMap<String, LongAdder> errorsByType = new ConcurrentHashMap<>();

  OpStats() {
    for (OpKind kind : OpKind.values()) {
      recorders[kind.ordinal()] = new Recorder(LATENCY_US_MAX, SIGNIFICANT_DIGITS);
      misses[kind.ordinal()] = new LongAdder();
      errorsByKind[kind.ordinal()] = new LongAdder();
    }
  }

  void recordSuccess(OpKind kind, long latencyUs) {
    long value = latencyUs;
    if (value > LATENCY_US_MAX) {
      clamped.increment();
      value = LATENCY_US_MAX;
    }
    recorders[kind.ordinal()].recordValue(Math.max(0, value));
  }

  void recordMiss(OpKind kind) {
    misses[kind.ordinal()].increment();
  }

  void recordError(OpKind kind, Throwable error) {
    errorsByKind[kind.ordinal()].increment();
    String type = error.getClass().getSimpleName();
    LongAdder counter = errorsByType.get(type);
    if (counter == null) {
      if (errorsByType.size() >= ERROR_TYPES_MAX) {
        type = ERROR_TYPE_OVERFLOW;
      }
      counter = errorsByType.computeIfAbsent(type, t -> new LongAdder());
    }
    counter.increment();
  }

  long errorTotal() {
    long total = 0;
    for (LongAdder adder : errorsByKind) {
      total += adder.sum();
    }
    return total;
  }

  /** Final view of this phase. Call once, after all requests of the phase have completed. */
  Snapshot snapshot() {
    Map<OpKind, Histogram> histograms = new TreeMap<>();
    Map<OpKind, Long> missCounts = new TreeMap<>();
    Map<OpKind, Long> errorCounts = new TreeMap<>();
    for (OpKind kind : OpKind.values()) {
      histograms.put(kind, recorders[kind.ordinal()].getIntervalHistogram());
      missCounts.put(kind, misses[kind.ordinal()].sum());
      errorCounts.put(kind, errorsByKind[kind.ordinal()].sum());
    }
    Map<String, Long> types = new TreeMap<>();
    errorsByType.forEach((type, counter) -> types.put(type, counter.sum()));
    return new Snapshot(histograms, missCounts, errorCounts, types, clamped.sum());
  }

  record Snapshot(
      Map<OpKind, Histogram> latencyUs,
      Map<OpKind, Long> misses,
      Map<OpKind, Long> errors,
      Map<String, Long> errorsByType,
      long clampedCount) {

    Histogram combined() {
      Histogram all = new Histogram(LATENCY_US_MAX, SIGNIFICANT_DIGITS);
      latencyUs.values().forEach(all::add);
      return all;
    }

    long errorTotal() {
      return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    long missTotal() {
      return misses.values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
