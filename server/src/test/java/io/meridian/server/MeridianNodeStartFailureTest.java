package io.meridian.server;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node that cannot bind its port fails with a clear message and releases its data folder. */
class MeridianNodeStartFailureTest {

  private static ServerConfig config(Path dataDir, int port) {
    return ServerConfig.load(null, Map.of(), Map.of(
        ServerConfigKeys.LISTEN_ADDRESS.key(), "127.0.0.1",
        ServerConfigKeys.PORT.key(), String.valueOf(port),
        ServerConfigKeys.DATA_DIR.key(), dataDir.toString(),
        ServerConfigKeys.BLOCK_CACHE_BYTES.key(), String.valueOf(8 * 1024 * 1024),
        ServerConfigKeys.TABLETS_PER_TABLE.key(), "2"));
  }

  @Test
  void portInUseFailsAndTheDataFolderCanBeOpenedAgain(@TempDir Path dir) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      RuntimeException e = assertThrows(RuntimeException.class, () -> MeridianNode.start(config(dir, port)));
      assertTrue(e.getMessage() != null && e.getMessage().contains(String.valueOf(port)), String.valueOf(e));
    }
    // Storage was closed on the failed start: the same folder opens again (RocksDB holds a lock).
    try (MeridianNode node = MeridianNode.start(config(dir, 0))) {
      assertTrue(node.port() > 0);
    }
  }
}
