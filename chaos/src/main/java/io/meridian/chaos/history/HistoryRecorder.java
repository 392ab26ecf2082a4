package io.meridian.chaos.history;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Collects operations from concurrent clients. With a file, each operation is also appended (and
 * flushed) as it is recorded, so the history of a run that dies half-way is still there to read.
 */
public final class HistoryRecorder implements AutoCloseable {
    private final AtomicLong nextId = new AtomicLong();
    private final List<Op> ops = new ArrayList<>();
    private final BufferedWriter out;

    public HistoryRecorder() {
        this.out = null;
    }

    public HistoryRecorder(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        out.write(HistoryFile.HEADER);
        out.newLine();
        out.flush();
    }

    /** Records {@code op} under a fresh id (the op's own id is ignored) and returns the stored op. */
    public Op record(Op op) {
        synchronized (ops) {
            Op stored = op.withId(nextId.getAndIncrement());
            ops.add(stored);
            if (out != null) {
                try {
                    out.write(HistoryFile.format(stored));
                    out.newLine();
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot append to the history file", e);
                }
            }
            return stored;
        }
    }

    public History history() {
        synchronized (ops) {
            return new History(ops);
        }
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            synchronized (ops) {
                out.close();
            }
        }
    }
}
