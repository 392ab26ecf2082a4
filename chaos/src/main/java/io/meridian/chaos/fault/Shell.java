package io.meridian.chaos.fault;

import java.io.IOException;
import java.util.List;

/** Runs administration commands (ip, tc); an interface so that tests can record them instead. */
@FunctionalInterface
public interface Shell {
    /** Runs {@code command}; returns its output, or throws {@link CommandFailedException} on a non-zero exit. */
    String run(List<String> command) throws IOException, InterruptedException;

    /** A command that exited with an error. */
    final class CommandFailedException extends IOException {
        private final int exitCode;
        private final String output;

        public CommandFailedException(List<String> command, int exitCode, String output) {
            super("`" + String.join(" ", command) + "` failed (exit " + exitCode + "): " + output.strip());
            this.exitCode = exitCode;
            this.output = output;
        }

        public int exitCode() {
            return exitCode;
        }

        public String output() {
            return output;
        }
    }

    /** Runs commands as processes, output and errors together. */
    Shell PROCESSES = command -> {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            // Most often the program is not installed.
            throw new CommandFailedException(command, 127, e.getMessage());
        }
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new CommandFailedException(command, p.exitValue(), output);
        }
        return output;
    };
}
