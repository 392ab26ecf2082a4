package io.meridian.chaos.run;

import io.meridian.chaos.check.LinearizabilityResult;
import io.meridian.chaos.check.LostWriteChecker;
import io.meridian.chaos.check.Verdict;
import io.meridian.chaos.history.History;
import io.meridian.chaos.history.Op;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a run did and what the checkers found; {@link #exitCode()} is what the process returns. */
public record RunReport(History history, Path historyFile, List<FaultEvent> faults, boolean nemesisFailed,
                        int unreadAtEnd, LinearizabilityResult linearizability, LostWriteChecker.Result lostWrites) {

    public static final int EXIT_VALID = 0;
    public static final int EXIT_ANOMALY = 1;
    public static final int EXIT_UNKNOWN = 2;

    /** Both checkers together; a failed nemesis or unread registers make a valid run incomplete. */
    public Verdict verdict() {
        Verdict v = linearizability.verdict().and(lostWrites.verdict());
        if (v == Verdict.VALID && (nemesisFailed || unreadAtEnd > 0)) {
            return Verdict.UNKNOWN;
        }
        return v;
    }

    public int exitCode() {
        return switch (verdict()) {
            case VALID -> EXIT_VALID;
            case INVALID -> EXIT_ANOMALY;
            case UNKNOWN -> EXIT_UNKNOWN;
        };
    }

    public String summary() {
        StringBuilder b = new StringBuilder();
        long origin = history.startNanos();
        b.append("history: ").append(history.ops().size()).append(" ops");
        if (historyFile != null) {
            b.append(" in ").append(historyFile);
        }
        b.append('\n');
        Map<String, long[]> counts = new TreeMap<>();
        for (Op op : history.ops()) {
            counts.computeIfAbsent(op.kind().name().toLowerCase(), k -> new long[3])[op.outcome().ordinal()]++;
        }
        counts.forEach((kind, c) -> b.append(String.format("  %-14s ok %6d  fail %6d  info %6d%n", kind, c[0], c[1],
            c[2])));
        b.append("faults: ").append(faults.size()).append(nemesisFailed ? " (the nemesis failed and stopped)" : "")
            .append('\n');
        for (FaultEvent f : faults) {
            b.append("  ").append(f.describe(origin)).append('\n');
        }
        if (unreadAtEnd > 0) {
            b.append("final reads: ").append(unreadAtEnd).append(" registers or sets could not be read\n");
        }
        b.append(linearizability.summary()).append('\n');
        b.append(lostWrites.summary()).append('\n');
        b.append("verdict: ").append(verdict());
        return b.toString();
    }
}
