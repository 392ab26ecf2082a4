package io.meridian.chaos.check;

/** A checker's answer. */
public enum Verdict {
    VALID,
    INVALID,
    /** The checker ran out of its time or memory budget, or lacked the data to decide. */
    UNKNOWN;

    /** Combines per-key verdicts: any invalid key makes the whole invalid, then any unknown. */
    public Verdict and(Verdict other) {
        if (this == INVALID || other == INVALID) {
            return INVALID;
        }
        if (this == UNKNOWN || other == UNKNOWN) {
            return UNKNOWN;
        }
        return VALID;
    }
}
