package io.meridian.replication;

import static io.meridian.replication.ReplicatedTabletTest.await;
import static io.meridian.replication.ReplicatedTabletTest.awaitLeader;
import static io.meridian.replication.ReplicatedTabletTest.awaitRows;
import static io.meridian.replication.ReplicatedTabletTest.key;
import static io.meridian.replication.ReplicatedTabletTest.mutation;
import static io.meridian.replication.ReplicatedTabletTest.row;
import static io.meridian.replication.ReplicatedTabletTest.writeRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.common.Clock;
import io.meridian.storage.DeletionTime;
import io.meridian.storage.Mutation;
import io.meridian.storage.StorageConfig;
import io.meridian.storage.rocks.RocksStorageEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.server.storage.RaftStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Snapshots of a tablet's Raft group with real peers: the log is purged, and replicas that need
 * purged entries get the snapshot from the leader instead of the log.
 */
class TabletSnapshotTest {
  /** A snapshot every 50 entries, purge as soon as possible, 16 KiB log segments (~100 entries each). */
  /** Entries only, no size rule: the tests place snapshots by counting writes (SnapshotTriggerTest covers the rule). */
  static final SnapshotSettings SMALL = new SnapshotSettings(50, 1, 16 * 1024, false, 0);

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void aFollowerBehindThePurgedLogIsRepairedBySnapshotAndARestartReplaysOnlyTheTail() throws Exception {
    try (LocalRaftCluster cluster = new LocalRaftCluster(3, SMALL)) {
      cluster.startAll();
      try (RaftClient client = cluster.newClient()) {
        ReplicatedTablet tablet = new ReplicatedTablet(cluster.tableId, cluster.range, client);
        writeRows(tablet, cluster, 0, 400);
        LocalRaftCluster.Peer leader = awaitLeader(cluster);
        for (LocalRaftCluster.Peer p : cluster.peers()) {
          awaitRows(p, cluster, 0, 400);
        }
        await(() -> logStart(leader) > 1, "the leader purges its log after a snapshot");
        assertTrue(leader.latestSnapshotIndex() >= logStart(leader) - 1,
            "purged only up to a snapshot: snapshot " + leader.latestSnapshotIndex() + ", log starts at " + logStart(leader));

        // Ratis deletes older snapshots just after a new one is renamed into place, so for a
        // moment there is one more than retained.
        await(() -> {
          long dirs = snapshotDirs(leader);
          return dirs >= 1 && dirs <= TabletSnapshotter.SNAPSHOTS_RETAINED;
        }, "older snapshots are deleted");

        List<LocalRaftCluster.Peer> followers = cluster.peers().stream().filter(p -> p != leader).toList();
        LocalRaftCluster.Peer lagging = followers.get(0);
        long laggingLast = lagging.appliedIndex();
        lagging.stop();
        writeRows(tablet, cluster, 400, 800);
        await(() -> logStart(leader) > laggingLast + 1, "the leader purges entries the stopped follower never had");

        lagging.start(RaftStorage.StartupOption.RECOVER);
        awaitRows(lagging, cluster, 0, 800);
        assertEquals(1, lagging.stateMachine.snapshotsInstalled(), "caught up by one snapshot install");
        // Local reads of this replica taken before the install are not trusted after it: the
        // pause before and the reload after each moved the epoch they are checked against.
        assertTrue(lagging.stateMachine.rowsEpoch() >= 2, "epoch after an install: " + lagging.stateMachine.rowsEpoch());
        assertTrue(lagging.stateMachine.entriesApplied() < 100,
            "only entries after the snapshot are applied one by one, not the 400 missed: "
                + lagging.stateMachine.entriesApplied());

        // A restart from the peer's own snapshot: storage is kept, only the log tail after the
        // snapshot is replayed (and skipped, storage already holding it), nothing is installed.
        LocalRaftCluster.Peer other = followers.get(1);
        // Write rows one at a time until one lands after the peer's latest snapshot: the tail.
        int next = 800;
        long snapshotIndex;
        do {
          snapshotIndex = other.latestSnapshotIndex();
          writeRows(tablet, cluster, next, next + 1);
          next++;
          await(() -> other.appliedIndex() >= leader.appliedIndex(), "the other follower applied everything");
        } while (other.latestSnapshotIndex() != snapshotIndex);
        int rowsBeforeStop = next;
        long applied = other.appliedIndex();
        other.stop();
        other.start(RaftStorage.StartupOption.RECOVER);
        await(() -> other.appliedIndex() >= applied, "the restarted peer replays its tail");
        awaitRows(other, cluster, 0, rowsBeforeStop);
        // Its own snapshot, kept. A replica asks for a snapshot and takes it on a later pass of
        // its apply thread, so one the last writes made due may land after the loop looked; but
        // none is installed.
        assertTrue(other.latestSnapshotIndex() >= snapshotIndex,
            "snapshot " + other.latestSnapshotIndex() + " before the one at " + snapshotIndex);
        assertEquals(0, other.stateMachine.snapshotsInstalled());
        assertEquals(0, other.stateMachine.rowsEpoch(), "no install, so no local read is made again");
        assertEquals(0, other.stateMachine.entriesApplied());
        // The tail also holds Ratis' own metadata entries, which are neither applied nor skipped.
        long skipped = other.stateMachine.entriesSkippedOnReplay();
        assertTrue(skipped >= 1 && skipped <= applied - snapshotIndex,
            "replay starts right after the snapshot at " + snapshotIndex + ", not at the start of the log: skipped "
                + skipped + " of " + applied);

        writeRows(tablet, cluster, rowsBeforeStop, rowsBeforeStop + 20);
        for (LocalRaftCluster.Peer p : cluster.peers()) {
          awaitRows(p, cluster, 0, rowsBeforeStop + 20);
        }

        // What Ratis does first when a snapshot arrives: a read that began before is not trusted.
        long epoch = other.stateMachine.rowsEpoch();
        assertTrue(other.stateMachine.sameRowsSince(epoch));
        other.stateMachine.pause();
        assertFalse(other.stateMachine.sameRowsSince(epoch), "paused for an install");
        assertFalse(other.stateMachine.sameRowsSince(other.stateMachine.rowsEpoch()), "not running while paused");
      }
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void aPeerAddedToTheGroupGetsEveryRowThroughASnapshot() throws Exception {
    try (LocalRaftCluster cluster = new LocalRaftCluster(3, SMALL)) {
      cluster.startAll();
      try (RaftClient client = cluster.newClient()) {
        ReplicatedTablet tablet = new ReplicatedTablet(cluster.tableId, cluster.range, client);
        writeRows(tablet, cluster, 0, 400);
        LocalRaftCluster.Peer leader = awaitLeader(cluster);
        await(() -> logStart(leader) > 1, "the leader purges its log after a snapshot");

        LocalRaftCluster.Peer added = cluster.addPeer();
        added.start(RaftStorage.StartupOption.FORMAT);
        RaftClientReply reply = client.admin().setConfiguration(cluster.raftPeers());
        assertTrue(reply.isSuccess(), String.valueOf(reply));

        awaitRows(added, cluster, 0, 400);
        assertEquals(1, added.stateMachine.snapshotsInstalled());
        assertTrue(added.stateMachine.entriesApplied() < 100, "not replayed: " + added.stateMachine.entriesApplied());

        writeRows(tablet, cluster, 400, 450);
        for (LocalRaftCluster.Peer p : cluster.peers()) {
          awaitRows(p, cluster, 0, 450);
        }
      }
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void aReplaceCutShortByACrashIsRepeatedOnRestart() throws Exception {
    SnapshotSettings onStop = new SnapshotSettings(SMALL.autoTriggerEntries(), SMALL.purgeGapEntries(),
        SMALL.logSegmentBytes(), true, SMALL.tabletBytesPerLogByte());
    try (LocalRaftCluster cluster = new LocalRaftCluster(3, onStop)) {
      cluster.startAll();
      try (RaftClient client = cluster.newClient()) {
        ReplicatedTablet tablet = new ReplicatedTablet(cluster.tableId, cluster.range, client);
        writeRows(tablet, cluster, 0, 200);
        LocalRaftCluster.Peer leader = awaitLeader(cluster);
        LocalRaftCluster.Peer follower = cluster.peers().stream().filter(p -> p != leader).findFirst().orElseThrow();
        awaitRows(follower, cluster, 0, 200);
        follower.stop(); // snapshots on stop: the snapshot holds everything applied

        // Storage as a crash in the middle of a replace leaves it: a row missing, another not in
        // the snapshot, and no applied-index record (Ratis replaced sm/, or the crash came first).
        try (RocksStorageEngine engine = RocksStorageEngine.open(StorageConfig.defaults(follower.storageDir), Clock.SYSTEM)) {
          engine.createTable(cluster.tableId, 1);
          engine.apply(new Mutation(cluster.tableId, key(5), new DeletionTime(Long.MAX_VALUE / 2, 1), List.of(), List.of()))
              .join();
          engine.apply(mutation(cluster, 9_999)).join();
        }
        try (Stream<Path> files = Files.walk(follower.raftDir)) {
          Path applied = files.filter(f -> f.getFileName().toString().equals(AppliedIndexFile.FILE_NAME))
              .findFirst().orElseThrow();
          Files.delete(applied);
        }

        follower.start(RaftStorage.StartupOption.RECOVER);
        assertEquals(1, follower.stateMachine.snapshotsInstalled(), "the replace is done again");
        awaitRows(follower, cluster, 0, 200);
        assertTrue(row(follower.engine, cluster, 9_999).isEmpty(), "the row not in the snapshot is gone");
        assertEquals(0, follower.stateMachine.entriesApplied());

        writeRows(tablet, cluster, 200, 220);
        awaitRows(follower, cluster, 0, 220);
      }
    }
  }

  /** Snapshot directories under the peer's Raft directory; a count taken mid-deletion reads as too many. */
  private static long snapshotDirs(LocalRaftCluster.Peer p) {
    try (Stream<Path> files = Files.walk(p.raftDir)) {
      return files.filter(f -> f.getFileName().toString().startsWith("snapshot.")).count();
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return Long.MAX_VALUE;
    }
  }

  private static long logStart(LocalRaftCluster.Peer p) {
    try {
      return p.logStartIndex();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
