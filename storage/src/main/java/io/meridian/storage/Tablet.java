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

  /**
   * Reads {@code range} of partition {@code key} (expiry judged at {@code nowSeconds}), lets
   * {@code write} decide, and applies what it returns, ordered with every other write of the
   * tablet: no write lands between the read and the decision's mutations. The future completes
   * with the decision's result once its mutations are durable; it fails if {@code decide} throws.
   */
  <T> CompletableFuture<T> applyConditionally(PartitionKey key, ReadRange range, int nowSeconds,
                                              ConditionalWrite<T> write);
}
