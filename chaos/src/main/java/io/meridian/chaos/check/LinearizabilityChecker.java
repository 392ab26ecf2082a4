package io.meridian.chaos.check;

import io.meridian.chaos.history.History;
import io.meridian.chaos.history.Op;
import io.meridian.chaos.history.OpKind;
import io.meridian.chaos.history.Outcome;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Checks that the reads, writes and compare-and-sets of each key could have happened one at a time,
 * each at some instant between its invocation and its completion, on a register that starts absent.
 *
 * <p>The search is Wing and Gong's, with Lowe's memoization (the "linear" / WGL algorithm of Knossos
 * and Porcupine): walk the invocation and completion events in time order; at an invocation, try to
 * linearize that op now if the register model allows it, and remember the (linearized set, state)
 * pair so that no configuration is explored twice; at the completion of an op not yet linearized,
 * undo the most recent choice and try the next candidate. If there is nothing left to undo, no
 * linearization exists.
 *
 * <p>Outcomes: failed ops did not happen and are left out. An op with an unknown outcome may take
 * effect at any time after its invocation, or never: it gets a completion at the end of time, and
 * once every ok op is linearized the unknown ones still pending are dropped. Unknown reads constrain
 * nothing and are left out; so are unknown writes of a value that no ok read and no cas ever
 * expected, since such a write, if placed, would have to be overwritten before anyone looked.
 *
 * <p>Keys are independent registers and are checked one after another, each within the time and
 * memory budget; a key that exceeds it is reported unknown rather than holding the run hostage.
 */
public final class LinearizabilityChecker {
    /** The state of a register that holds no value. Values in histories must not use it. */
    static final long ABSENT = Long.MIN_VALUE;
    private static final int EXPLAIN_OPS_MAX = 6;

    private final Duration timeBudgetPerKey;
    private final int configurationsMax;

    /**
     * @param timeBudgetPerKey  wall time allowed for one key before it is reported unknown
     * @param configurationsMax memoized configurations allowed for one key (24 bytes each, plus the
     *                          hash table's slack) before it is reported unknown
     */
    public LinearizabilityChecker(Duration timeBudgetPerKey, int configurationsMax) {
        if (configurationsMax < 1) {
            throw new IllegalArgumentException("configurationsMax must be positive");
        }
        this.timeBudgetPerKey = Objects.requireNonNull(timeBudgetPerKey);
        this.configurationsMax = configurationsMax;
    }

    /** 30 s and 4 million configurations (a few hundred MB at most) per key. */
    public static LinearizabilityChecker withDefaults() {
        return new LinearizabilityChecker(Duration.ofSeconds(30), 4_000_000);
    }

    public LinearizabilityResult check(History history) {
        List<KeyResult> results = new ArrayList<>();
        Verdict verdict = Verdict.VALID;
        long origin = history.startNanos();
        for (Map.Entry<String, List<Op>> e : history.byKey(OpKind.READ, OpKind.WRITE, OpKind.CAS).entrySet()) {
            KeyResult r = new KeySearch(e.getKey(), e.getValue(), origin).run();
            results.add(r);
            verdict = verdict.and(r.verdict());
        }
        return new LinearizabilityResult(verdict, results);
    }

    /** Ops that take part in the search, see the class comment for what is left out and why. */
    static List<Op> relevant(List<Op> ops) {
        Set<Long> observed = new HashSet<>();
        for (Op op : ops) {
            if (op.kind() == OpKind.READ && op.outcome() == Outcome.OK) {
                observed.add(stateOf(op.value()));
            } else if (op.kind() == OpKind.CAS && op.outcome() != Outcome.FAIL) {
                observed.add(stateOf(op.expected()));
            }
        }
        List<Op> out = new ArrayList<>();
        for (Op op : ops) {
            if (op.outcome() == Outcome.FAIL) {
                continue;
            }
            if (op.outcome() == Outcome.INFO
                && (op.kind() == OpKind.READ || !observed.contains(stateOf(op.value())))) {
                continue;
            }
            if (op.kind() != OpKind.READ && op.value() == null) {
                throw new IllegalArgumentException("op " + op.id() + ": a write or cas needs a value");
            }
            if (op.value() != null && op.value() == ABSENT || op.expected() != null && op.expected() == ABSENT) {
                throw new IllegalArgumentException("op " + op.id() + ": value " + ABSENT + " is reserved");
            }
            out.add(op);
        }
        return out;
    }

