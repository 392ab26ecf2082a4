package io.meridian.chaos.run;

import java.util.List;
import java.util.stream.IntStream;

/**
 * What the clients do: the registers they read and compare-and-set, the sets they insert unique
 * values into, and the mix of operations (weights, not percentages).
 */
public record Workload(List<String> registers, List<String> sets, int readWeight, int writeWeight, int casWeight,
                       int insertWeight) {

    public Workload {
        registers = List.copyOf(registers);
        sets = List.copyOf(sets);
        if (readWeight < 0 || writeWeight < 0 || casWeight < 0 || insertWeight < 0
            || readWeight + writeWeight + casWeight + insertWeight == 0) {
            throw new IllegalArgumentException("weights must be non-negative and not all zero");
        }
        if (registers.isEmpty() && readWeight + writeWeight + casWeight > 0) {
            throw new IllegalArgumentException("register operations need at least one register");
        }
        if (sets.isEmpty() && insertWeight > 0) {
            throw new IllegalArgumentException("inserts need at least one set");
        }
    }

    /** A few contended registers and a few sets: enough concurrency per key to matter, small enough to check. */
    public static Workload standard(int registerCount, int setCount) {
        boolean registers = registerCount > 0;
        return new Workload(
            IntStream.range(0, registerCount).mapToObj(i -> "r" + i).toList(),
            IntStream.range(0, setCount).mapToObj(i -> "s" + i).toList(),
            registers ? 4 : 0, registers ? 1 : 0, registers ? 4 : 0, setCount > 0 ? 3 : 0);
    }
}
