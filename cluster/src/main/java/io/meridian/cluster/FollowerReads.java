package io.meridian.cluster;

import io.meridian.replication.ReadCodec;
import io.meridian.replication.ReplicatedTablet;
import io.meridian.replication.TabletStateMachine;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * ONE reads answered by this node's follower replica of a tablet, with the guarantee of a read at
 * the leader: the read sees every write acknowledged before it arrived.
 *
 * <p>The leader applies a write before acknowledging it, so the leader's applied index, asked
 * after the read arrived, covers every such write; once this replica has applied up to that index,
 * the local engine holds them too. Asking is a round trip to the leader, but a small one with no
 * rows in it, and reads that arrive while a question is out share the next question
 * ({@link ReplicatedTablet#leaderStatusAfterNow}): under load one round trip serves many reads,
 * where forwarding sends each read and its rows through the leader's Raft server.
 *
 * <p>When the leader does not answer, or this replica does not catch up, within {@link #WAIT_MS},
 * the read is forwarded to the leader instead, as are reads of a sealed tablet (so they are
 * refused and go to the split's halves).
 */
final class FollowerReads {
  /** Longest wait for the leader's index and this replica's catching up before forwarding the read. */
  static final long WAIT_MS = 200;

  private final ClusterNode node;
  private final AtomicLong served = new AtomicLong();
  private final AtomicLong forwarded = new AtomicLong();

  FollowerReads(ClusterNode node) {
    this.node = node;
  }

  /**
   * Completes with this node's follower replica of the tablet once it holds every write
   * acknowledged before this call; with null (at once, or after at most {@link #WAIT_MS}) when it
   * has no such replica or cannot tell, and the read goes to the leader. It never fails. It
   * completes on the thread that answered (the Raft client's, the replica's applier, a timer), so
   * callers do their reads elsewhere.
   */
  CompletableFuture<LocalReplica> caughtUp(UUID tableId, int tabletId, Supplier<ReplicatedTablet> tablet) {
    TabletStateMachine replica = node.followedTabletStateMachine(tableId, tabletId);
    if (replica == null) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<LocalReplica> answers;
    try {
      answers = awaitLeadersIndex(replica, tablet.get())
          // Still a running, unsealed follower (not, say, pausing for a snapshot) after the wait.
          .thenApply(applied -> applied && node.followedTabletStateMachine(tableId, tabletId) == replica
              ? LocalReplica.of(replica) : null)
          .exceptionally(e -> null);
    } catch (RuntimeException e) {
      answers = CompletableFuture.completedFuture(null);
    }
    return answers.thenApply(here -> {
      (here != null ? served : forwarded).incrementAndGet();
      return here;
    });
  }

  /** True once {@code replica} applied the leader's index asked now, within {@link #WAIT_MS}; false if sealed. */
  private static CompletableFuture<Boolean> awaitLeadersIndex(TabletStateMachine replica, ReplicatedTablet tablet) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
    // A copy: the answer is shared with other reads, which must not see this read's timeout.
    return tablet.leaderStatusAfterNow().copy().orTimeout(WAIT_MS, TimeUnit.MILLISECONDS).thenCompose(leader -> {
      if (leader.sealedSplitToken() != null) {
        return CompletableFuture.completedFuture(false);
      }
      // Timing out completes this read's own waiter, which the replica then drops.
      return replica.whenApplied(leader.appliedIndex())
          .orTimeout(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
          .thenApply(v -> true);
    });
  }

  /** Reads this node's follower replicas answered themselves. */
  long served() {
    return served.get();
  }

  /** Reads a follower replica here could not answer in time (or at all), sent to the leader. */
  long forwarded() {
    return forwarded.get();
  }
}
