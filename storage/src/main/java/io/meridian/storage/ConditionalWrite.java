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
 * @param <T> what the caller learns (for example whether the condition held and the row it saw)
 */
@FunctionalInterface
public interface ConditionalWrite<T> {
  Decision<T> decide(Optional<PartitionData> current);

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
