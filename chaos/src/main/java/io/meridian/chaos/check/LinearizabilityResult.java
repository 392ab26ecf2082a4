package io.meridian.chaos.check;

import java.util.List;

/** The verdict over all registers of a history, with the per-key results. */
public record LinearizabilityResult(Verdict verdict, List<KeyResult> keys) {

    public LinearizabilityResult {
        keys = List.copyOf(keys);
    }

    public String summary() {
        StringBuilder b = new StringBuilder("linearizability: ").append(verdict)
            .append(" (").append(keys.size()).append(" registers)");
        for (KeyResult k : keys) {
            if (k.verdict() != Verdict.VALID) {
                b.append("\n  ").append(k.verdict()).append(' ').append(k.explanation());
            }
        }
        return b.toString();
    }
}
