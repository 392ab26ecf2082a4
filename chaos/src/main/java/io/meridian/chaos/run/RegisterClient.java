package io.meridian.chaos.run;

import java.util.List;

/**
 * The operations a workload client performs, each a single request. Implementations throw the
 * driver's exceptions unchanged so that {@link OutcomeClassifier} can judge them.
 */
public interface RegisterClient extends AutoCloseable {

    /**
     * The answer of a conditional write: applied or not, and when not, the value the register held
     * when the condition was evaluated (null: the register did not exist), and the node that
     * coordinated the request if known (for people reading the history).
     */
    record CasResult(boolean applied, Long current, String coordinator) {
        public CasResult(boolean applied, Long current) {
            this(applied, current, null);
        }
    }

    /** Linearizable read of a register; null when the register does not exist. */
    Long read(String key) throws Exception;

    /** Sets the register; false if it was refused (the register did not exist yet). */
    boolean write(String key, long value) throws Exception;

    /** Sets the register to {@code value} if it holds {@code expected} (null: does not exist yet). */
    CasResult cas(String key, Long expected, long value) throws Exception;

    /** Adds a value, never added before, to a set. */
    void insert(String set, long value) throws Exception;

    /** Every value of a set. */
    List<Long> readSet(String set) throws Exception;

    /** The nodes {@link #readSetAtOne} can be sent to; none if the client cannot pick one. */
    default List<String> nodes() {
        return List.of();
    }

    /** Every value of a set, read at consistency ONE through {@code node} (one of {@link #nodes}). */
    default List<Long> readSetAtOne(String set, String node) throws Exception {
        throw new UnsupportedOperationException("this client cannot read through a chosen node");
    }

    @Override
    void close();
}
