package io.meridian.chaos.check;

import io.meridian.chaos.history.History;
import io.meridian.chaos.history.Op;
import io.meridian.chaos.history.OpKind;
import io.meridian.chaos.history.Outcome;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Checks the unique-insert workload: every insert acknowledged ok must be in the final read of its
 * set, made after the faults were healed. Inserts of unknown outcome may be there or not. A value in
 * the final read that no insert attempted, one whose insert definitely failed, or one read twice, is
 * an anomaly too.
 */
public final class LostWriteChecker {

    /** What the check found for one set. */
    public record SetResult(String set, Verdict verdict, int acknowledged, int unknownPresent, int unknownAbsent,
                            List<Long> lost, List<Long> unexpected, List<Long> failedButPresent,
                            List<Long> duplicated, String explanation) {
    }

    /** The verdict over all sets. */
    public record Result(Verdict verdict, List<SetResult> sets) {
        public String summary() {
            StringBuilder b = new StringBuilder("lost writes: ").append(verdict).append(" (").append(sets.size())
                .append(" sets)");
            for (SetResult s : sets) {
                b.append("\n  ").append(s.set()).append(": ").append(s.verdict()).append(", ")
                    .append(s.acknowledged()).append(" acknowledged, ").append(s.unknownPresent())
                    .append(" unknown present, ").append(s.unknownAbsent()).append(" unknown absent");
                if (!s.explanation().isEmpty()) {
                    b.append("; ").append(s.explanation());
                }
            }
            return b.toString();
        }
    }

    public Result check(History history) {
        Map<String, List<Op>> inserts = history.byKey(OpKind.INSERT_UNIQUE);
        Map<String, List<Op>> reads = history.byKey(OpKind.READ_SET);
        Map<String, List<Op>> readsAtOne = history.byKey(OpKind.READ_SET_ONE);
        Map<String, Boolean> sets = new LinkedHashMap<>();
        inserts.keySet().forEach(k -> sets.put(k, true));
        reads.keySet().forEach(k -> sets.put(k, true));
        List<SetResult> results = new ArrayList<>();
        Verdict verdict = Verdict.VALID;
        for (String set : sets.keySet()) {
            SetResult r = checkSet(set, inserts.getOrDefault(set, List.of()), reads.getOrDefault(set, List.of()),
                readsAtOne.getOrDefault(set, List.of()));
            results.add(r);
            verdict = verdict.and(r.verdict());
        }
        return new Result(verdict, results);
    }

    private SetResult checkSet(String set, List<Op> inserts, List<Op> reads, List<Op> readsAtOne) {
        Map<Long, Outcome> attempted = new HashMap<>();
        for (Op op : inserts) {
            Outcome previous = attempted.put(op.value(), op.outcome());
            if (previous != null) {
                throw new IllegalArgumentException("value " + op.value() + " inserted twice into " + set
                    + "; the workload must insert unique values");
            }
        }
        int acknowledged = (int) inserts.stream().filter(o -> o.outcome() == Outcome.OK).count();
        Optional<Op> finalRead = reads.stream().filter(o -> o.outcome() == Outcome.OK)
            .max(Comparator.comparingLong(Op::completeNanos));
        if (finalRead.isEmpty()) {
            return new SetResult(set, Verdict.UNKNOWN, acknowledged, 0, 0, List.of(), List.of(), List.of(), List.of(),
                "no successful final read");
        }
        Anomalies found = anomalies(attempted, finalRead.get().values());
        List<String> problems = found.describe("");
        // Every ONE read made after it, through each node, is held to the same bar.
        for (Op one : readsAtOne) {
            if (one.outcome() == Outcome.OK) {
                problems.addAll(anomalies(attempted, one.values()).describe(one.note() + ": "));
            }
        }
        Verdict verdict = problems.isEmpty() ? Verdict.VALID : Verdict.INVALID;
        return new SetResult(set, verdict, acknowledged, found.unknownPresent, found.unknownAbsent,
            List.copyOf(found.lost), List.copyOf(found.unexpected), List.copyOf(found.failedButPresent),
            List.copyOf(found.duplicated), String.join("; ", problems));
    }

    /** What one read of a set shows against the inserts attempted. */
    private static final class Anomalies {
        final TreeSet<Long> lost = new TreeSet<>();
        final TreeSet<Long> unexpected = new TreeSet<>();
        final TreeSet<Long> failedButPresent = new TreeSet<>();
        final TreeSet<Long> duplicated = new TreeSet<>();
        int unknownPresent;
        int unknownAbsent;

        List<String> describe(String prefix) {
            List<String> problems = new ArrayList<>();
            LostWriteChecker.describe(problems, prefix, "lost (acknowledged, not read)", lost);
            LostWriteChecker.describe(problems, prefix, "never inserted", unexpected);
            LostWriteChecker.describe(problems, prefix, "insert failed yet present", failedButPresent);
            LostWriteChecker.describe(problems, prefix, "read more than once", duplicated);
            return problems;
        }
    }

    private static Anomalies anomalies(Map<Long, Outcome> attempted, List<Long> read) {
        Anomalies found = new Anomalies();
        Map<Long, Integer> seen = new HashMap<>();
        for (Long v : read) {
            seen.merge(v, 1, Integer::sum);
        }
        for (Map.Entry<Long, Outcome> a : attempted.entrySet()) {
            boolean present = seen.containsKey(a.getKey());
            switch (a.getValue()) {
                case OK -> {
                    if (!present) {
                        found.lost.add(a.getKey());
                    }
                }
                case INFO -> {
                    if (present) {
                        found.unknownPresent++;
                    } else {
                        found.unknownAbsent++;
                    }
                }
                case FAIL -> {
                    if (present) {
                        found.failedButPresent.add(a.getKey());
                    }
                }
            }
        }
        for (Map.Entry<Long, Integer> s : seen.entrySet()) {
            if (!attempted.containsKey(s.getKey())) {
                found.unexpected.add(s.getKey());
            }
            if (s.getValue() > 1) {
                found.duplicated.add(s.getKey());
            }
        }
        return found;
    }

    private static void describe(List<String> problems, String prefix, String what, TreeSet<Long> values) {
        if (!values.isEmpty()) {
            List<Long> shown = values.stream().limit(20).toList();
            problems.add(prefix + values.size() + " " + what + ": " + shown + (values.size() > shown.size() ? "..." : ""));
        }
    }
}
