package io.meridian.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.common.Clock;
import io.meridian.storage.Cell;
import io.meridian.storage.ConditionalWrite;
import io.meridian.storage.DeletionTime;
import io.meridian.storage.Mutation;
import io.meridian.storage.PartitionData;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.ReadRange;
import io.meridian.storage.RowChange;
import io.meridian.storage.RowUpdate;
import io.meridian.storage.StorageEngine;
import io.meridian.storage.TokenRange;
import io.meridian.testsupport.Await;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Reads and conditional writes through a tablet's Raft group: three real Ratis peers in one JVM,
 * each with its own RocksDB engine.
 */
class ReplicatedReadsAndConditionalWritesTest {
  private static final long WAIT_MS = 20_000;
  private static final byte[] ROW = {1};

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void linearizableReadsSeeAcknowledgedWritesFromAnyClientAndFollowerReadsCatchUp() throws Exception {
    try (LocalRaftCluster cluster = new LocalRaftCluster(3);
         RaftClient writerClient = startAndConnect(cluster);
         RaftClient readerClient = cluster.newClient()) {
      ReplicatedTablet writer = new ReplicatedTablet(cluster.tableId, cluster.range, writerClient);
      ReplicatedTablet reader = new ReplicatedTablet(cluster.tableId, cluster.range, readerClient);
      LocalRaftCluster.Peer follower = awaitFollower(cluster);
      ReplicatedTablet followerReader = new ReplicatedTablet(cluster.tableId, cluster.range, readerClient,
          follower.raftPeer.getId(), ConditionalRetry.DEFAULT);

      assertEquals(Optional.empty(), reader.readPartition(key(0), ReadRange.all(), now(), ReadMode.LINEARIZABLE)
          .get(WAIT_MS, TimeUnit.MILLISECONDS), "nothing written yet");
      for (int i = 0; i < 30; i++) {
        writer.apply(counterWrite(cluster, key(i), 100 + i)).get(WAIT_MS, TimeUnit.MILLISECONDS);
        // Acknowledged by one client, read at once by another: a linearizable read must see it.
        Optional<PartitionData> seen =
            reader.readPartition(key(i), ReadRange.all(), now(), ReadMode.LINEARIZABLE).get(WAIT_MS, TimeUnit.MILLISECONDS);
        assertEquals(100 + i, counterValue(seen), "row " + i + " read linearizably right after its write");
      }
      // A stale read from the follower may lag, but it catches up.
      await(() -> {
        try {
          return counterValue(followerReader.readPartition(key(29), ReadRange.all(), now(), ReadMode.ANY_REPLICA)
              .get(WAIT_MS, TimeUnit.MILLISECONDS)) == 129;
        } catch (Exception e) {
          return false;
        }
      }, "the follower's stale read sees the last write");

      // Scans page through every partition in token order, through the group and from the follower.
      for (ReplicatedTablet r : List.of(reader, followerReader)) {
        ReadMode mode = r == reader ? ReadMode.LINEARIZABLE : ReadMode.ANY_REPLICA;
        List<PartitionData> all = new ArrayList<>();
        PartitionKey after = null;
        int pages = 0;
        while (true) {
          ScanPage page = r.scanPage(TokenRange.FULL, after, ReadRange.all(), now(), 7, mode)
              .get(WAIT_MS, TimeUnit.MILLISECONDS);
          pages++;
          assertTrue(page.partitions().size() <= 7, "at most partitionsMax per page");
          all.addAll(page.partitions());
          if (!page.more()) {
            break;
          }
          after = page.partitions().get(page.partitions().size() - 1).key();
        }
        assertEquals(30, all.size(), mode + ": every partition once");
        assertEquals(5, pages, mode + ": 30 partitions in pages of 7");
        for (int i = 1; i < all.size(); i++) {
          assertTrue(all.get(i - 1).key().token() < all.get(i).key().token(), "token order");
        }
      }
      // Part of the ring only: the tokens (0, MAX] hold exactly the keys with positive tokens.
      long positive = Stream.iterate(0, i -> i + 1).limit(30).filter(i -> key(i).token() > 0).count();
      ScanPage half = reader.scanPage(new TokenRange(0, Long.MAX_VALUE), null, ReadRange.all(), now(), 100,
          ReadMode.LINEARIZABLE).get(WAIT_MS, TimeUnit.MILLISECONDS);
      assertEquals(positive, half.partitions().size());
      assertTrue(!half.more());

      ExecutionException badRange = assertThrows(ExecutionException.class,
          () -> reader.scanPage(new TokenRange(5, 5), null, ReadRange.all(), now(), 1, ReadMode.LINEARIZABLE).get());
      assertTrue(badRange.getCause() instanceof IllegalArgumentException, badRange.toString());
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void aFollowerThatAppliedTheLeadersIndexAskedAfterAWriteHoldsThatWrite() throws Exception {
    try (LocalRaftCluster cluster = new LocalRaftCluster(3);
         RaftClient writerClient = startAndConnect(cluster);
         RaftClient readerClient = cluster.newClient()) {
      ReplicatedTablet writer = new ReplicatedTablet(cluster.tableId, cluster.range, writerClient);
      ReplicatedTablet reader = new ReplicatedTablet(cluster.tableId, cluster.range, readerClient);
      LocalRaftCluster.Peer follower = awaitFollower(cluster);
      for (int i = 0; i < 40; i++) {
        writer.apply(counterWrite(cluster, key(i), 200 + i)).get(WAIT_MS, TimeUnit.MILLISECONDS);
        long leaderApplied = reader.leaderStatusAfterNow().get(WAIT_MS, TimeUnit.MILLISECONDS).appliedIndex();
        follower.stateMachine.whenApplied(leaderApplied).get(WAIT_MS, TimeUnit.MILLISECONDS);
        assertTrue(follower.stateMachine.appliedIndex() >= leaderApplied);
        // The follower's own engine, read directly: what a node does with a ONE read it answers itself.
        assertEquals(200 + i, counterValue(read(follower.engine, cluster, key(i))), "row " + i + " on the follower");
      }
      // An index not reached yet: the future waits for it, then completes when a write gets there.
      long next = follower.stateMachine.appliedIndex() + 1;
      CompletableFuture<Void> later = follower.stateMachine.whenApplied(next);
      CompletableFuture<Void> abandoned = follower.stateMachine.whenApplied(next + 1_000_000);
      assertTrue(!later.isDone(), "entry " + next + " is not applied yet");
      abandoned.cancel(false);
      writer.apply(counterWrite(cluster, key(99), 1)).get(WAIT_MS, TimeUnit.MILLISECONDS);
      later.get(WAIT_MS, TimeUnit.MILLISECONDS);
      assertTrue(follower.stateMachine.whenApplied(next).isDone(), "an applied index answers at once");
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void concurrentIncrementsLoseNothingAndOneInsertIfNotExistsWins() throws Exception {
    try (LocalRaftCluster cluster = new LocalRaftCluster(3);
         RaftClient clientA = startAndConnect(cluster);
         RaftClient clientB = cluster.newClient()) {
      // Optimistic writes are not fair: on a loaded 2-core CI machine one of eight writers once lost
      // every race for the default 10 s. The budget is not what this test checks, so it is longer.
      ConditionalRetry patient = new ConditionalRetry(1_000, 1, 50, 60_000);
      List<ReplicatedTablet> tablets = List.of(
          new ReplicatedTablet(cluster.tableId, cluster.range, clientA, null, patient),
          new ReplicatedTablet(cluster.tableId, cluster.range, clientB, null, patient));
      PartitionKey counter = key(1000);
      int threads = 8;
      int perThread = 30;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<List<Long>>> seen = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        ReplicatedTablet tablet = tablets.get(t % 2);
        seen.add(pool.submit(() -> {
          List<Long> results = new ArrayList<>();
          for (int i = 0; i < perThread; i++) {
            results.add(tablet.applyConditionally(counter, ReadRange.all(), now(), increment(cluster, counter))
                .get(70, TimeUnit.SECONDS));
          }
          return results;
        }));
      }
      Set<Long> results = new HashSet<>();
      for (Future<List<Long>> f : seen) {
        results.addAll(f.get(100, TimeUnit.SECONDS));
      }
      pool.shutdown();
      int total = threads * perThread;
      // Each increment saw a different value: no two read the same one and both landed.
      assertEquals(total, results.size(), "every acknowledged increment wrote a distinct value");
      assertEquals(1L, Collections.min(results));
      assertEquals((long) total, Collections.max(results));
      assertEquals(total, counterValue(tablets.get(1).readPartition(counter, ReadRange.all(), now(), ReadMode.LINEARIZABLE)
          .get(WAIT_MS, TimeUnit.MILLISECONDS)));
      awaitSameStateEverywhere(cluster);
      for (LocalRaftCluster.Peer p : cluster.peers()) {
        assertEquals(total, counterValue(read(p.engine, cluster, counter)), "counter on " + p.raftPeer.getId());
      }
      // The writers did collide, and every replica refused the same guarded entries.
      long refused = cluster.peers().get(0).stateMachine.guardedEntriesRefused();
      assertTrue(refused > 0, "eight writers on one counter must have conflicted at least once");
      for (LocalRaftCluster.Peer p : cluster.peers()) {
        await(() -> p.stateMachine.guardedEntriesRefused() == refused, "the same refusals on " + p.raftPeer.getId());
      }

      // Ten writers race to create one row; exactly one wins and its value is what is stored.
      PartitionKey unique = key(2000);
      List<CompletableFuture<Boolean>> racers = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        racers.add(tablets.get(i % 2).applyConditionally(unique, ReadRange.all(), now(),
            insertIfNotExists(cluster, unique, 500 + i)));
      }
      int winners = 0;
      int winner = -1;
      for (int i = 0; i < racers.size(); i++) {
        if (racers.get(i).get(WAIT_MS, TimeUnit.MILLISECONDS)) {
          winners++;
          winner = i;
        }
      }
      assertEquals(1, winners, "exactly one insert-if-not-exists succeeds");
      assertEquals(500 + winner, counterValue(tablets.get(0).readPartition(unique, ReadRange.all(), now(),
          ReadMode.LINEARIZABLE).get(WAIT_MS, TimeUnit.MILLISECONDS)));

      // A decision with no mutations writes nothing; one for another partition is refused; views are not kept.
      assertEquals("no-op", tablets.get(0).applyConditionally(unique, ReadRange.all(), now(),
          current -> ConditionalWrite.Decision.noWrite("no-op")).get(WAIT_MS, TimeUnit.MILLISECONDS));
      ExecutionException foreign = assertThrows(ExecutionException.class, () -> tablets.get(0)
          .applyConditionally(unique, ReadRange.all(), now(),
              current -> new ConditionalWrite.Decision<>(List.of(counterWrite(cluster, key(7), 1)), "x"))
          .get(WAIT_MS, TimeUnit.MILLISECONDS));
      assertTrue(foreign.getCause() instanceof IllegalArgumentException, foreign.toString());
      ExecutionException views = assertThrows(ExecutionException.class, () -> tablets.get(0)
          .applyConditionally(unique, ReadRange.all(), now(), new ConditionalWrite<String>() {
            @Override
            public Decision<String> decide(Optional<PartitionData> current) {
              return Decision.noWrite("x");
            }

            @Override
            public boolean derives() {
              return true;
            }

            @Override
            public List<Mutation> derive(List<RowChange> changes) {
              return List.of();
            }
          }).get(WAIT_MS, TimeUnit.MILLISECONDS));
      assertTrue(views.getCause() instanceof UnsupportedOperationException
          && views.getCause().getMessage().contains("materialized views"), views.toString());
      ExecutionException throwing = assertThrows(ExecutionException.class, () -> tablets.get(0)
          .applyConditionally(unique, ReadRange.all(), now(), current -> {
            throw new IllegalStateException("decide failed");
          }).get(WAIT_MS, TimeUnit.MILLISECONDS));
      assertEquals("decide failed", throwing.getCause().getMessage());
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aMovedVersionIsRefusedOnEveryReplicaAndReplayGivesTheSameVerdicts() throws Exception {
    try (LocalRaftCluster cluster = new LocalRaftCluster(3); RaftClient client = startAndConnect(cluster)) {
      ReplicatedTablet tablet = new ReplicatedTablet(cluster.tableId, cluster.range, client);
      PartitionKey k = key(3000);
      int bucket = ConflictVersions.bucketOf(k);
      long v0 = tablet.readWithVersion(k, ReadRange.all(), now(), ReadMode.LINEARIZABLE)
          .get(WAIT_MS, TimeUnit.MILLISECONDS).bucketVersion();
      assertEquals(0, v0, "a bucket nobody wrote has version 0");

      MutationCodec.Guard guard = new MutationCodec.Guard(bucket, v0);
      assertEquals(ApplyVerdict.APPLIED, tablet.proposeGuarded(guard, List.of(counterWrite(cluster, k, 1)))
          .get(WAIT_MS, TimeUnit.MILLISECONDS));
      // The same guard again: the first entry moved the version, so this one must write nothing,
      // although its timestamp is newer and a blind write would win.
      assertEquals(ApplyVerdict.CONFLICT, tablet.proposeGuarded(guard, List.of(counterWrite(cluster, k, 2)))
          .get(WAIT_MS, TimeUnit.MILLISECONDS));
      assertEquals(ApplyVerdict.CONFLICT, tablet.proposeGuarded(new MutationCodec.Guard(bucket, 123_456L),
          List.of(counterWrite(cluster, k, 3))).get(WAIT_MS, TimeUnit.MILLISECONDS));
      long v1 = tablet.readWithVersion(k, ReadRange.all(), now(), ReadMode.LINEARIZABLE)
          .get(WAIT_MS, TimeUnit.MILLISECONDS).bucketVersion();
      assertTrue(v1 > 0, "the applied guarded entry set the version to its log index");
      assertEquals(ApplyVerdict.APPLIED, tablet.proposeGuarded(new MutationCodec.Guard(bucket, v1),
          List.of(counterWrite(cluster, k, 4))).get(WAIT_MS, TimeUnit.MILLISECONDS));
      // A guard that names another bucket than its partition's never reaches the log.
      ExecutionException wrongBucket = assertThrows(ExecutionException.class, () -> tablet.proposeGuarded(
          new MutationCodec.Guard((bucket + 1) % ConflictVersions.BUCKETS, 0), List.of(counterWrite(cluster, k, 5)))
          .get(WAIT_MS, TimeUnit.MILLISECONDS));
      assertTrue(wrongBucket.getCause() instanceof ReplicatedWriteException, wrongBucket.toString());

      // Plus some increments and blind writes, so the log mixes entry kinds.
      for (int i = 0; i < 20; i++) {
        tablet.applyConditionally(key(3001), ReadRange.all(), now(), increment(cluster, key(3001)))
            .get(WAIT_MS, TimeUnit.MILLISECONDS);
        tablet.apply(counterWrite(cluster, key(i), i)).get(WAIT_MS, TimeUnit.MILLISECONDS);
      }
      awaitSameStateEverywhere(cluster);
      for (LocalRaftCluster.Peer p : cluster.peers()) {
        assertEquals(4, counterValue(read(p.engine, cluster, k)), "refused entries wrote nothing on " + p.raftPeer.getId());
        await(() -> p.stateMachine.guardedEntriesRefused() == 2, "two refusals on " + p.raftPeer.getId());
      }

      // Restart one follower normally (entries after its recorded index are replayed) and the other
      // from a format 1 index file (no versions: the whole log is replayed and every guard re-judged).
      LocalRaftCluster.Peer leader = awaitLeader(cluster);
      List<LocalRaftCluster.Peer> followers = cluster.peers().stream().filter(p -> p != leader).toList();
      long leaderApplied = leader.stateMachine.entriesApplied();
      LocalRaftCluster.Peer rejudged = followers.get(1);
      for (LocalRaftCluster.Peer f : followers) {
        f.stop();
      }
      new AppliedIndexFile(smDir(followers.get(0))).read().orElseThrow(); // recorded with versions
      new AppliedIndexFile(smDir(rejudged)).writeFormat1(TermIndex.valueOf(1, 1));
      for (LocalRaftCluster.Peer f : followers) {
        f.start(RaftStorage.StartupOption.RECOVER);
      }
      await(() -> rejudged.stateMachine.entriesApplied() >= leaderApplied, "the whole log is applied again");
      assertEquals(2, rejudged.stateMachine.guardedEntriesRefused(), "replay refuses the same two entries");
      assertEquals(leaderApplied, rejudged.stateMachine.entriesApplied(), "and applies the same ones");
      awaitSameStateEverywhere(cluster);

      // The group keeps deciding after the restarts.
      assertEquals(21L, tablet.applyConditionally(key(3001), ReadRange.all(), now(), increment(cluster, key(3001)))
          .get(WAIT_MS, TimeUnit.MILLISECONDS));
      awaitSameStateEverywhere(cluster);
    }
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void incrementsAcknowledgedAcrossALeaderLossAreAllKeptAndWritesResume() throws Exception {
    try (LocalRaftCluster cluster = new LocalRaftCluster(3); RaftClient client = startAndConnect(cluster)) {
      ReplicatedTablet tablet = new ReplicatedTablet(cluster.tableId, cluster.range, client);
      PartitionKey counter = key(4000);
      AtomicInteger acknowledged = new AtomicInteger();
      AtomicInteger unknown = new AtomicInteger();
      AtomicInteger acknowledgedAfterLoss = new AtomicInteger();
      AtomicBoolean leaderStopped = new AtomicBoolean();
      Set<Long> results = Collections.synchronizedSet(new HashSet<>());
      int threads = 4;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> loops = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        loops.add(pool.submit(() -> {
          while (acknowledgedAfterLoss.get() < 60) {
            try {
              long value = tablet.applyConditionally(counter, ReadRange.all(), now(), increment(cluster, counter))
                  .get(WAIT_MS, TimeUnit.MILLISECONDS);
              assertTrue(results.add(value), "two acknowledged increments wrote " + value);
              acknowledged.incrementAndGet();
              if (leaderStopped.get()) {
                acknowledgedAfterLoss.incrementAndGet();
              }
            } catch (ExecutionException e) {
              // Outcome unknown (or gave up): it may or may not have landed.
              assertTrue(e.getCause() instanceof ReplicatedWriteException w
                  && w.writeType() == ReplicatedWriteException.WriteType.CAS, e.toString());
              unknown.incrementAndGet();
            }
          }
          return null;
        }));
      }
      await(() -> acknowledged.get() >= 40, "increments before the leader goes");
      LocalRaftCluster.Peer oldLeader = awaitLeader(cluster);
      oldLeader.stop();
      leaderStopped.set(true);
      for (Future<?> f : loops) {
        f.get(120, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertNotEquals(oldLeader, awaitLeader(cluster));
      long value = counterValue(tablet.readPartition(counter, ReadRange.all(), now(), ReadMode.LINEARIZABLE)
          .get(WAIT_MS, TimeUnit.MILLISECONDS));
      assertTrue(value >= acknowledged.get() && value <= acknowledged.get() + unknown.get(),
          "counter " + value + " keeps every one of " + acknowledged.get() + " acknowledged increments (and at most "
              + unknown.get() + " unknown ones)");
      assertTrue(acknowledgedAfterLoss.get() >= 60, "writes resumed under the new leader");
    }
  }

  // ------------------------------------------------------------------ conditional writes used above

  /** Reads the counter (0 if absent), writes value + 1 with a timestamp that grows with the value. */
  private static ConditionalWrite<Long> increment(LocalRaftCluster cluster, PartitionKey key) {
    return current -> {
      long next = counterValue(current) + 1;
      return new ConditionalWrite.Decision<>(List.of(counterWrite(cluster, key, next)), next);
    };
  }

  private static ConditionalWrite<Boolean> insertIfNotExists(LocalRaftCluster cluster, PartitionKey key, long value) {
    return current -> current.isPresent() && !current.get().rows().isEmpty()
        ? ConditionalWrite.Decision.noWrite(false)
        : new ConditionalWrite.Decision<>(List.of(counterWrite(cluster, key, value)), true);
  }

  // ------------------------------------------------------------------ helpers

  private static Mutation counterWrite(LocalRaftCluster cluster, PartitionKey key, long value) {
    long timestampMicros = 1_000_000L + value;
    return new Mutation(cluster.tableId, key, DeletionTime.LIVE, List.of(),
        List.of(new RowUpdate(ROW, DeletionTime.LIVE, timestampMicros, 0, Cell.NO_DELETION_TIME,
            List.of(Cell.live("c", ByteBuffer.allocate(8).putLong(value).array(), timestampMicros)))));
  }

  private static long counterValue(Optional<PartitionData> data) {
    if (data.isEmpty() || data.get().rows().isEmpty()) {
      return 0;
    }
    return ByteBuffer.wrap(data.get().rows().get(0).cells().get(0).value()).getLong();
  }

  private static PartitionKey key(int i) {
    long token = (i + 1) * 0x9E3779B97F4A7C15L;
    return new PartitionKey(token, ByteBuffer.allocate(4).putInt(i).array());
  }

  private static int now() {
    return Clock.SYSTEM.nowInSeconds();
  }

  private static Optional<PartitionData> read(StorageEngine engine, LocalRaftCluster cluster, PartitionKey key) {
    return engine.readPartition(cluster.tableId, key, ReadRange.all(), now());
  }

  /** Every partition of the replica's engine, encoded: equal bytes mean equal cells, timestamps and TTLs. */
  private static byte[] engineState(LocalRaftCluster.Peer peer, LocalRaftCluster cluster) {
    List<PartitionData> all = new ArrayList<>();
    try (StorageEngine.PartitionIterator it = peer.engine.scan(cluster.tableId, TokenRange.FULL, null, ReadRange.all(), now())) {
      it.forEachRemaining(all::add);
    }
    return ReadCodec.encodeScanPage(all, false, Integer.MAX_VALUE);
  }

  /** Waits until every running replica holds the same data and the same visible conflict versions. */
  private static void awaitSameStateEverywhere(LocalRaftCluster cluster) {
    await(() -> {
      byte[] first = null;
      long[] versions = null;
      for (LocalRaftCluster.Peer p : cluster.peers()) {
        if (!p.running()) {
          continue;
        }
        byte[] state = engineState(p, cluster);
        long[] v = p.stateMachine.visibleVersions();
        if (first == null) {
          first = state;
          versions = v;
        } else if (!java.util.Arrays.equals(first, state) || !java.util.Arrays.equals(versions, v)) {
          return false;
        }
      }
      return true;
    }, "every replica holds the same data and conflict versions");
    byte[] expected = engineState(cluster.peers().get(0), cluster);
    for (LocalRaftCluster.Peer p : cluster.peers()) {
      assertArrayEquals(expected, engineState(p, cluster), "state of " + p.raftPeer.getId());
    }
  }

  private static Path smDir(LocalRaftCluster.Peer peer) throws java.io.IOException {
    try (Stream<Path> files = Files.walk(peer.raftDir)) {
      return files.filter(f -> f.getFileName().toString().equals(AppliedIndexFile.FILE_NAME))
          .findFirst().orElseThrow().getParent();
    }
  }

  private static RaftClient startAndConnect(LocalRaftCluster cluster) throws java.io.IOException {
    cluster.startAll();
    return cluster.newClient();
  }

  private static LocalRaftCluster.Peer awaitFollower(LocalRaftCluster cluster) {
    LocalRaftCluster.Peer leader = awaitLeader(cluster);
    return cluster.peers().stream().filter(p -> p != leader).findFirst().orElseThrow();
  }

  private static LocalRaftCluster.Peer awaitLeader(LocalRaftCluster cluster) {
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

  private static void await(BooleanSupplier condition, String what) {
    Await.until(condition, what, java.time.Duration.ofMillis(WAIT_MS));
  }
}
