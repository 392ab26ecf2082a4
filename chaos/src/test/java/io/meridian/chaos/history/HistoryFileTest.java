package io.meridian.chaos.history;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistoryFileTest {

    @Test
    void everyKindAndOutcomeSurvivesTheRoundTrip(@TempDir Path dir) throws IOException {
        History h = History.of(
            Op.read(0, 1, "r0", null, 10, 20, Outcome.OK),
            Op.read(1, 1, "r0", 5L, 30, 40, Outcome.OK),
            Op.write(2, 2, "r0", -7, 11, 50, Outcome.INFO).withNote("WriteTimeoutException: tab\there\nnewline \\ back"),
            Op.cas(3, 3, "r1", null, 0, 12, 13, Outcome.FAIL),
            Op.cas(4, 3, "r1", 0L, 9, 14, 15, Outcome.OK),
            Op.insert(5, 4, "set", 42, 1, 2, Outcome.OK),
            Op.readSet(6, 4, "set", List.of(42L, 43L), 100, 200, Outcome.OK),
            Op.readSet(7, 4, "set", List.of(), 100, 200, Outcome.OK),
            new Op(8, 0, OpKind.READ, "key\twith tab", null, null, null, 1, 1, Outcome.FAIL, ""));
        Path file = dir.resolve("h.txt");
        HistoryFile.write(h, file);
        assertEquals(h, HistoryFile.read(file));
    }

    @Test
    void recorderAssignsIdsAndKeepsTheFileCurrent(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("run/history.txt");
        try (HistoryRecorder recorder = new HistoryRecorder(file)) {
            recorder.record(Op.write(99, 0, "k", 1, 5, 6, Outcome.OK));
            recorder.record(Op.read(99, 1, "k", 1L, 7, 8, Outcome.OK));
            // Readable before close: a run that dies keeps what it recorded.
            History onDisk = HistoryFile.read(file);
            assertEquals(List.of(0L, 1L), onDisk.ops().stream().map(Op::id).toList());
            assertEquals(recorder.history(), onDisk);
        }
    }

    @Test
    void rejectsFilesWithoutTheHeaderAndBadLines(@TempDir Path dir) throws IOException {
        Path noHeader = dir.resolve("a.txt");
        Files.writeString(noHeader, "0\t1\tREAD\tk\t1\t2\tOK\t-\t-\t-\t\n");
        assertThrows(IOException.class, () -> HistoryFile.read(noHeader));
        Path shortLine = dir.resolve("b.txt");
        Files.writeString(shortLine, HistoryFile.HEADER + "\n0\t1\tREAD\n");
        IOException e = assertThrows(IOException.class, () -> HistoryFile.read(shortLine));
        assertTrue(e.getMessage().contains(":2:"), e.getMessage());
    }

    @Test
    void anOpCannotCompleteBeforeItIsInvoked() {
        assertThrows(IllegalArgumentException.class, () -> Op.read(0, 0, "k", null, 10, 9, Outcome.OK));
    }
}
