package io.meridian.chaos.history;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A history as text, one operation per line, so a run can be kept and read by people and tools.
 *
 * <pre>
 * # meridian-chaos-history v1
 * id  process  kind  key  invokeNanos  completeNanos  outcome  value  expected  values  note
 * </pre>
 * Fields are separated by one tab; {@code -} is null; {@code values} is {@code [1,2,3]}. Tabs,
 * newlines and backslashes in the key and the note are escaped as {@code \t}, {@code \n}, {@code \\}.
 */
public final class HistoryFile {
    public static final String HEADER = "# meridian-chaos-history v1";
    private static final int FIELDS = 11;

    private HistoryFile() {
    }

    public static void write(History history, Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(HEADER);
            w.newLine();
            for (Op op : history.ops()) {
                w.write(format(op));
                w.newLine();
            }
        }
    }

    public static History read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IOException(file + " is not a history file: the first line must be '" + HEADER + "'");
        }
        List<Op> ops = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                ops.add(parse(line));
            } catch (RuntimeException e) {
                throw new IOException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return new History(ops);
    }

    static String format(Op op) {
        return String.join("\t",
            Long.toString(op.id()),
            Integer.toString(op.process()),
            op.kind().name(),
            escape(op.key()),
            Long.toString(op.invokeNanos()),
            Long.toString(op.completeNanos()),
            op.outcome().name(),
            nullable(op.value()),
            nullable(op.expected()),
            op.values() == null ? "-" : "[" + String.join(",", op.values().stream().map(String::valueOf).toList()) + "]",
            escape(op.note()));
    }

    static Op parse(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != FIELDS) {
            throw new IllegalArgumentException("expected " + FIELDS + " tab-separated fields, found " + f.length);
        }
        return new Op(Long.parseLong(f[0]), Integer.parseInt(f[1]), OpKind.valueOf(f[2]), unescape(f[3]),
            parseNullable(f[7]), parseNullable(f[8]), parseList(f[9]),
            Long.parseLong(f[4]), Long.parseLong(f[5]), Outcome.valueOf(f[6]), unescape(f[10]));
    }

    private static String nullable(Long v) {
        return v == null ? "-" : v.toString();
    }

    private static Long parseNullable(String s) {
        return s.equals("-") ? null : Long.valueOf(s);
    }

    private static List<Long> parseList(String s) {
        if (s.equals("-")) {
            return null;
        }
        if (!s.startsWith("[") || !s.endsWith("]")) {
            throw new IllegalArgumentException("a value list must look like [1,2], found " + s);
        }
        String body = s.substring(1, s.length() - 1);
        List<Long> out = new ArrayList<>();
        if (!body.isEmpty()) {
            for (String part : body.split(",")) {
                out.add(Long.valueOf(part));
            }
        }
        return out;
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                b.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 't' -> b.append('\t');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                default -> b.append(n);
            }
        }
        return b.toString();
    }
}
