package io.meridian.chaos.run;

import io.meridian.chaos.history.HistoryRecorder;
import io.meridian.chaos.history.Op;
import io.meridian.chaos.history.OpKind;
import io.meridian.chaos.history.Outcome;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;

/**
 * The reads made once the faults are healed: every register and every set, retried until one
 * succeeds or the attempts run out. Every attempt is recorded, failed ones included, so the history
 * shows how long the cluster took to serve again.
 */
public final class FinalReads {
    private final RegisterClient client;
    private final HistoryRecorder recorder;
    private final LongSupplier nanoClock;
    private final int attemptsMax;
    private final Duration pause;
    private final int process;

    public FinalReads(RegisterClient client, HistoryRecorder recorder, LongSupplier nanoClock, int attemptsMax,
                      Duration pause, int process) {
        this.client = client;
        this.recorder = recorder;
        this.nanoClock = nanoClock;
        this.attemptsMax = attemptsMax;
        this.pause = pause;
        this.process = process;
    }

    /**
     * Returns how many registers and sets could not be read at all, counting a set once for each
     * node that could not read it at ONE.
     */
    public int readAll(Workload workload) throws InterruptedException {
        int unread = 0;
        for (String key : workload.registers()) {
            unread += readRegister(key) ? 0 : 1;
        }
        for (String set : workload.sets()) {
            unread += readSet(set, OpKind.READ_SET, "final read", () -> client.readSet(set)) ? 0 : 1;
        }
        // Then through every node at ONE: a follower answers from its own replica once it has
        // caught up with the leader, so each replica's copy of the sets is checked too.
        for (String node : client.nodes()) {
            for (String set : workload.sets()) {
                unread += readSet(set, OpKind.READ_SET_ONE, "final read at ONE via " + node,
                    () -> client.readSetAtOne(set, node)) ? 0 : 1;
            }
        }
        return unread;
    }

    private boolean readRegister(String key) throws InterruptedException {
        for (int attempt = 0; attempt < attemptsMax; attempt++) {
            long invoke = nanoClock.getAsLong();
            try {
                Long v = client.read(key);
                recorder.record(new Op(0, process, OpKind.READ, key, v, null, null, invoke, nanoClock.getAsLong(),
                    Outcome.OK, "final read"));
                return true;
            } catch (Exception e) {
                recorder.record(new Op(0, process, OpKind.READ, key, null, null, null, invoke, nanoClock.getAsLong(),
                    Outcome.FAIL, "final read: " + ClientWorker.describe(e)));
                Thread.sleep(pause.toMillis());
            }
        }
        return false;
    }

    /** Reads {@code set} with {@code read} until it succeeds or the attempts run out, recording each attempt as {@code kind}. */
    private boolean readSet(String set, OpKind kind, String note, Callable<List<Long>> read) throws InterruptedException {
        for (int attempt = 0; attempt < attemptsMax; attempt++) {
            long invoke = nanoClock.getAsLong();
            try {
                List<Long> values = read.call();
                recorder.record(new Op(0, process, kind, set, null, null, values, invoke, nanoClock.getAsLong(),
                    Outcome.OK, note));
                return true;
            } catch (Exception e) {
                recorder.record(new Op(0, process, kind, set, null, null, null, invoke, nanoClock.getAsLong(),
                    Outcome.FAIL, note + ": " + ClientWorker.describe(e)));
                Thread.sleep(pause.toMillis());
            }
        }
        return false;
    }
}
