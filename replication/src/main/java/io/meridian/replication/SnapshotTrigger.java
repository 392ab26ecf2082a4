package io.meridian.replication;

import java.util.function.LongSupplier;

/**
 * When a tablet replica asks its Raft server for a snapshot. A snapshot rewrites the whole tablet
 * ({@link TabletSnapshotter}), so a count of entries alone would rewrite a large tablet of small
 * writes far more often than its log grows by the tablet's size. A snapshot is asked for once at
 * least {@code everyEntries} entries were applied since the last one and those entries' log
 * bytes come to at least 1/{@code tabletBytesPerLogByte} of the tablet's bytes: a snapshot then
 * rewrites at most that many bytes per byte logged, and the log kept between snapshots stays near
 * that share of the tablet (or {@code everyEntries} entries, when more).
 *
 * <p>Called on Ratis' apply thread ({@link #applied}) and from the snapshot request's answer.
 */
final class SnapshotTrigger {
  /** A tablet too large for the log so far is measured again after this share of everyEntries more. */
  private static final int SIZE_CHECKS_PER_INTERVAL = 10;

  private final long everyEntries;
  private final int tabletBytesPerLogByte;
  private final LongSupplier tabletBytes;
  private final Runnable ask;
  private long entries;
  private long logBytes;
  private long nextSizeCheck;
  private boolean asked;

  /**
   * @param everyEntries fewest entries between snapshots; 0 turns snapshots off
   * @param tabletBytesPerLogByte most tablet bytes rewritten per byte logged; 0 counts entries only
   * @param tabletBytes the tablet's approximate size now
   * @param ask asks for a snapshot; {@link #taken} follows if one is taken, {@link #answered} in any case
   */
  SnapshotTrigger(long everyEntries, int tabletBytesPerLogByte, LongSupplier tabletBytes, Runnable ask) {
    this.everyEntries = everyEntries;
    this.tabletBytesPerLogByte = tabletBytesPerLogByte;
    this.tabletBytes = tabletBytes;
    this.ask = ask;
  }

  /** One more entry of {@code entryBytes} in the log; asks for a snapshot when one is due. */
  void applied(long entryBytes) {
    synchronized (this) {
      entries++;
      logBytes += entryBytes;
      if (everyEntries <= 0 || asked || entries < everyEntries || entries < nextSizeCheck) {
        return;
      }
      if (tabletBytesPerLogByte > 0 && logBytes * tabletBytesPerLogByte < tabletBytes.getAsLong()) {
        nextSizeCheck = entries + Math.max(1, everyEntries / SIZE_CHECKS_PER_INTERVAL);
        return;
      }
      asked = true;
    }
    ask.run();
  }

  /** A snapshot was taken or installed: the log since then starts empty. */
  synchronized void taken() {
    entries = 0;
    logBytes = 0;
    nextSizeCheck = 0;
  }

  /**
   * The request for a snapshot was answered, taken or not; another may be asked for when due, at
   * the earliest after a tenth of {@code everyEntries} more entries (so a failing request is not
   * repeated for every entry).
   */
  synchronized void answered() {
    asked = false;
    nextSizeCheck = entries + Math.max(1, everyEntries / SIZE_CHECKS_PER_INTERVAL);
  }
}
