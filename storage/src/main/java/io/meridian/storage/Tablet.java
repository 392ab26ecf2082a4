package io.meridian.storage;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A token range of one table and its log-apply interface. Every mutation reaches storage through
 * {@link #apply}: on one node that is a local durable commit; with replication it becomes the
 * tablet's Raft log. The returned future completes only after the mutation is durable per the
 * configured commit policy.
 */
public interface Tablet {
  TokenRange range();

  CompletableFuture<Void> apply(Mutation mutation);
}
