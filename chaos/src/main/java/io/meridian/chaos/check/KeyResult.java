package io.meridian.chaos.check;

/**
 * The linearizability verdict for one register.
 *
 * @param key         the register
 * @param verdict     valid: some linearization exists; invalid: none does; unknown: budget exceeded
 * @param opsChecked  operations that took part in the search (after dropping failed ops, unknown reads
 *                    and unknown writes of values nobody observed)
 * @param configurationsExplored distinct (linearized set, state) pairs visited
 * @param explanation for an invalid or unknown key, what went wrong; empty otherwise
 */
public record KeyResult(String key, Verdict verdict, int opsChecked, long configurationsExplored,
                        String explanation) {
}
