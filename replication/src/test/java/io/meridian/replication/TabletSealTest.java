package io.meridian.replication;

import static io.meridian.replication.ReplicatedTabletTest.WAIT_MS;
import static io.meridian.replication.ReplicatedTabletTest.awaitFollower;
import static io.meridian.replication.ReplicatedTabletTest.awaitRows;
import static io.meridian.replication.ReplicatedTabletTest.mutation;
import static io.meridian.replication.ReplicatedTabletTest.row;
import static io.meridian.replication.ReplicatedTabletTest.writeRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.common.Clock;
import io.meridian.common.CqlErrorCode;
import io.meridian.storage.ConditionalWrite;
import io.meridian.storage.ReadRange;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.server.storage.RaftStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A tablet sealed for a split refuses every data request on every replica, and stays sealed across restarts. */
class TabletSealTest {

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void aSealedTabletRefusesWritesAndReadsOnEveryReplicaAndStaysSealedAfterARestart() throws Exception {
    try (LocalRaftCluster cluster = new LocalRaftCluster(3)) {
      cluster.startAll();
      try (RaftClient client = cluster.newClient()) {
        ReplicatedTablet tablet = new ReplicatedTablet(cluster.tableId, cluster.range, client);
        writeRows(tablet, cluster, 0, 50);
        ReadCodec.TabletStatus before = tablet.status().get(WAIT_MS, TimeUnit.MILLISECONDS);
        assertNull(before.sealedSplitToken());
        assertTrue(before.appliedIndex() >= 50, "applied " + before.appliedIndex());

        long sealIndex = tablet.seal(12345L).get(WAIT_MS, TimeUnit.MILLISECONDS);
        // Every replica reports the seal once it has applied the entry, and still holds every row before it.
        for (LocalRaftCluster.Peer p : cluster.peers()) {
          ReadCodec.TabletStatus s = tablet.status(p.raftPeer.getId(), sealIndex).get(WAIT_MS, TimeUnit.MILLISECONDS);
          assertEquals(12345L, s.sealedSplitToken(), "replica " + p.raftPeer.getId());
          assertTrue(s.appliedIndex() >= sealIndex);
          awaitRows(p, cluster, 0, 50);
        }

        // Writes, reads, conditional writes and truncation are refused without effect.
        assertSealed(tablet.apply(mutation(cluster, 50)));
        assertSealed(tablet.applyAtomically(List.of(mutation(cluster, 51), mutation(cluster, 52))));
        assertSealed(tablet.truncate());
        assertSealed(tablet.readPartition(ReplicatedTabletTest.key(3), ReadRange.all(), Clock.SYSTEM.nowInSeconds(),
            ReadMode.LINEARIZABLE));
        assertSealed(tablet.scanPage(cluster.range, null, ReadRange.all(), Clock.SYSTEM.nowInSeconds(), 10,
            ReadMode.LEADER));
        assertSealed(tablet.applyConditionally(ReplicatedTabletTest.key(4), ReadRange.all(),
            Clock.SYSTEM.nowInSeconds(),
            current -> new ConditionalWrite.Decision<>(List.of(mutation(cluster, 4, 9)), true)));
        for (LocalRaftCluster.Peer p : cluster.peers()) {
          for (int i = 50; i < 53; i++) {
            assertTrue(row(p.engine, cluster, i).isEmpty(), "row " + i + " written after the seal on "
                + p.raftPeer.getId());
          }
          awaitRows(p, cluster, 0, 50); // the truncation removed nothing; the cas wrote nothing
          assertTrue(p.stateMachine.isSealed());
        }

        // Sealing again at the same token is fine (a coordinator resuming); at another it is refused.
        assertTrue(tablet.seal(12345L).get(WAIT_MS, TimeUnit.MILLISECONDS) > sealIndex);
        assertSealed(tablet.seal(777L));

        // A replica restarted after recording an applied index past the seal does not replay it:
        // the seal file keeps it sealed.
        LocalRaftCluster.Peer follower = awaitFollower(cluster);
        follower.stop();
        follower.start(RaftStorage.StartupOption.RECOVER);
        assertTrue(follower.stateMachine.isSealed(), "sealed again as soon as it starts");
        ReadCodec.TabletStatus after = tablet.status(follower.raftPeer.getId(), sealIndex)
            .get(WAIT_MS, TimeUnit.MILLISECONDS);
        assertEquals(12345L, after.sealedSplitToken());
        assertSealed(tablet.apply(mutation(cluster, 60)));
      }
    }
  }

  @Test
  void aSealOutsideTheTabletIsRefusedBeforeItIsSent() throws Exception {
    try (LocalRaftCluster cluster = new LocalRaftCluster(1)) {
      cluster.startAll();
      try (RaftClient client = cluster.newClient()) {
        ReplicatedTablet tablet = new ReplicatedTablet(cluster.tableId, new io.meridian.storage.TokenRange(0, 100), client);
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
            () -> tablet.seal(100).get(WAIT_MS, TimeUnit.MILLISECONDS));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
      }
    }
  }

  private static void assertSealed(CompletableFuture<?> request) {
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> request.get(WAIT_MS, TimeUnit.MILLISECONDS));
    TabletSealedException sealed = assertInstanceOf(TabletSealedException.class, e.getCause());
    assertEquals(CqlErrorCode.OVERLOADED, sealed.code());
    assertTrue(sealed.getMessage().contains("being split"), sealed.getMessage());
  }
}
