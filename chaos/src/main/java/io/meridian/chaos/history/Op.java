package io.meridian.chaos.history;

import java.util.List;
import java.util.Objects;

/**
 * One operation of a history, recorded when it completed.
 *
 * @param id            position in the run's history (unique)
 * @param process       the client that issued it; a client issues one operation at a time
 * @param kind          what was asked
 * @param key           the register, or for set operations the set
 * @param value         read: value seen; write: value written; cas: new value; insert: value inserted
 * @param expected      cas only: the value required before (null: absent)
 * @param values        {@link OpKind#READ_SET} only: the values read
 * @param invokeNanos   {@link System#nanoTime()} just before the request was sent
 * @param completeNanos {@link System#nanoTime()} when the answer (or the error) came back
 * @param outcome       ok / fail / info
 * @param note          free text for people (the exception, say); never interpreted
 */
public record Op(long id, int process, OpKind kind, String key, Long value, Long expected, List<Long> values,
                 long invokeNanos, long completeNanos, Outcome outcome, String note) {

    public Op {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(outcome, "outcome");
        if (completeNanos < invokeNanos) {
            throw new IllegalArgumentException("op " + id + " completes before it is invoked");
        }
        values = values == null ? null : List.copyOf(values);
        note = note == null ? "" : note;
    }

    public static Op read(long id, int process, String key, Long value, long invoke, long complete, Outcome outcome) {
        return new Op(id, process, OpKind.READ, key, value, null, null, invoke, complete, outcome, null);
    }

    public static Op write(long id, int process, String key, long value, long invoke, long complete, Outcome outcome) {
        return new Op(id, process, OpKind.WRITE, key, value, null, null, invoke, complete, outcome, null);
    }

    public static Op cas(long id, int process, String key, Long expected, long newValue, long invoke, long complete,
                         Outcome outcome) {
        return new Op(id, process, OpKind.CAS, key, newValue, expected, null, invoke, complete, outcome, null);
    }

    public static Op insert(long id, int process, String set, long value, long invoke, long complete, Outcome outcome) {
        return new Op(id, process, OpKind.INSERT_UNIQUE, set, value, null, null, invoke, complete, outcome, null);
    }

    public static Op readSet(long id, int process, String set, List<Long> values, long invoke, long complete,
                             Outcome outcome) {
        return new Op(id, process, OpKind.READ_SET, set, null, null, values, invoke, complete, outcome, null);
    }

    public Op withId(long newId) {
        return new Op(newId, process, kind, key, value, expected, values, invokeNanos, completeNanos, outcome, note);
    }

    public Op withNote(String newNote) {
        return new Op(id, process, kind, key, value, expected, values, invokeNanos, completeNanos, outcome, newNote);
    }

    /** A short human form, e.g. {@code #12 p3 cas(4->7) ok}. */
    public String describe() {
        String what = switch (kind) {
            case READ -> "read" + (outcome == Outcome.OK ? "=" + show(value) : "");
            case WRITE -> "write(" + show(value) + ")";
            case CAS -> "cas(" + show(expected) + "->" + show(value) + ")";
            case INSERT_UNIQUE -> "insert(" + value + ")";
            case READ_SET -> "read-set(" + (values == null ? "?" : values.size() + " values") + ")";
            case READ_SET_ONE -> "read-set-one(" + (values == null ? "?" : values.size() + " values") + ")";
        };
        return "#" + id + " p" + process + " " + what + " " + outcome.name().toLowerCase();
    }

    private static String show(Long v) {
        return v == null ? "absent" : v.toString();
    }
}