    static long stateOf(Long value) {
        return value == null ? ABSENT : value;
    }

    /** One event of the search list: the invocation or the completion of an op. */
    private static final class Entry {
        final int op;
        final boolean call;
        final long time;
        Entry match;
        Entry prev;
        Entry next;

        Entry(int op, boolean call, long time) {
            this.op = op;
            this.call = call;
            this.time = time;
        }
    }

    private final class KeySearch {
        private final String key;
        private final List<Op> ops;
        private final long origin;
        private final long[] hashA;
        private final long[] hashB;
        private final Entry head = new Entry(-1, false, Long.MIN_VALUE);

        // Diagnostics from the deepest point the search reached.
        private int bestDepth = -1;
        private long bestState;
        private int blockedOp;
        private int[] bestPrefixTail = new int[0];
        private int[] bestPending = new int[0];

        KeySearch(String key, List<Op> all, long origin) {
            this.key = key;
            this.ops = relevant(all);
            this.origin = origin;
            SplittableRandom random = new SplittableRandom(0x5EEDL ^ key.hashCode());
            hashA = new long[ops.size()];
            hashB = new long[ops.size()];
            for (int i = 0; i < ops.size(); i++) {
                hashA[i] = random.nextLong();
                hashB[i] = random.nextLong();
            }
        }

        KeyResult run() {
            buildList();
            int n = ops.size();
            Entry[] stackEntry = new Entry[n];
            long[] stackState = new long[n];
            int depth = 0;
            long state = ABSENT;
            long setA = 0;
            long setB = 0;
            SearchMemo memo = new SearchMemo(1024);
            long deadline = System.nanoTime() + timeBudgetPerKey.toNanos();
            long steps = 0;
            Entry entry = head.next;
            while (head.next != null) {
                if ((++steps & 0xFFF) == 0 && System.nanoTime() - deadline > 0) {
                    return unknown(memo, "time budget of " + timeBudgetPerKey.toMillis() + " ms exceeded");
                }
                if (entry.call) {
                    Op op = ops.get(entry.op);
                    if (allowed(state, op)) {
                        long next = apply(state, op);
                        long nextA = setA ^ hashA[entry.op];
                        long nextB = setB ^ hashB[entry.op];
                        if (memo.add(nextA, nextB, next)) {
                            if (memo.size() > configurationsMax) {
                                return unknown(memo, "more than " + configurationsMax + " configurations");
                            }
                            stackEntry[depth] = entry;
                            stackState[depth] = state;
                            depth++;
                            state = next;
                            setA = nextA;
                            setB = nextB;
                            lift(entry);
                            entry = head.next;
                            continue;
                        }
                    }
                    entry = entry.next;
                } else {
                    if (ops.get(entry.op).outcome() == Outcome.INFO) {
                        // Every ok op is linearized; the unknown ones left are taken not to have happened.
                        break;
                    }
                    if (depth > bestDepth) {
                        remember(depth, state, entry, stackEntry);
                    }
                    if (depth == 0) {
                        return new KeyResult(key, Verdict.INVALID, n, memo.size(), explain());
                    }
                    depth--;
                    entry = stackEntry[depth];
                    state = stackState[depth];
                    setA ^= hashA[entry.op];
                    setB ^= hashB[entry.op];
                    unlift(entry);
                    entry = entry.next;
                }
            }
            return new KeyResult(key, Verdict.VALID, n, memo.size(), "");
        }

