package io.meridian.replication;

import io.meridian.storage.ConditionalWrite;
import io.meridian.storage.Mutation;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.ReadRange;
import io.meridian.storage.Tablet;
import io.meridian.storage.TokenRange;
import io.meridian.storage.MutationChecks;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * A tablet whose writes go through its Raft group: {@link #apply} appends the mutation to the
 * group's log and completes once the entry is committed (on a majority) and applied to the
 * leader's storage by {@link TabletStateMachine}. Followers apply it on their own shortly after.
 *
 * <p>Retries after a lost leader are made by the Raft client with the same call id, and Ratis'
 * retry cache answers a retried call that was already applied, so a retry never writes twice.
 */
public final class ReplicatedTablet implements Tablet {
  private final UUID tableId;
  private final TokenRange range;
  private final RaftClient client;

  public ReplicatedTablet(UUID tableId, TokenRange range, RaftClient client) {
    this.tableId = tableId;
    this.range = range;
    this.client = client;
  }

  @Override
  public TokenRange range() {
    return range;
  }

  @Override
  public CompletableFuture<Void> apply(Mutation mutation) {
    return applyAtomically(List.of(mutation));
  }

  /**
   * Applies several mutations of this tablet as one log entry: all or none (a logged batch whose
   * partitions all live in this tablet).
   */
  public CompletableFuture<Void> applyAtomically(List<Mutation> mutations) {
    byte[] entry;
    try {
      for (Mutation m : mutations) {
        // Refused here, not in the log: storage would refuse it on every replica.
        MutationChecks.validate(m);
        if (!m.tableId().equals(tableId) || !range.contains(m.key().token())) {
          throw new IllegalArgumentException("mutation for table " + m.tableId()
              + " token " + m.key().token() + " sent to tablet " + range + " of table " + tableId);
        }
      }
      entry = MutationCodec.encode(mutations);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<RaftClientReply> sent;
    try {
      sent = client.async().send(Message.valueOf(UnsafeByteOperations.unsafeWrap(entry)));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return sent.handle((reply, error) -> {
      if (error != null) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        throw new ReplicatedWriteException("replicated write to tablet " + range + " of table " + tableId
            + " has an unknown outcome: " + cause, cause);
      }
      if (!reply.isSuccess()) {
        throw new ReplicatedWriteException("replicated write to tablet " + range + " of table " + tableId
            + " was not confirmed: " + reply.getException(), reply.getException());
      }
      return null;
    });
  }

  /**
   * Not yet: a read-decide-write step must itself become a log entry (a serializable command that
   * every replica's state machine decides the same way), which needs the decision encoded rather
   * than a Java callback.
   */
  @Override
  public <T> CompletableFuture<T> applyConditionally(PartitionKey key, ReadRange readRange, int nowSeconds,
                                                     ConditionalWrite<T> write) {
    throw new UnsupportedOperationException("conditional writes (lightweight transactions, counters, list "
        + "operations by index) are not replicated yet: they need the decision as a serializable log command");
  }
}
