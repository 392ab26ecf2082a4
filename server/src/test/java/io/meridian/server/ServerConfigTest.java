package io.meridian.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.storage.CommitPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where each setting comes from: defaults, file, environment, flags, in that order of strength. */
class ServerConfigTest {

  @Test
  void environmentVariableSetsThePort() {
    ServerConfig config = ServerConfig.load(null, Map.of("MERIDIAN_SERVER_PORT", "19042"), Map.of());
    assertEquals(19042, config.get(ServerConfigKeys.PORT));
  }

  @Test
  void environmentNamesFollowTheKeys() {
    assertEquals("MERIDIAN_SERVER_PORT", ServerConfigKeys.PORT.envName());
    assertEquals("MERIDIAN_STORAGE_COMMIT_POLICY", ServerConfigKeys.COMMIT_POLICY.envName());
    ServerConfig config = ServerConfig.load(null,
        Map.of("MERIDIAN_STORAGE_COMMIT_POLICY", "periodic", "MERIDIAN_STORAGE_DATA_DIR", "/tmp/x"), Map.of());
    assertEquals(CommitPolicy.PERIODIC, config.get(ServerConfigKeys.COMMIT_POLICY));
    assertEquals("/tmp/x", config.get(ServerConfigKeys.DATA_DIR));
  }

  @Test
  void unrelatedEnvironmentVariablesAreIgnoredAndDefaultsApply() {
    ServerConfig config = ServerConfig.load(null, Map.of("PATH", "/bin", "MERIDIAN_NOT_A_KEY", "1"), Map.of());
    assertEquals(9042, config.get(ServerConfigKeys.PORT));
    assertEquals(CommitPolicy.SYNC, config.get(ServerConfigKeys.COMMIT_POLICY));
  }

  @Test
  void fileThenEnvironmentThenFlags(@TempDir Path dir) throws IOException {
    Path yaml = dir.resolve("meridian.yaml");
    Files.writeString(yaml, "server:\n  port: 1111\n  cluster-name: From File\nstorage:\n  data-dir: /from/file\n");
    ServerConfig fileOnly = ServerConfig.load(yaml, Map.of(), Map.of());
    assertEquals(1111, fileOnly.get(ServerConfigKeys.PORT));
    assertEquals("From File", fileOnly.get(ServerConfigKeys.CLUSTER_NAME));

    ServerConfig envOverFile = ServerConfig.load(yaml, Map.of("MERIDIAN_SERVER_PORT", "2222"), Map.of());
    assertEquals(2222, envOverFile.get(ServerConfigKeys.PORT));
    assertEquals("/from/file", envOverFile.get(ServerConfigKeys.DATA_DIR));

    ServerConfig flagOverEnv = ServerConfig.load(yaml, Map.of("MERIDIAN_SERVER_PORT", "2222"),
        Map.of("server.port", "3333"));
    assertEquals(3333, flagOverEnv.get(ServerConfigKeys.PORT));
  }

  @Test
  void badEnvironmentValueNamesTheKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerConfig.load(null, Map.of("MERIDIAN_SERVER_PORT", "99999"), Map.of()));
    assertTrue(e.getMessage().contains("server.port"), e.getMessage());
  }

  @Test
  void badEnumValueNamesTheKeyAndTheChoices() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerConfig.load(null, Map.of(), Map.of("storage.commit-policy", "bogus")));
    assertTrue(e.getMessage().contains("storage.commit-policy"), e.getMessage());
    assertTrue(e.getMessage().contains("sync"), e.getMessage());
  }

  @Test
  void unknownKeyIsAnError(@TempDir Path dir) throws IOException {
    Path yaml = dir.resolve("meridian.yaml");
    Files.writeString(yaml, "server:\n  prot: 1\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerConfig.load(yaml, Map.of(), Map.of()));
    assertTrue(e.getMessage().contains("server.prot"), e.getMessage());
  }

  @Test
  void tabletsPerTableDefaultsToAutoWhichIsEightOnASingleNode() {
    assertEquals(0, ServerConfig.load(null, Map.of(), Map.of()).get(ServerConfigKeys.TABLETS_PER_TABLE));
    assertEquals(8, MeridianNode.singleNodeTablets(0));
    assertEquals(3, MeridianNode.singleNodeTablets(3));
    assertThrows(IllegalArgumentException.class,
        () -> ServerConfig.load(null, Map.of("MERIDIAN_STORAGE_TABLETS_PER_TABLE", "-1"), Map.of()));
  }

  @Test
  void aClusterNodeSyncsStorageEveryClusterStorageSyncMsWhateverTheCommitPolicySays() {
    Path dir = Path.of("data");
    var defaults = ServerConfig.load(null, Map.of(), Map.of());
    var single = MeridianNode.storageConfig(defaults, dir, false);
    assertEquals(CommitPolicy.SYNC, single.commitPolicy());
    var clustered = MeridianNode.storageConfig(defaults, dir, true);
    assertEquals(CommitPolicy.PERIODIC, clustered.commitPolicy());
    assertEquals(1000, clustered.periodicSyncMs());

    var set = ServerConfig.load(null, Map.of("MERIDIAN_STORAGE_COMMIT_POLICY", "periodic",
        "MERIDIAN_STORAGE_PERIODIC_SYNC_MS", "25", "MERIDIAN_CLUSTER_STORAGE_SYNC_MS", "200"), Map.of());
    assertEquals(25, MeridianNode.storageConfig(set, dir, false).periodicSyncMs());
    assertEquals(CommitPolicy.PERIODIC, MeridianNode.storageConfig(set, dir, false).commitPolicy());
    assertEquals(200, MeridianNode.storageConfig(set, dir, true).periodicSyncMs());
  }

  /** The shipped file says its values are the defaults; a default changed in code must change there too. */
  @Test
  void theShippedConfigurationFileHoldsTheDefaults() {
    Path shipped = Path.of("..", "conf", "meridian.yaml");
    Map<String, String> values = ServerConfig.readYaml(shipped);
    assertTrue(values.size() > 5, "read " + values);
    for (Map.Entry<String, String> e : values.entrySet()) {
      var key = ServerConfigKeys.ALL.stream().filter(k -> k.key().equals(e.getKey())).findFirst().orElseThrow();
      assertEquals(key.defaultValue(), key.parse(e.getValue()), e.getKey());
    }
  }
}
