package io.meridian.chaos.check;

import io.meridian.chaos.history.Op;
import io.meridian.chaos.history.OpKind;
import io.meridian.chaos.history.Outcome;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates histories of a register that is linearizable by construction: each op gets an interval
 * and a linearization point inside it, and the results come from applying the ops in the order of
 * those points. Unknown-outcome writes either land at a point that may be long after the client gave
 * up, or never. Written values are unique, as in the real workload.
 */
final class SimulatedRegister {
    private SimulatedRegister() {
    }

    private record Planned(int process, OpKind kind, long value, long invoke, long complete,
                           boolean unknown, boolean effect, long point) {
    }

    static List<Op> generate(long seed, String key, int processes, int opsPerProcess, double unknownRate) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Planned> planned = new ArrayList<>();
        List<Long> written = new ArrayList<>();
        long nextValue = 1;
        for (int p = 0; p < processes; p++) {
            long clock = random.nextInt(5);
            for (int i = 0; i < opsPerProcess; i++) {
                long invoke = clock + random.nextInt(4);
                long complete = invoke + 1 + random.nextInt(20);
                int roll = random.nextInt(10);
                OpKind kind = roll < 4 ? OpKind.READ : roll < 6 ? OpKind.WRITE : OpKind.CAS;
                boolean unknown = random.nextDouble() < unknownRate;
                boolean effect = !unknown || random.nextBoolean();
                // An unknown op may land after the client stopped waiting.
                long latest = unknown ? complete + 3 * (complete - invoke) : complete;
                long point = invoke + random.nextLong(latest - invoke + 1);
                long value = kind == OpKind.READ ? 0 : nextValue++;
                planned.add(new Planned(p, kind, value, invoke, complete, unknown, effect, point));
                clock = complete + 1;
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < planned.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingLong((Integer i) -> planned.get(i).point()).thenComparing(i -> i));
        Op[] ops = new Op[planned.size()];
        Long state = null;
        for (int i : order) {
            Planned p = planned.get(i);
            Outcome outcome = p.unknown() ? Outcome.INFO : Outcome.OK;
            Op op;
            switch (p.kind()) {
                case READ -> op = Op.read(i, p.process(), key, p.unknown() ? null : state, p.invoke(), p.complete(),
                    outcome);
                case WRITE -> {
                    if (p.effect()) {
                        state = p.value();
                    }
                    written.add(p.value());
                    op = Op.write(i, p.process(), key, p.value(), p.invoke(), p.complete(), outcome);
                }
                default -> {
                    // Mostly expect the current value, as a client that just read it would, so many apply.
                    Long expected = written.isEmpty() || random.nextInt(3) > 0
                        ? state : written.get(random.nextInt(written.size()));
                    boolean matches = java.util.Objects.equals(state, expected);
                    if (matches && p.effect()) {
                        state = p.value();
                    }
                    written.add(p.value());
                    // A cas that found another value answers not-applied: a definite failure.
                    Outcome casOutcome = p.unknown() ? Outcome.INFO : matches ? Outcome.OK : Outcome.FAIL;
                    op = Op.cas(i, p.process(), key, expected, p.value(), p.invoke(), p.complete(), casOutcome);
                }
            }
            ops[i] = op;
        }
        return List.of(ops);
    }
}
