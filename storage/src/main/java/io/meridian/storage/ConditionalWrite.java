package io.meridian.storage;

import java.util.List;
import java.util.Optional;

/**
 * A read-decide-write step on one partition: the tablet reads the partition, calls
 * {@link #decide} and applies the mutations it returns, with no other write to the tablet in
 * between. Lightweight transactions, counter updates and list operations that need the current
 * list are built on it.
 *
 * <p>{@code decide} runs on the tablet's apply thread, in log order, so it must be quick, must not
 * block and must not call back into storage. It must be deterministic given the partition it is
 * handed: once tablets are replicated the same step is replayed by every replica's state machine.
 *
 * <p>A step may also derive writes from the change it makes ({@link #derive}): the tablet works out
 * how every row the decision touches changes and lands the decision's mutations and the derived
 * ones in one atomic batch. Materialized views are kept in sync this way.
 *
 * @param <T> what the caller learns (for example whether the condition held and the row it saw)
 */
@FunctionalInterface
public interface ConditionalWrite<T> {
  Decision<T> decide(Optional<PartitionData> current);

  /**
   * Whether {@link #derive} must be called. When true, the range read must cover every row the
   * decision can change (the whole partition if it may delete the partition or a range), so each
   * change's {@code before} is known.
   */
  default boolean derives() {
    return false;
  }

  /**
   * Second phase, called only when {@link #derives} and the decision writes something: given how
   * each touched row changes (rows of the decision's row updates, plus the rows read that its
   * partition deletion or range tombstones cover), returns more mutations to apply atomically with
   * the decision's. They may be for any table and partition. Same rules as {@code decide}: quick,
   * non-blocking, deterministic, no calls into storage.
   */
  default List<Mutation> derive(List<RowChange> changes) {
    return List.of();
  }

  /**
   * The mutations to apply (all on the partition that was read; empty for none) and the result
   * handed back once they are durable.
   */
  record Decision<T>(List<Mutation> mutations, T result) {
    public Decision {
      mutations = List.copyOf(mutations);
    }

    public static <T> Decision<T> noWrite(T result) {
      return new Decision<>(List.of(), result);
    }
  }
}
