package io.meridian.chaos.run;

import java.time.Instant;

/**
 * One fault, from injection to recovery.
 *
 * @param error null if both the injection and the recovery worked
 */
public record FaultEvent(FaultKind kind, int node, Instant startedAt, long startNanos, long endNanos, String error) {

    public String describe(long originNanos) {
        return String.format("%-9s node %d  %8.3f s .. %8.3f s  (%s)%s", kind, node,
            (startNanos - originNanos) / 1e9, (endNanos - originNanos) / 1e9, startedAt,
            error == null ? "" : "  FAILED: " + error);
    }
}
