package io.meridian.chaos.run;

import io.meridian.chaos.history.HistoryRecorder;
import io.meridian.chaos.history.Op;
import io.meridian.chaos.history.OpKind;
import io.meridian.chaos.history.Outcome;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One client: issues one operation at a time until stopped, and records each with its outcome.
 * Written values come from a counter shared by all clients, so every value is written once, which
 * makes both the checkers' work and their explanations simpler.
 */
public final class ClientWorker implements Runnable {
    private final int process;
    private final RegisterClient client;
    private final HistoryRecorder recorder;
    private final Workload workload;
    private final AtomicLong values;
    private final AtomicBoolean stop;
    private final LongSupplier nanoClock;
    private final SplittableRandom random;
    private final long errorBackoffMillis;
    /** The latest value this client saw per register, the expected value of its next cas. */
    private final Map<String, Long> lastSeen = new HashMap<>();
    private long ops;

    public ClientWorker(int process, RegisterClient client, HistoryRecorder recorder, Workload workload,
                        AtomicLong values, AtomicBoolean stop, LongSupplier nanoClock, long seed,
                        Duration errorBackoff) {
        this.process = process;
        this.client = client;
        this.recorder = recorder;
        this.workload = workload;
        this.values = values;
        this.stop = stop;
        this.nanoClock = nanoClock;
        this.random = new SplittableRandom(seed);
        this.errorBackoffMillis = errorBackoff.toMillis();
    }

    @Override
    public void run() {
        while (!stop.get()) {
            boolean failed = step();
            ops++;
            // A node that is down fails requests at once; without a pause the history fills with
            // millions of identical errors.
            if (failed && errorBackoffMillis > 0) {
                try {
                    Thread.sleep(errorBackoffMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    public long ops() {
        return ops;
    }

    /** Runs one operation; true if it ended in an error. */
    boolean step() {
        int total = workload.readWeight() + workload.writeWeight() + workload.casWeight() + workload.insertWeight();
        int roll = random.nextInt(total);
        if ((roll -= workload.readWeight()) < 0) {
            return read(pick(workload.registers()));
        } else if ((roll -= workload.writeWeight()) < 0) {
            return write(pick(workload.registers()));
        } else if ((roll -= workload.casWeight()) < 0) {
            return cas(pick(workload.registers()));
        } else {
            return insert(pick(workload.sets()));
        }
    }

    private String pick(List<String> names) {
        return names.get(random.nextInt(names.size()));
    }

    private boolean read(String key) {
        long invoke = nanoClock.getAsLong();
        try {
            Long v = client.read(key);
            record(OpKind.READ, key, v, null, invoke, Outcome.OK, "");
            lastSeen.put(key, v);
            return false;
        } catch (Exception e) {
            record(OpKind.READ, key, null, null, invoke, OutcomeClassifier.forRead(e), describe(e));
            return true;
        }
    }

    private boolean write(String key) {
        long value = values.incrementAndGet();
        long invoke = nanoClock.getAsLong();
        try {
            boolean applied = client.write(key, value);
            record(OpKind.WRITE, key, value, null, invoke, applied ? Outcome.OK : Outcome.FAIL,
                applied ? "" : "not applied");
            if (applied) {
                lastSeen.put(key, value);
            }
            return false;
        } catch (Exception e) {
            record(OpKind.WRITE, key, value, null, invoke, OutcomeClassifier.forWrite(e), describe(e));
            lastSeen.remove(key);
            return true;
        }
    }

    private boolean cas(String key) {
        Long expected = lastSeen.get(key);
        long value = values.incrementAndGet();
        long invoke = nanoClock.getAsLong();
        try {
            RegisterClient.CasResult r = client.cas(key, expected, value);
            long complete = nanoClock.getAsLong();
            if (r.applied()) {
                recordAt(OpKind.CAS, key, value, expected, invoke, complete, Outcome.OK, "");
                lastSeen.put(key, value);
            } else {
                recordAt(OpKind.CAS, key, value, expected, invoke, complete, Outcome.FAIL, "not applied");
                // An LWT that does not apply answers with the row as it found it: that is a linearizable
                // read, within the same interval, so it is recorded as one and checked like one.
                recordAt(OpKind.READ, key, r.current(), null, invoke, complete, Outcome.OK,
                    "current value reported by a cas that did not apply"
                        + (r.coordinator() == null ? "" : ", coordinator " + r.coordinator()));
                lastSeen.put(key, r.current());
            }
            return false;
        } catch (Exception e) {
            record(OpKind.CAS, key, value, expected, invoke, OutcomeClassifier.forWrite(e), describe(e));
            return true;
        }
    }

    private boolean insert(String set) {
        long value = values.incrementAndGet();
        long invoke = nanoClock.getAsLong();
        try {
            client.insert(set, value);
            record(OpKind.INSERT_UNIQUE, set, value, null, invoke, Outcome.OK, "");
            return false;
        } catch (Exception e) {
            record(OpKind.INSERT_UNIQUE, set, value, null, invoke, OutcomeClassifier.forWrite(e), describe(e));
            return true;
        }
    }

    private void record(OpKind kind, String key, Long value, Long expected, long invoke, Outcome outcome,
                        String note) {
        recordAt(kind, key, value, expected, invoke, nanoClock.getAsLong(), outcome, note);
    }

    private void recordAt(OpKind kind, String key, Long value, Long expected, long invoke, long complete,
                          Outcome outcome, String note) {
        recorder.record(new Op(0, process, kind, key, value, expected, null, invoke, complete, outcome, note));
    }

    static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage();
        if (message.length() > 200) {
            message = message.substring(0, 200) + "...";
        }
        return e.getClass().getSimpleName() + message;
    }
}
