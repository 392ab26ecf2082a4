package io.meridian.chaos.fault;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeProcessTest {

    /** The scheduler state letter of /proc/PID/stat: R, S, T (stopped)... */
    private static char state(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }

    private static boolean isDead(long pid) {
        try {
            return state(pid) == 'Z';
        } catch (IOException e) {
            return true;
        }
    }

    private static long lines(Path log) throws IOException {
        return Files.exists(log) ? Files.readAllLines(log).size() : 0;
    }

    private static void awaitMoreLines(Path log, long than) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (lines(log) <= than) {
            assertTrue(System.nanoTime() < deadline, "no output from the process");
            Thread.sleep(20);
        }
    }

    @Test
    void pausedJavaProcessStopsWorkingAndResumesThenDiesOnKill9(@TempDir Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("java.class.path");
        Path log = dir.resolve("ticker.log");
        try (NodeProcess p = NodeProcess.start(
                List.of(java, "-Xmx32m", "-cp", classpath, TickerMain.class.getName()), dir, log, Map.of())) {
            awaitMoreLines(log, 3);

            p.pause();
            Thread.sleep(100);
            assertEquals('T', state(p.pid()));
            long frozen = lines(log);
            Thread.sleep(300);
            assertEquals(frozen, lines(log), "a paused process kept printing");

            p.resume();
            awaitMoreLines(log, frozen);
            assertTrue(p.isAlive());

            int exit = p.kill9(Duration.ofSeconds(10));
            assertEquals(128 + 9, exit);
            assertFalse(p.isAlive());
        }
    }

    @Test
    void signalsReachChildrenOfALauncherScript(@TempDir Path dir) throws Exception {
        // bash without exec: the sleep is a child, as a JVM behind a wrapper script would be.
        try (NodeProcess p = NodeProcess.start(List.of("bash", "-c", "sleep 60; true"), dir, dir.resolve("log"),
                Map.of())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (ProcessHandle.of(p.pid()).orElseThrow().descendants().findAny().isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "bash never started its child");
                Thread.sleep(10);
            }
            long child = ProcessHandle.of(p.pid()).orElseThrow().descendants().findFirst().orElseThrow().pid();
            p.pause();
            Thread.sleep(100);
            assertEquals('T', state(child));
            p.resume();
            Thread.sleep(100);
            assertEquals('S', state(child));
            p.kill9(Duration.ofSeconds(10));
            // Dead means gone, or a zombie waiting for a reaper (PID 1 of a container may be slow to reap).
            long deadline2 = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!isDead(child)) {
                assertTrue(System.nanoTime() < deadline2, "the child survived SIGKILL");
                Thread.sleep(20);
            }
        }
    }

    @Test
    void closeKillsAPausedProcess(@TempDir Path dir) throws Exception {
        NodeProcess p = NodeProcess.start(List.of("sleep", "60"), dir, dir.resolve("log"), Map.of());
        p.pause();
        p.close();
        assertFalse(p.isAlive());
    }
}
