package io.meridian.chaos.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A node run as an operating-system process, which can be killed without warning (SIGKILL) and
 * frozen and thawed (SIGSTOP / SIGCONT) the way a long GC pause or an overloaded host would freeze
 * it. Signals go to the process and its descendants, so a launcher script that does not exec still
 * works. Output goes to a log file, appended across restarts.
 */
public final class NodeProcess implements AutoCloseable {
    private final Process process;
    private final List<String> command;

    private NodeProcess(Process process, List<String> command) {
        this.process = process;
        this.command = command;
    }

    public static NodeProcess start(List<String> command, Path workDir, Path logFile, Map<String, String> env)
        throws IOException {
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        ProcessBuilder pb = new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        pb.environment().putAll(env);
        return new NodeProcess(pb.start(), List.copyOf(command));
    }

    public long pid() {
        return process.pid();
    }

    public List<String> command() {
        return command;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed that was not already. Waits for the exit. */
    public int kill9(Duration wait) throws IOException, InterruptedException {
        signal("KILL");
        if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IOException("process " + pid() + " still alive " + wait.toMillis() + " ms after SIGKILL");
        }
        return process.exitValue();
    }

    /** SIGSTOP: the process keeps its sockets but stops running. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT: a paused process runs again. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    /** SIGTERM, the clean shutdown. */
    public boolean terminate(Duration wait) throws IOException, InterruptedException {
        signal("TERM");
        return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean waitFor(Duration wait) throws InterruptedException {
        return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    public int exitValue() {
        return process.exitValue();
    }

    private void signal(String name) throws IOException, InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        List<String> kill = new ArrayList<>(List.of("kill", "-" + name));
        // Children first, so a stopped parent does not spawn or reap in between.
        process.descendants().forEach(d -> kill.add(Long.toString(d.pid())));
        kill.add(Long.toString(pid()));
        Process p = new ProcessBuilder(kill).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0 && process.isAlive()) {
            throw new IOException(String.join(" ", kill) + " failed: " + output.strip());
        }
    }

    /** Kills the process if it is still running; for clean-up after tests and runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                signal("CONT");
                kill9(Duration.ofSeconds(10));
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
