package io.meridian.replication;

import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;

/**
 * When a tablet's Raft group snapshots and purges its log. Each replica asks for a snapshot once
 * at least {@code autoTriggerEntries} entries were applied since its last one and their log bytes
 * come to 1/{@code tabletBytesPerLogByte} of the tablet's bytes ({@link SnapshotTrigger}), and
 * takes one when the server stops; the log is then purged up to the snapshot, in whole closed
 * segments of at most {@code logSegmentBytes}, once at least {@code purgeGapEntries} entries can
 * go. A replica that needs a purged entry gets the snapshot.
 *
 * @param autoTriggerEntries fewest entries between snapshots; 0 turns snapshots (and so purging) off
 * @param purgeGapEntries fewest entries a purge removes
 * @param logSegmentBytes largest log segment file; purging frees whole segments
 * @param snapshotOnStop also snapshot when the server stops, so a restart has no log to replay
 * @param tabletBytesPerLogByte most tablet bytes a snapshot rewrites per byte logged since the
 *     last one; 0 counts entries only
 */
public record SnapshotSettings(long autoTriggerEntries, int purgeGapEntries, long logSegmentBytes,
                               boolean snapshotOnStop, int tabletBytesPerLogByte) {
  /**
   * Production defaults: a snapshot after 100k entries once their log holds a quarter of the
   * tablet's size; 8 MiB segments.
   */
  public static final SnapshotSettings DEFAULTS = new SnapshotSettings(100_000, 1024, 8L << 20, true, 4);
  /** No snapshots: the log is kept whole and replayed from the start (the behaviour before snapshots). */
  public static final SnapshotSettings NONE = new SnapshotSettings(0, 1024, 8L << 20, false, 0);

  public SnapshotSettings {
    if (autoTriggerEntries < 0 || purgeGapEntries < 1 || logSegmentBytes < 1024 || tabletBytesPerLogByte < 0) {
      throw new IllegalArgumentException("bad snapshot settings: " + autoTriggerEntries + " entries, purge gap "
          + purgeGapEntries + ", segment " + logSegmentBytes + " bytes, " + tabletBytesPerLogByte
          + " tablet bytes per log byte");
    }
  }

  /** Where {@link #applyTo} leaves {@code autoTriggerEntries} and {@code tabletBytesPerLogByte} for state machines. */
  static final String EVERY_ENTRIES_KEY = "meridian.snapshot.every-entries";
  static final String TABLET_BYTES_PER_LOG_BYTE_KEY = "meridian.snapshot.tablet-bytes-per-log-byte";
  /**
   * Ratis' own trigger, kept on only because it also gates the snapshot at stop: set beyond any
   * log, so only {@link SnapshotTrigger} asks for snapshots while running.
   */
  private static final long RATIS_TRIGGER_NEVER = Long.MAX_VALUE / 4;

  public void applyTo(RaftProperties props) {
    boolean on = autoTriggerEntries > 0;
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(props, on);
    RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(props, on && snapshotOnStop);
    if (on) {
      RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(props, RATIS_TRIGGER_NEVER);
    }
    props.setLong(EVERY_ENTRIES_KEY, autoTriggerEntries);
    props.setInt(TABLET_BYTES_PER_LOG_BYTE_KEY, tabletBytesPerLogByte);
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(props, TabletSnapshotter.SNAPSHOTS_RETAINED);
    // Purge up to our own snapshot, not only up to what every follower has: a follower that is
    // down or far behind is brought back by sending it the snapshot, instead of pinning the log.
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(props, true);
    RaftServerConfigKeys.Log.setPurgeGap(props, purgeGapEntries);
    RaftServerConfigKeys.Log.setSegmentSizeMax(props, SizeInBytes.valueOf(logSegmentBytes));
    RaftServerConfigKeys.Log.setPreallocatedSize(props, SizeInBytes.valueOf(Math.min(logSegmentBytes, 4L << 20)));
    RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(props, true);
  }

  /** The {@code autoTriggerEntries} that {@link #applyTo} put in {@code props}; 0 (off) if none. */
  static long everyEntries(RaftProperties props) {
    return props.getLong(EVERY_ENTRIES_KEY, 0L);
  }

  /** The {@code tabletBytesPerLogByte} that {@link #applyTo} put in {@code props}; 0 if none. */
  static int tabletBytesPerLogByte(RaftProperties props) {
    return props.getInt(TABLET_BYTES_PER_LOG_BYTE_KEY, 0);
  }
}
