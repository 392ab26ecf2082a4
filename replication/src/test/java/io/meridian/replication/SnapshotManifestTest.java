package io.meridian.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.meridian.storage.TokenRange;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.ratis.server.protocol.TermIndex;
import org.junit.jupiter.api.Test;

class SnapshotManifestTest {
  private static SnapshotManifest sample(byte[] state, List<SnapshotManifest.FileEntry> files) {
    return new SnapshotManifest(TermIndex.valueOf(3, 1234), UUID.fromString("00000000-0000-0000-0000-0000000000aa"),
        new TokenRange(Long.MIN_VALUE, Long.MAX_VALUE), files, state);
  }

  @Test
  void roundTripsWithAndWithoutFilesAndState() throws IOException {
    SnapshotManifest full = sample(new byte[] {1, 2, 3},
        List.of(new SnapshotManifest.FileEntry("data.sst", 4096, 0xCAFEBABE), new SnapshotManifest.FileEntry("partitions.sst", 1, -1)));
    SnapshotManifest back = SnapshotManifest.decode(full.encode(), "test");
    assertEquals(full.termIndex(), back.termIndex());
    assertEquals(full.tableId(), back.tableId());
    assertEquals(full.range(), back.range());
    assertEquals(full.files(), back.files());
    assertArrayEquals(full.logOrderedState(), back.logOrderedState());

    SnapshotManifest empty = SnapshotManifest.decode(sample(new byte[0], List.of()).encode(), "test");
    assertEquals(List.of(), empty.files());
    assertEquals(0, empty.logOrderedState().length);
  }

  @Test
  void everyFlippedBitAndEveryTruncationIsRefused() {
    byte[] bytes = sample(new byte[] {9}, List.of(new SnapshotManifest.FileEntry("data.sst", 10, 7))).encode();
    for (int i = 0; i < bytes.length * 8; i++) {
      byte[] bad = bytes.clone();
      bad[i / 8] ^= (byte) (1 << (i % 8));
      assertThrows(IOException.class, () -> SnapshotManifest.decode(bad, "test"), "bit " + i);
    }
    for (int n = 0; n < bytes.length; n++) {
      byte[] cut = Arrays.copyOf(bytes, n);
      assertThrows(IOException.class, () -> SnapshotManifest.decode(cut, "test"), "length " + n);
    }
  }
}