        private void buildList() {
            List<Entry> events = new ArrayList<>(ops.size() * 2);
            for (int i = 0; i < ops.size(); i++) {
                Op op = ops.get(i);
                Entry call = new Entry(i, true, op.invokeNanos());
                long end = op.outcome() == Outcome.INFO ? Long.MAX_VALUE : op.completeNanos();
                Entry ret = new Entry(i, false, end);
                call.match = ret;
                events.add(call);
                events.add(ret);
            }
            // On equal times the invocation goes first: ops that touch in time count as concurrent.
            events.sort((x, y) -> x.time != y.time ? Long.compare(x.time, y.time) : Boolean.compare(y.call, x.call));
            Entry prev = head;
            for (Entry e : events) {
                prev.next = e;
                e.prev = prev;
                prev = e;
            }
        }

        private void lift(Entry call) {
            call.prev.next = call.next;
            if (call.next != null) {
                call.next.prev = call.prev;
            }
            Entry ret = call.match;
            ret.prev.next = ret.next;
            if (ret.next != null) {
                ret.next.prev = ret.prev;
            }
        }

        private void unlift(Entry call) {
            Entry ret = call.match;
            ret.prev.next = ret;
            if (ret.next != null) {
                ret.next.prev = ret;
            }
            call.prev.next = call;
            if (call.next != null) {
                call.next.prev = call;
            }
        }

        private void remember(int depth, long state, Entry blocked, Entry[] stackEntry) {
            bestDepth = depth;
            bestState = state;
            blockedOp = blocked.op;
            int tail = Math.min(depth, EXPLAIN_OPS_MAX);
            bestPrefixTail = new int[tail];
            for (int i = 0; i < tail; i++) {
                bestPrefixTail[i] = stackEntry[depth - tail + i].op;
            }
            List<Integer> pending = new ArrayList<>();
            for (Entry e = head.next; e != null && e != blocked && pending.size() < EXPLAIN_OPS_MAX; e = e.next) {
                if (e.call && e.op != blocked.op) {
                    pending.add(e.op);
                }
            }
            bestPending = pending.stream().mapToInt(Integer::intValue).toArray();
        }

        private String explain() {
            Op blocked = ops.get(blockedOp);
            StringBuilder b = new StringBuilder();
            b.append("key '").append(key).append("': no linearization exists. At best ").append(bestDepth)
                .append(" of ").append(ops.size()).append(" ops can be ordered");
            if (bestPrefixTail.length > 0) {
                b.append(", ending with ").append(describe(bestPrefixTail));
            }
            b.append("; the register then holds ").append(bestState == ABSENT ? "nothing" : Long.toString(bestState))
                .append(", and ").append(timed(blocked)).append(" cannot be placed before it completes");
            if (bestPending.length > 0) {
                b.append("; ops that could have gone before it: ").append(describe(bestPending));
            }
            return b.toString();
        }

        private String describe(int[] indexes) {
            return Arrays.stream(indexes).mapToObj(i -> timed(ops.get(i))).toList().toString();
        }

        private String timed(Op op) {
            String end = op.outcome() == Outcome.INFO ? "?" : ms(op.completeNanos());
            return op.describe() + " [" + ms(op.invokeNanos()) + ".." + end + " ms]";
        }

        private String ms(long nanos) {
            return String.format("%.3f", (nanos - origin) / 1e6);
        }

        private KeyResult unknown(SearchMemo memo, String why) {
            return new KeyResult(key, Verdict.UNKNOWN, ops.size(), memo.size(), "key '" + key + "': " + why);
        }
    }

    private static boolean allowed(long state, Op op) {
        return switch (op.kind()) {
            case READ -> state == stateOf(op.value());
            case WRITE -> true;
            case CAS -> state == stateOf(op.expected());
            default -> throw new IllegalStateException("not a register op: " + op.describe());
        };
    }

    private static long apply(long state, Op op) {
        return op.kind() == OpKind.READ ? state : op.value();
    }
}
