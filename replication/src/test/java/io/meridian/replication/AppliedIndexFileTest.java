package io.meridian.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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

  private static long[] versions(long seed) {
    long[] v = new long[ConflictVersions.BUCKETS];
    for (int i = 0; i < v.length; i += 7) {
      v[i] = seed + i;
    }
    return v;
  }

  @Test
  void emptyUntilWrittenThenTheLastIndexAndVersionsWritten() throws IOException {
    AppliedIndexFile file = new AppliedIndexFile(dir);
    assertEquals(Optional.empty(), file.read());
    file.write(TermIndex.valueOf(2, 40), versions(1));
    file.write(TermIndex.valueOf(3, 41), versions(1000));
    AppliedIndexFile.Recorded recorded = new AppliedIndexFile(dir).read().orElseThrow();
    assertEquals(TermIndex.valueOf(3, 41), recorded.applied());
    assertArrayEquals(versions(1000), recorded.versions());
    assertTrue(Files.notExists(dir.resolve(AppliedIndexFile.FILE_NAME + ".tmp")), "temporary file renamed away");
  }

  @Test
  void aFormat1FileStillReadsWithoutVersions() throws IOException {
    AppliedIndexFile file = new AppliedIndexFile(dir);
    file.writeFormat1(TermIndex.valueOf(4, 17));
    assertEquals(25, Files.size(dir.resolve(AppliedIndexFile.FILE_NAME)));
    AppliedIndexFile.Recorded recorded = file.read().orElseThrow();
    assertEquals(TermIndex.valueOf(4, 17), recorded.applied());
    assertNull(recorded.versions(), "format 1 has no conflict versions: the caller replays the log");
  }

  @Test
  void aDamagedFileIsRefusedNotGuessed() throws IOException {
    AppliedIndexFile file = new AppliedIndexFile(dir);
    file.write(TermIndex.valueOf(1, 7), versions(5));
    Path path = dir.resolve(AppliedIndexFile.FILE_NAME);
    for (int at : new int[] {15, 25 + 8 * 100 + 3}) { // inside the index; inside a version
      byte[] bytes = Files.readAllBytes(path);
      bytes[at] ^= 0x10;
      Files.write(path, bytes);
      IOException e = assertThrows(IOException.class, file::read);
      assertTrue(e.getMessage().contains("checksum"), e.getMessage());
      bytes[at] ^= 0x10;
      Files.write(path, bytes);
      file.read();
    }
  }

  @Test
  void aTruncatedOrUnknownFileIsRefused() throws IOException {
    AppliedIndexFile file = new AppliedIndexFile(dir);
    file.write(TermIndex.valueOf(1, 7), versions(5));
    Path path = dir.resolve(AppliedIndexFile.FILE_NAME);
    byte[] whole = Files.readAllBytes(path);
    Files.write(path, java.util.Arrays.copyOf(whole, whole.length - 8));
    assertThrows(IOException.class, file::read);
    Files.write(path, new byte[] {0x4D, 0x52});
    assertThrows(IOException.class, file::read);
    whole[4] = 3;
    Files.write(path, whole);
    IOException e = assertThrows(IOException.class, file::read);
    assertTrue(e.getMessage().contains("unknown format 3"), e.getMessage());
  }

  @Test
  void theSnapshotFormIsTheFileFormat() throws IOException {
    byte[] bytes = AppliedIndexFile.encode(TermIndex.valueOf(9, 90), versions(3));
    AppliedIndexFile.Recorded recorded = AppliedIndexFile.decode(bytes, "test");
    assertEquals(TermIndex.valueOf(9, 90), recorded.applied());
    assertArrayEquals(versions(3), recorded.versions());
    assertThrows(IllegalArgumentException.class, () -> AppliedIndexFile.encode(TermIndex.valueOf(1, 1), new long[3]));
  }
}
