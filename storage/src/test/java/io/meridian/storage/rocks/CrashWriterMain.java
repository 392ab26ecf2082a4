package io.meridian.storage.rocks;

import io.meridian.common.Clock;
import io.meridian.storage.Cell;
import io.meridian.storage.StorageConfig;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Child process of {@link CrashDurabilityTest}: writes mutations with the SYNC policy and prints
 * "ACKED i" once each one's future completed. It never closes the engine; the parent kills it.
 */
public final class CrashWriterMain {
  static final UUID TABLE = UUID.fromString("00000000-0000-0000-0000-00000000c0de");

  public static void main(String[] args) throws Exception {
    RocksStorageEngine e = RocksStorageEngine.open(StorageConfig.defaults(Path.of(args[0])).withPurge(0, 100), Clock.SYSTEM);
    e.createTable(TABLE, 4);
    System.out.println("READY");
    System.out.flush();
    for (int i = 0; ; i++) {
      e.apply(Muts.rows(TABLE, Muts.pk("k" + i), Muts.row(Muts.b(1), Cell.live("v", Muts.s("value-" + i), i + 1)))).join();
      System.out.println("ACKED " + i);
      System.out.flush();
    }
  }
}
