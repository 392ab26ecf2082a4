package io.meridian.schema.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostIdStoreTest {
  @TempDir Path dir;

  @Test
  void hostIdSurvivesRestart() throws Exception {
    UUID first = HostIdStore.loadOrCreate(dir, () -> new UUID(7, 8));
    assertEquals(new UUID(7, 8), first);
    assertEquals(first, HostIdStore.loadOrCreate(dir, UUID::randomUUID));
    Files.writeString(dir.resolve(HostIdStore.FILE_NAME), "garbage");
    assertThrows(IllegalStateException.class, () -> HostIdStore.loadOrCreate(dir, UUID::randomUUID));
  }
}
