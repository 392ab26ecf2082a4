package io.meridian.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.ratis.server.protocol.TermIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppliedIndexFileTest {
  @TempDir Path dir;

  @Test
  void emptyUntilWrittenThenTheLastValueWritten() throws IOException {
    AppliedIndexFile file = new AppliedIndexFile(dir);
    assertEquals(Optional.empty(), file.read());
    file.write(TermIndex.valueOf(2, 40));
    file.write(TermIndex.valueOf(3, 41));
    assertEquals(Optional.of(TermIndex.valueOf(3, 41)), new AppliedIndexFile(dir).read());
    assertTrue(Files.notExists(dir.resolve(AppliedIndexFile.FILE_NAME + ".tmp")), "temporary file renamed away");
  }

  @Test
  void aDamagedFileIsRefusedNotGuessed() throws IOException {
    AppliedIndexFile file = new AppliedIndexFile(dir);
    file.write(TermIndex.valueOf(1, 7));
    Path path = dir.resolve(AppliedIndexFile.FILE_NAME);
    byte[] bytes = Files.readAllBytes(path);
    bytes[15] ^= 0x10; // inside the index
    Files.write(path, bytes);
    IOException e = assertThrows(IOException.class, file::read);
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
  }

  @Test
  void aTruncatedFileIsRefused() throws IOException {
    AppliedIndexFile file = new AppliedIndexFile(dir);
    file.write(TermIndex.valueOf(1, 7));
    Path path = dir.resolve(AppliedIndexFile.FILE_NAME);
    Files.write(path, new byte[] {0x4D, 0x52});
    assertThrows(IOException.class, file::read);
  }
}
