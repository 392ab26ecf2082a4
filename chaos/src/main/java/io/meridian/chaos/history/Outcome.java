package io.meridian.chaos.history;

/** How an operation ended, in Jepsen's sense. */
public enum Outcome {
    /** Completed and took effect exactly once (for a read: returned the recorded value). */
    OK,
    /** Definitely had no effect: an LWT that answered not-applied, or an error raised before any effect. */
    FAIL,
    /**
     * Unknown: a timeout or a lost connection. A write may take effect at any time after it was
     * invoked, even after the client gave up, or never.
     */
    INFO
}
