package io.meridian.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.common.Clock;
import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;
import io.meridian.storage.Cell;
import io.meridian.storage.DeletionTime;
import io.meridian.storage.Mutation;
import io.meridian.storage.PartitionData;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.RangeTombstone;
import io.meridian.storage.ReadRange;
import io.meridian.storage.RowUpdate;
import io.meridian.storage.StorageEngine;
import io.meridian.testsupport.Await;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Three real Ratis peers in one JVM, each with its own RocksDB engine, behind one replicated tablet. */
class ReplicatedTabletTest {
  static final long WAIT_MS = 15_000;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void writesReachEveryReplicaSurviveLeaderLossAndAStoppedPeerCatchesUp() throws Exception {
    try (LocalRaftCluster cluster = new LocalRaftCluster(3)) {
      cluster.startAll();
      try (RaftClient client = cluster.newClient()) {
        ReplicatedTablet tablet = new ReplicatedTablet(cluster.tableId, cluster.range, client);

        // 200 writes, one after the other: each future completes once committed and applied on the leader.
        writeRows(tablet, cluster, 0, 200);
        for (LocalRaftCluster.Peer p : cluster.peers()) {
          awaitRows(p, cluster, 0, 200);
        }

        // Stop the leader (server and storage, as a node going away): a new one is elected among the two left.
        LocalRaftCluster.Peer oldLeader = awaitLeader(cluster);
        oldLeader.stop();
        LocalRaftCluster.Peer newLeader = awaitLeader(cluster);
        assertTrue(newLeader != oldLeader, "a different peer leads");

        writeRows(tablet, cluster, 200, 250);
        for (LocalRaftCluster.Peer p : cluster.peers()) {
          if (p.running()) {
            awaitRows(p, cluster, 0, 250);
          }
        }

        // Restart the old leader from its directories: it replays its own log (skipping what its
        // storage already holds) and receives the entries it missed from the new leader.
        oldLeader.start(RaftStorage.StartupOption.RECOVER);
        awaitRows(oldLeader, cluster, 0, 250);
        assertTrue(oldLeader.stateMachine.entriesSkippedOnReplay() >= 200,
            "entries already in storage are not applied again: skipped " + oldLeader.stateMachine.entriesSkippedOnReplay());
        // Rows are visible as soon as storage commits; the count follows right after.
        await(() -> oldLeader.stateMachine.entriesApplied() >= 50, "the missed entries are counted");
        assertEquals(50, oldLeader.stateMachine.entriesApplied(), "only the missed entries are applied after restart");

        // The group keeps taking writes with all three peers back.
        writeRows(tablet, cluster, 250, 260);
        for (LocalRaftCluster.Peer p : cluster.peers()) {
          awaitRows(p, cluster, 0, 260);
        }
      }
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aBatchIsOneEntryAndForeignOrInvalidWritesAreRefused() throws Exception {
    try (LocalRaftCluster cluster = new LocalRaftCluster(3)) {
      cluster.startAll();
      try (RaftClient client = cluster.newClient()) {
        ReplicatedTablet tablet = new ReplicatedTablet(cluster.tableId, cluster.range, client);
        tablet.applyAtomically(List.of(mutation(cluster, 1), mutation(cluster, 2), mutation(cluster, 3)))
            .get(WAIT_MS, TimeUnit.MILLISECONDS);
        for (LocalRaftCluster.Peer p : cluster.peers()) {
          awaitRows(p, cluster, 1, 4);
          await(() -> p.stateMachine.entriesApplied() >= 1, "the batch is counted on " + p);
          assertEquals(1, p.stateMachine.entriesApplied(), "three mutations, one log entry");
        }

        Mutation foreign = new Mutation(java.util.UUID.randomUUID(), new PartitionKey(5L, new byte[] {5}),
            DeletionTime.LIVE, List.of(), List.of());
        CompletableFuture<Void> refused = tablet.apply(foreign);
        Exception e = assertThrows(Exception.class, () -> refused.get(WAIT_MS, TimeUnit.MILLISECONDS));
        assertTrue(e.getCause() instanceof IllegalArgumentException, e.toString());

        // Storage would refuse this range tombstone (start after end) on every replica: refused before the log.
        Mutation invalid = new Mutation(cluster.tableId, new PartitionKey(5L, new byte[] {5}), DeletionTime.LIVE,
            List.of(new RangeTombstone(new byte[] {9}, new byte[] {1}, new DeletionTime(10L, 1))), List.of());
        CompletableFuture<Void> invalidWrite = tablet.apply(invalid);
        Exception invalidError = assertThrows(Exception.class, () -> invalidWrite.get(WAIT_MS, TimeUnit.MILLISECONDS));
        assertTrue(invalidError.getCause() instanceof MeridianException me && me.code() == CqlErrorCode.INVALID,
            invalidError.toString());

        // A client that bypasses ReplicatedTablet: the leader's state machine refuses garbage before the log.
        CompletableFuture<RaftClientReply> garbage =
            client.async().send(Message.valueOf(ByteString.copyFromUtf8("not a log entry")));
        assertThrows(Exception.class, () -> {
          RaftClientReply reply = garbage.get(WAIT_MS, TimeUnit.MILLISECONDS);
          if (!reply.isSuccess()) {
            throw reply.getException();
          }
        });

        // Neither reached the log, so every replica keeps applying.
        tablet.apply(mutation(cluster, 4)).get(WAIT_MS, TimeUnit.MILLISECONDS);
        for (LocalRaftCluster.Peer p : cluster.peers()) {
          awaitRows(p, cluster, 1, 5);
          // The rows are visible as soon as storage commits; the count follows right after.
          await(() -> p.stateMachine.entriesApplied() >= 2, "two entries applied on " + p);
          assertEquals(2, p.stateMachine.entriesApplied(), "the batch and the last write, nothing else");
        }

      }
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void writesInFlightTogetherShareLogEntriesAndAllLandOnEveryReplica() throws Exception {
    try (LocalRaftCluster cluster = new LocalRaftCluster(3)) {
      cluster.startAll();
      try (RaftClient client = cluster.newClient()) {
        ReplicatedTablet tablet = new ReplicatedTablet(cluster.tableId, cluster.range, client);
        LocalRaftCluster.Peer leader = awaitLeader(cluster);
        tablet.apply(mutation(cluster, 0)).get(WAIT_MS, TimeUnit.MILLISECONDS);
        long entriesBefore = leader.stateMachine.entriesApplied();
        int writes = 500;
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int i = 1; i <= writes; i++) {
          acks.add(tablet.apply(mutation(cluster, i)));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(WAIT_MS, TimeUnit.MILLISECONDS);
        for (LocalRaftCluster.Peer p : cluster.peers()) {
          awaitRows(p, cluster, 0, writes + 1);
        }
        long entries = leader.stateMachine.entriesApplied() - entriesBefore;
        assertTrue(entries >= 1 && entries < writes / 2,
            writes + " concurrent writes took " + entries + " log entries: queued writes share entries");
      }
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aReplicaWhoseRecordedIndexLagsReappliesEntriesWithoutRollingBack() throws Exception {
    try (LocalRaftCluster cluster = new LocalRaftCluster(3)) {
      cluster.startAll();
      try (RaftClient client = cluster.newClient()) {
        ReplicatedTablet tablet = new ReplicatedTablet(cluster.tableId, cluster.range, client);
        writeRows(tablet, cluster, 0, 100);
        // Newer versions of rows 0..9: re-applying their first versions must not bring those back.
        for (int i = 0; i < 10; i++) {
          tablet.apply(mutation(cluster, i, 1)).get(WAIT_MS, TimeUnit.MILLISECONDS);
        }
        LocalRaftCluster.Peer follower = awaitFollower(cluster);
        awaitRows(follower, cluster, 0, 10, 1);

        // As if the replica crashed right after its first entries: its recorded index is far behind storage.
        follower.stop();
        Path smDir;
        try (Stream<Path> files = Files.walk(follower.raftDir)) {
          smDir = files.filter(f -> f.getFileName().toString().equals(AppliedIndexFile.FILE_NAME))
              .findFirst().orElseThrow().getParent();
        }
        new AppliedIndexFile(smDir).write(TermIndex.valueOf(1, 3), new long[ConflictVersions.BUCKETS]);
        follower.start(RaftStorage.StartupOption.RECOVER);

        await(() -> follower.stateMachine.entriesApplied() >= 100, "the entries after index 3 are applied again");
        awaitRows(follower, cluster, 0, 10, 1);
        awaitRows(follower, cluster, 10, 100, 0);
      }
    }
  }

  /**
   * A leader handing leadership over refuses requests before acting on them ("stepping down");
   * Ratis' async client hands that refusal back, and it must not reach the writer as a failure of
   * unknown outcome: the tablet sends the request again until the new leader takes it.
   */
  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void requestsDuringALeadershipTransferAreSentAgainNotFailed() throws Exception {
    try (LocalRaftCluster cluster = new LocalRaftCluster(3)) {
      cluster.startAll();
      try (RaftClient client = cluster.newClient(); RaftClient admin = cluster.newClient()) {
        ReplicatedTablet tablet = new ReplicatedTablet(cluster.tableId, cluster.range, client);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger written = new AtomicInteger();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
          while (!stop.get()) {
            int i = written.get();
            tablet.apply(mutation(cluster, i)).join(); // a failed write ends the loop and fails the test
            tablet.readPartition(key(i), ReadRange.all(), Clock.SYSTEM.nowInSeconds(), ReadMode.LINEARIZABLE).join()
                .orElseThrow(() -> new AssertionError("row " + i + " not read back"));
            written.incrementAndGet();
          }
        });
        int transfers = 0;
        for (int attempt = 0; attempt < 10 && transfers < 5; attempt++) {
          LocalRaftCluster.Peer from = awaitLeader(cluster);
          LocalRaftCluster.Peer to = cluster.peers().get((cluster.peers().indexOf(from) + 1) % 3);
          int before = written.get();
          // A leader refuses requests for as long as its transfer lasts (at most its timeout): give
          // the writes room between transfers on a busy machine.
          Await.until(() -> written.get() > before + 20 || writer.isDone(), "writes flow before transfer " + attempt,
              java.time.Duration.ofSeconds(40));
          try {
            if (admin.admin().transferLeadership(to.raftPeer.getId(), 3_000).isSuccess()) {
              transfers++;
            }
          } catch (java.io.IOException e) {
            // Another election got there first (Ratis: DIFFERENT_LEADER); only the writes matter here.
          }
        }
        stop.set(true);
        writer.get(WAIT_MS, TimeUnit.MILLISECONDS);
        assertTrue(transfers >= 3, "leadership moved at least three times: " + transfers);
        assertTrue(written.get() > 20 * transfers, "writes went on through the transfers: " + written.get());
        for (LocalRaftCluster.Peer p : cluster.peers()) {
          awaitRows(p, cluster, 0, written.get());
        }
      }
    }
  }

  /**
   * Storage defers its fsyncs to the Raft log, so a replica may record an applied index (and skip
   * the entries up to it on replay) only once storage has synced: while it cannot, writes are still
   * acknowledged (the log holds them) but no index is recorded.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void anAppliedIndexIsRecordedOnlyAfterStorageSynced() throws Exception {
    AtomicBoolean syncFails = new AtomicBoolean(true);
    AtomicInteger syncs = new AtomicInteger();
    try (LocalRaftCluster cluster = new LocalRaftCluster(1)) {
      cluster.stateMachineStorage = engine -> new SyncHookEngine(engine, () -> {
        syncs.incrementAndGet();
        if (syncFails.get()) {
          throw new IllegalStateException("test: storage cannot sync");
        }
      });
      cluster.startAll();
      LocalRaftCluster.Peer peer = cluster.peers().get(0);
      try (RaftClient client = cluster.newClient()) {
        ReplicatedTablet tablet = new ReplicatedTablet(cluster.tableId, cluster.range, client);
        writeRows(tablet, cluster, 0, 150); // the index is due every 64 entries
        assertTrue(syncs.get() >= 2, "storage was asked to sync before each recording: " + syncs);
        assertTrue(recordedIndex(peer).isEmpty(), "no applied index is recorded while storage cannot sync");
        awaitRows(peer, cluster, 0, 150);

        syncFails.set(false);
        writeRows(tablet, cluster, 150, 160);
        await(() -> recordedIndex(peer).isPresent(), "an applied index is recorded once storage syncs");
        assertTrue(recordedIndex(peer).orElseThrow() >= 150, "recorded " + recordedIndex(peer));
      }
    }
  }

  /** The applied index {@code peer}'s state machine recorded, if any. */
  private static Optional<Long> recordedIndex(LocalRaftCluster.Peer peer) {
    try (Stream<Path> files = Files.walk(peer.raftDir)) {
      Optional<Path> file = files.filter(f -> f.getFileName().toString().equals(AppliedIndexFile.FILE_NAME)).findFirst();
      if (file.isEmpty()) {
        return Optional.empty();
      }
      return new AppliedIndexFile(file.get().getParent()).read().map(r -> r.applied().getIndex());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A peer's engine as its state machine sees it, running {@code beforeSync} on every {@link #sync}. */
  private static final class SyncHookEngine implements StorageEngine {
    private final StorageEngine engine;
    private final Runnable beforeSync;

    SyncHookEngine(StorageEngine engine, Runnable beforeSync) {
      this.engine = engine;
      this.beforeSync = beforeSync;
    }

    @Override
    public void sync() {
      beforeSync.run();
      engine.sync();
    }

    @Override
    public void createTable(java.util.UUID tableId, int tabletCount) {
      engine.createTable(tableId, tabletCount);
    }

    @Override
    public void dropTable(java.util.UUID tableId) {
      engine.dropTable(tableId);
    }

    @Override
    public CompletableFuture<Void> truncate(java.util.UUID tableId) {
      return engine.truncate(tableId);
    }

    @Override
    public List<io.meridian.storage.Tablet> tablets(java.util.UUID tableId) {
      return engine.tablets(tableId);
    }

    @Override
    public io.meridian.storage.Tablet tabletFor(java.util.UUID tableId, long token) {
      return engine.tabletFor(tableId, token);
    }

    @Override
    public CompletableFuture<Void> applyAtomically(List<Mutation> mutations) {
      return engine.applyAtomically(mutations);
    }

    @Override
    public Optional<PartitionData> readPartition(java.util.UUID tableId, PartitionKey key, ReadRange range,
                                                 int nowSeconds) {
      return engine.readPartition(tableId, key, range, nowSeconds);
    }

    @Override
    public PartitionIterator scan(java.util.UUID tableId, io.meridian.storage.TokenRange tokens, PartitionKey after,
                                  ReadRange perPartition, int nowSeconds) {
      return engine.scan(tableId, tokens, after, perPartition, nowSeconds);
    }

    @Override
    public void flush() {
      engine.flush();
    }

    @Override
    public void close() {
      // the peer closes its own engine
    }
  }

  // ------------------------------------------------------------------ helpers

  static LocalRaftCluster.Peer awaitFollower(LocalRaftCluster cluster) throws java.io.IOException {
    LocalRaftCluster.Peer leader = awaitLeader(cluster);
    return cluster.peers().stream().filter(p -> p != leader).findFirst().orElseThrow();
  }

  /**
   * Rows {@code from..to-1}, one log entry each: every write waits for the one before, so none
   * share an entry (see {@link WriteBatcher}) and the tests can count entries.
   */
  static void writeRows(ReplicatedTablet tablet, LocalRaftCluster cluster, int from, int to) throws Exception {
    for (int i = from; i < to; i++) {
      tablet.apply(mutation(cluster, i)).get(WAIT_MS, TimeUnit.MILLISECONDS);
    }
  }

  static Mutation mutation(LocalRaftCluster cluster, int i) {
    return mutation(cluster, i, 0);
  }

  /** Row i, version {@code version}: partition key i (spread over the ring), one cell; later versions are newer. */
  static Mutation mutation(LocalRaftCluster cluster, int i, int version) {
    long timestampMicros = 1_000_000L + version * 1_000_000L + i;
    return new Mutation(cluster.tableId, key(i), DeletionTime.LIVE, List.of(),
        List.of(new RowUpdate(new byte[] {7}, DeletionTime.LIVE, timestampMicros, 0, Cell.NO_DELETION_TIME,
            List.of(Cell.live("v", value(i, version), timestampMicros)))));
  }

  static PartitionKey key(int i) {
    long token = (i + 1) * 0x9E3779B97F4A7C15L; // never Long.MIN_VALUE for these i
    return new PartitionKey(token, ByteBuffer.allocate(4).putInt(i).array());
  }

  static byte[] value(int i, int version) {
    return ByteBuffer.allocate(8).putInt(i * 31).putInt(version).array();
  }

  static void awaitRows(LocalRaftCluster.Peer peer, LocalRaftCluster cluster, int from, int to) {
    awaitRows(peer, cluster, from, to, 0);
  }

  /** Waits until {@code peer} holds rows [from, to), then checks each holds version {@code version}. */
  static void awaitRows(LocalRaftCluster.Peer peer, LocalRaftCluster cluster, int from, int to, int version) {
    await(() -> {
      for (int i = from; i < to; i++) {
        Optional<PartitionData> data = row(peer.engine, cluster, i);
        if (data.isEmpty() || data.get().rows().isEmpty()
            || !Arrays.equals(value(i, version), data.get().rows().get(0).cells().get(0).value())) {
          return false;
        }
      }
      return true;
    }, peer.raftPeer.getId() + " holds version " + version + " of rows [" + from + ", " + to + ")");
    // Re-read after the wait so the failure message names the row and replica.
    for (int i = from; i < to; i++) {
      PartitionData data = row(peer.engine, cluster, i).orElseThrow();
      assertEquals(1, data.rows().size(), "row " + i + " on " + peer.raftPeer.getId());
      assertArrayEquals(value(i, version), data.rows().get(0).cells().get(0).value(), "row " + i + " on " + peer.raftPeer.getId());
    }
  }

  static Optional<PartitionData> row(StorageEngine engine, LocalRaftCluster cluster, int i) {
    return engine.readPartition(cluster.tableId, key(i), ReadRange.all(), Clock.SYSTEM.nowInSeconds());
  }

  static LocalRaftCluster.Peer awaitLeader(LocalRaftCluster cluster) {
    LocalRaftCluster.Peer[] found = new LocalRaftCluster.Peer[1];
    await(() -> {
      try {
        found[0] = cluster.leader().orElse(null);
        return found[0] != null;
      } catch (java.io.IOException e) {
        return false;
      }
    }, "a leader is elected");
    return found[0];
  }

  static void await(BooleanSupplier condition, String what) {
    Await.until(condition, what, java.time.Duration.ofMillis(WAIT_MS));
  }
}
