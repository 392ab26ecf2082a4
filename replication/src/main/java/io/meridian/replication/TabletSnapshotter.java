package io.meridian.replication;

import io.meridian.storage.TabletSnapshots;
import io.meridian.storage.TokenRange;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots of one tablet, as directories in the Raft group's state machine directory:
 *
 * <pre>
 * sm/snapshot.&lt;term&gt;_&lt;index&gt;/manifest         {@link SnapshotManifest}
 *                                   data.sst         the tablet's rows       (absent if none)
 *                                   partitions.sst   its partition headers   (absent if none)
 * </pre>
 *
 * A snapshot is written into {@code sm/.snapshot-in-progress}, synced, and renamed into place, so
 * a directory with a snapshot name is complete. The files are exactly what Ratis sends to a
 * follower that needs a snapshot; on the follower Ratis replaces the whole {@code sm} directory
 * with the received files (which is why there is no separate snapshot directory: Ratis derives the
 * follower's paths from the leader's relative to {@code sm}). The follower then
 * {@link #restore}s: its storage range is replaced from the files.
 *
 * <p><b>When storage must be replaced.</b> The applied-index file says how far storage holds the
 * log. If it is missing or older than the latest snapshot, storage does not reflect that snapshot
 * (a fresh install: Ratis' replacement of {@code sm} removed the file; or a crash in the middle of
 * a replace, before the file was rewritten), so the range is replaced, and only then is the
 * applied index recorded as the snapshot's. A crash at any point before that record repeats the
 * whole replace on restart; a half-replaced range is never taken for a complete one.
 */
final class TabletSnapshotter implements StateMachineStorage {
  private static final Logger log = LoggerFactory.getLogger(TabletSnapshotter.class);
  private static final Pattern NAME = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");
  private static final String IN_PROGRESS = ".snapshot-in-progress";
  /** Kept so a leader can finish sending the previous snapshot while it takes a new one. */
  static final int SNAPSHOTS_RETAINED = 2;

  private final TabletSnapshots storage;
  private final UUID tableId;
  private final TokenRange range;
  private volatile Path smDir;
  private volatile Loaded latest;

  /** A snapshot found on disk with its checked manifest. */
  record Loaded(Path dir, SnapshotManifest manifest, FileListSnapshotInfo info) {
    TermIndex termIndex() {
      return manifest.termIndex();
    }
  }

  /** What a restore left: the log position storage now reflects and the snapshot's log-ordered state. */
  /** {@code logOrderedState} is null when storage was already past the snapshot (keep the file's). */
  record Restored(TermIndex snapshot, TermIndex durable, byte[] logOrderedState, boolean installed) {}

  TabletSnapshotter(TabletSnapshots storage, UUID tableId, TokenRange range) {
    this.storage = storage;
    this.tableId = tableId;
    this.range = range;
  }

  @Override
  public void init(RaftStorage raftStorage) throws IOException {
    smDir = raftStorage.getStorageDir().getStateMachineDir().toPath();
    Files.createDirectories(smDir);
    deleteRecursively(smDir.resolve(IN_PROGRESS));
    latest = loadLatest();
  }

  @Override
  public FileListSnapshotInfo getLatestSnapshot() {
    Loaded l = latest;
    return l == null ? null : l.info;
  }

  Optional<Loaded> latest() {
    return Optional.ofNullable(latest);
  }

  @Override
  public void format() {
    // Nothing to do: the directory is created on init.
  }

  @Override
  public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
    int keep = Math.max(SNAPSHOTS_RETAINED, policy == null ? 0 : policy.getNumSnapshotsRetained());
    List<Path> dirs = snapshotDirs();
    for (int i = keep; i < dirs.size(); i++) {
      deleteRecursively(dirs.get(i));
    }
  }

  /**
   * Writes a snapshot of the range as of {@code applied}. The caller guarantees that storage holds
   * exactly the entries up to {@code applied} for this range while this runs.
   */
  FileListSnapshotInfo take(TermIndex applied, byte[] logOrderedState) throws IOException {
    Loaded current = latest;
    if (current != null && current.termIndex().getIndex() >= applied.getIndex()) {
      return current.info;
    }
    Path tmp = smDir.resolve(IN_PROGRESS);
    deleteRecursively(tmp);
    List<Path> exported = storage.exportRange(tableId, range, tmp);
    List<SnapshotManifest.FileEntry> entries = new ArrayList<>();
    for (Path f : exported) {
      entries.add(new SnapshotManifest.FileEntry(f.getFileName().toString(), Files.size(f), crc32c(f)));
    }
    SnapshotManifest manifest = new SnapshotManifest(applied, tableId, range, List.copyOf(entries), logOrderedState);
    writeSynced(tmp.resolve(SnapshotManifest.FILE_NAME), manifest.encode());
    fsyncDirectory(tmp);
    Path dir = smDir.resolve(name(applied));
    try {
      Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system of " + smDir + " cannot rename directories atomically", e);
    }
    fsyncDirectory(smDir);
    Loaded loaded = new Loaded(dir, manifest, info(dir, manifest));
    latest = loaded;
    log.info("tablet {} of table {}: snapshot {} taken ({} files)", range, tableId, applied, exported.size());
    return loaded.info;
  }

  /**
   * Brings storage to at least the latest snapshot (see the class comment) and records the applied
   * index. Empty when there is no snapshot. Must not run while entries are being applied.
   */
  Optional<Restored> restore(AppliedIndexFile appliedIndex) throws IOException {
    Loaded l = loadLatest();
    latest = l;
    if (l == null) {
      return Optional.empty();
    }
    Optional<AppliedIndexFile.Recorded> recorded = appliedIndex.read();
    if (recorded.isPresent() && recorded.get().versions() != null
        && recorded.get().applied().getIndex() >= l.termIndex().getIndex()) {
      // Storage is at or past the snapshot; the applied-index file's conflict versions describe
      // exactly that point, so they (not the snapshot's older ones) stay.
      return Optional.of(new Restored(l.termIndex(), recorded.get().applied(), null, false));
    }
    checkFiles(l);
    log.info("tablet {} of table {}: storage holds the log up to {}, replacing it with snapshot {}", range, tableId,
        recorded.map(r -> r.applied().toString()).orElse("(unknown)"), l.termIndex());
    storage.replaceRange(tableId, range, l.dir);
    long[] versions = AppliedIndexFile.decode(l.manifest.logOrderedState(), "snapshot conflict versions").versions();
    if (versions == null) {
      throw new IOException("snapshot " + l.termIndex() + " of tablet " + range + " carries no conflict versions");
    }
    appliedIndex.write(l.termIndex(), versions);
    return Optional.of(new Restored(l.termIndex(), l.termIndex(), l.manifest.logOrderedState(), true));
  }

  /**
   * The newest snapshot, or null if there is none. A damaged newest snapshot is an error, never
   * skipped for an older one: the log may already be purged up to the newer one, and an older
   * snapshot plus that log would leave a gap.
   */
  private Loaded loadLatest() throws IOException {
    List<Path> dirs = snapshotDirs();
    if (dirs.isEmpty()) {
      return null;
    }
    Path dir = dirs.get(0);
    SnapshotManifest m = SnapshotManifest.decode(Files.readAllBytes(dir.resolve(SnapshotManifest.FILE_NAME)),
        dir.toString());
    if (!m.tableId().equals(tableId) || !m.range().equals(range)) {
      throw new IOException(dir + " is a snapshot of tablet " + m.range() + " of table " + m.tableId()
          + ", not of " + range + " of " + tableId);
    }
    if (!name(m.termIndex()).equals(dir.getFileName().toString())) {
      throw new IOException(dir + ": its manifest says " + m.termIndex());
    }
    return new Loaded(dir, m, info(dir, m));
  }

  /** Snapshot directories, newest first. */
  private List<Path> snapshotDirs() throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> children = Files.list(smDir)) {
      children.filter(p -> Files.isDirectory(p) && NAME.matcher(p.getFileName().toString()).matches()).forEach(out::add);
    }
    out.sort(Comparator.comparingLong(TabletSnapshotter::indexOf).reversed());
    return out;
  }

  private static long indexOf(Path dir) {
    Matcher m = NAME.matcher(dir.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(2)) : -1;
  }

  static String name(TermIndex ti) {
    return "snapshot." + ti.getTerm() + "_" + ti.getIndex();
  }

  private static FileListSnapshotInfo info(Path dir, SnapshotManifest m) {
    List<FileInfo> files = new ArrayList<>();
    files.add(new FileInfo(dir.resolve(SnapshotManifest.FILE_NAME), null)); // Ratis computes the MD5 as it sends
    for (SnapshotManifest.FileEntry f : m.files()) {
      files.add(new FileInfo(dir.resolve(f.name()), null));
    }
    return new FileListSnapshotInfo(files, m.termIndex());
  }

  /**
   * Sizes and CRC32C as the manifest states, then fsync: files received from a leader were written
   * by Ratis without a sync, and a replace must never ingest a torn file.
   */
  private void checkFiles(Loaded l) throws IOException {
    for (SnapshotManifest.FileEntry f : l.manifest.files()) {
      Path file = l.dir.resolve(f.name());
      if (!Files.isRegularFile(file) || Files.size(file) != f.size() || crc32c(file) != f.crc32c()) {
        throw new IOException("snapshot " + l.dir + ": " + f.name() + " is missing or does not match its manifest");
      }
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        ch.force(true);
      }
    }
    fsyncDirectory(l.dir);
  }

  private static int crc32c(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        crc.update(buf, 0, n);
      }
    }
    return (int) crc.getValue();
  }

  private static void writeSynced(Path file, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
  }

  private static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> all = Files.walk(path)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Override
  public File getSnapshotDir() {
    return null; // the state machine directory itself: see the class comment
  }
}
