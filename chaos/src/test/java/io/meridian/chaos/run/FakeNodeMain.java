package io.meridian.chaos.run;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Stands in for bin/meridian in launcher tests: writes its arguments to DATA_DIR/args.txt (one
 * start per line) and accepts connections on --listen:--port until killed.
 */
public final class FakeNodeMain {
    private FakeNodeMain() {
    }

    public static void main(String[] args) throws IOException {
        String listen = null;
        int port = 0;
        Path data = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--listen" -> listen = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--data-dir" -> data = Path.of(args[i + 1]);
                default -> { }
            }
        }
        Files.writeString(data.resolve("args.txt"), String.join(" ", args) + "\n", StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(listen, port));
            while (true) {
                Socket s = server.accept();
                s.close();
            }
        }
    }
}
