package io.meridian.chaos.history;

/** What a client asked for. */
public enum OpKind {
    /** Read of one register; {@link Op#value()} is the value seen (null: absent). */
    READ,
    /** Unconditional write of {@link Op#value()} to one register. */
    WRITE,
    /** Compare-and-set: {@link Op#expected()} (null: absent) to {@link Op#value()}; ok means applied. */
    CAS,
    /** Insert of a value that is never inserted twice, into the set named by {@link Op#key()}. */
    INSERT_UNIQUE,
    /** Read of a whole set after the faults are healed; {@link Op#values()} is what it held. */
    READ_SET,
    /**
     * Read of a whole set at consistency ONE through one node (named in {@link Op#note()}), after
     * the {@link #READ_SET}s: each node answers from its own replica when it can.
     */
    READ_SET_ONE
}
