package io.meridian.cluster;

/**
 * Timing of the batch log replay.
 *
 * @param replayAfterMs how old a batch log entry must be before a replayer finishes it: well past
 *     the time its coordinator may still be applying it (a part's Raft client retries for up to
 *     about 10 s), though replaying early is harmless, only wasted work
 * @param replayIntervalMs pause between two replay rounds of a node
 */
public record BatchSettings(long replayAfterMs, long replayIntervalMs) {
  public static final BatchSettings DEFAULTS = new BatchSettings(20_000, 10_000);

  public BatchSettings {
    if (replayAfterMs < 0 || replayIntervalMs < 1) {
      throw new IllegalArgumentException("batch replay after " + replayAfterMs + " ms every " + replayIntervalMs
          + " ms: need after >= 0 and interval >= 1");
    }
  }
}
