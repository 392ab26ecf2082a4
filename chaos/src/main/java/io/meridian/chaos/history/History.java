package io.meridian.chaos.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The operations of one run, in the order they were recorded. */
public record History(List<Op> ops) {

    public History {
        ops = List.copyOf(ops);
    }

    public static History of(Op... ops) {
        return new History(List.of(ops));
    }

    /** Operations of the given kinds grouped by key (keys in first-seen order), each group by invoke time. */
    public Map<String, List<Op>> byKey(OpKind... kinds) {
        List<OpKind> wanted = List.of(kinds);
        Map<String, List<Op>> groups = new LinkedHashMap<>();
        for (Op op : ops) {
            if (wanted.contains(op.kind())) {
                groups.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
            }
        }
        groups.values().forEach(g -> g.sort(Comparator.comparingLong(Op::invokeNanos)));
        return groups;
    }

    /** The earliest invoke time, the origin for times shown to people. */
    public long startNanos() {
        return ops.stream().mapToLong(Op::invokeNanos).min().orElse(0L);
    }

    public long count(Outcome outcome) {
        return ops.stream().filter(o -> o.outcome() == outcome).count();
    }
}
