package io.meridian.storage.rocks;

import io.meridian.common.MeridianException;
import io.meridian.storage.TokenRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.EnvOptions;
import org.rocksdb.IngestExternalFileOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;
import org.rocksdb.SstFileReader;
import org.rocksdb.SstFileReaderIterator;
import org.rocksdb.SstFileWriter;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A table's token range as SST files, one per column family ({@code data.sst},
 * {@code partitions.sst}; a column family with nothing in the range gets no file, since RocksDB
 * cannot write an empty SST).
 *
 * <p>Key bounds: tokens t with start < t <= end are exactly the keys from
 * {@code tokenPrefix(start + 1)} (inclusive) up to the successor of {@code tokenPrefix(end)}
 * (exclusive), because every key of a token starts with its 24-byte token prefix and the sign-flipped
 * token sorts as a signed long. For end = Long.MAX_VALUE the successor is the next table id; for
 * the last possible table id there is none and the range runs to the end of the key space.
 */
final class RangeFiles {
  static final String DATA_FILE = "data.sst";
  static final String PARTITIONS_FILE = "partitions.sst";

  private final RocksDB db;
  private final ColumnFamilyHandle dataCf;
  private final ColumnFamilyHandle partitionsCf;
  private final ColumnFamilyOptions cfOptions;

  RangeFiles(RocksDB db, ColumnFamilyHandle dataCf, ColumnFamilyHandle partitionsCf, ColumnFamilyOptions cfOptions) {
    this.db = db;
    this.dataCf = dataCf;
    this.partitionsCf = partitionsCf;
    this.cfOptions = cfOptions;
  }

  /** The store's estimate of the bytes the range's records take, in files and memtables. */
  long approximateBytes(UUID tableId, TokenRange range) {
    byte[] lower = lowerBound(tableId, range);
    byte[] upper = upperBound(tableId, range);
    if (upper == null) {
      upper = new byte[lower.length + 1]; // the last table: a key above all of its keys
      java.util.Arrays.fill(upper, (byte) 0xFF);
    }
    long total = 0;
    try (org.rocksdb.Slice from = new org.rocksdb.Slice(lower); org.rocksdb.Slice to = new org.rocksdb.Slice(upper)) {
      for (ColumnFamilyHandle cf : List.of(dataCf, partitionsCf)) {
        total += db.getApproximateSizes(cf, List.of(new org.rocksdb.Range(from, to)),
            org.rocksdb.SizeApproximationFlag.INCLUDE_FILES, org.rocksdb.SizeApproximationFlag.INCLUDE_MEMTABLES)[0];
      }
    }
    return total;
  }

  static byte[] lowerBound(UUID tableId, TokenRange range) {
    checkRange(range);
    return KeyCodec.tokenPrefix(tableId, range.start() + 1);
  }

  /** Exclusive upper bound, or null for "to the end of the key space". */
  static byte[] upperBound(UUID tableId, TokenRange range) {
    return KeyCodec.prefixSuccessor(KeyCodec.tokenPrefix(tableId, range.end()));
  }

  private static void checkRange(TokenRange range) {
    if (range == null || range.start() >= range.end()) {
      throw MeridianException.invalid("token range must have start < end (split wrapping ranges), got " + range);
    }
  }

  /** Writes the range as seen by {@code snapshot}. */
  List<Path> export(UUID tableId, TokenRange range, Path dir, Snapshot snapshot) throws RocksDBException, IOException {
    byte[] lower = lowerBound(tableId, range);
    byte[] upper = upperBound(tableId, range);
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>(2);
    for (ColumnFamilyHandle cf : List.of(dataCf, partitionsCf)) {
      Path file = dir.resolve(fileName(cf));
      Files.deleteIfExists(file);
      if (exportColumnFamily(cf, lower, upper, snapshot, file)) {
        written.add(file);
      }
    }
    return written;
  }

  private boolean exportColumnFamily(ColumnFamilyHandle cf, byte[] lower, byte[] upper, Snapshot snapshot, Path file)
      throws RocksDBException {
    try (Slice lowerSlice = new Slice(lower);
         Slice upperSlice = upper == null ? null : new Slice(upper);
         ReadOptions ro = new ReadOptions().setSnapshot(snapshot).setIterateLowerBound(lowerSlice)
             .setFillCache(false);
         EnvOptions env = new EnvOptions();
         DBOptions dbOptions = new DBOptions();
         Options options = new Options(dbOptions, cfOptions)) {
      if (upperSlice != null) {
        ro.setIterateUpperBound(upperSlice);
      }
      SstFileWriter writer = null;
      try (RocksIterator it = db.newIterator(cf, ro)) {
        for (it.seek(lower); it.isValid(); it.next()) {
          if (writer == null) {
            writer = new SstFileWriter(env, options);
            writer.open(file.toString());
          }
          writer.put(it.key(), it.value());
        }
        it.status();
        if (writer != null) {
          writer.finish(); // syncs the file
        }
      } finally {
        if (writer != null) {
          writer.close();
        }
      }
      return writer != null;
    }
  }

  /**
   * Checks the files, then removes every record of the range and ingests them. Runs on the
   * committer thread so it is ordered with writes and purge steps.
   */
  void replace(UUID tableId, TokenRange range, Path dir, WriteOptions syncWrite) throws RocksDBException {
    byte[] lower = lowerBound(tableId, range);
    byte[] upper = upperBound(tableId, range);
    List<ColumnFamilyHandle> cfs = List.of(dataCf, partitionsCf);
    List<Path> files = new ArrayList<>(2);
    for (ColumnFamilyHandle cf : cfs) {
      Path file = dir.resolve(fileName(cf));
      if (Files.exists(file)) {
        checkFile(file, lower, upper);
      }
      files.add(file);
    }
    try (WriteBatch batch = new WriteBatch()) {
      for (ColumnFamilyHandle cf : cfs) {
        if (upper != null) {
          batch.deleteRange(cf, lower, upper);
        } else {
          deleteToEnd(cf, lower, batch);
        }
      }
      db.write(syncWrite, batch);
    }
    // Copy rather than move: the files belong to the caller (a Raft snapshot other replicas may
    // still fetch). RocksDB syncs the copy and its manifest before returning; the blocking flush
    // is needed because the memtable holds the range deletion above, which overlaps the files.
    try (IngestExternalFileOptions opts = new IngestExternalFileOptions()
        .setMoveFiles(false).setAllowGlobalSeqNo(true).setAllowBlockingFlush(true).setWriteGlobalSeqno(false)) {
      for (int i = 0; i < cfs.size(); i++) {
        if (Files.exists(files.get(i))) {
          db.ingestExternalFile(cfs.get(i), List.of(files.get(i).toString()), opts);
        }
      }
    }
  }

  private void deleteToEnd(ColumnFamilyHandle cf, byte[] lower, WriteBatch batch) throws RocksDBException {
    try (RocksIterator it = db.newIterator(cf)) {
      for (it.seek(lower); it.isValid(); it.next()) {
        batch.delete(cf, it.key());
      }
      it.status();
    }
  }

  /** Block checksums, and every key inside [lower, upper): a file never lands outside its range. */
  private void checkFile(Path file, byte[] lower, byte[] upper) throws RocksDBException {
    try (Options options = new Options(); SstFileReader reader = new SstFileReader(options)) {
      reader.open(file.toString());
      reader.verifyChecksum();
      try (ReadOptions ro = new ReadOptions(); SstFileReaderIterator it = reader.newIterator(ro)) {
        it.seekToFirst();
        if (it.isValid()) {
          checkInside(file, it.key(), lower, upper);
          it.seekToLast();
          checkInside(file, it.key(), lower, upper);
        }
        it.status();
      }
    }
  }

  private static void checkInside(Path file, byte[] key, byte[] lower, byte[] upper) {
    if (Arrays.compareUnsigned(key, lower) < 0 || (upper != null && Arrays.compareUnsigned(key, upper) >= 0)) {
      throw MeridianException.invalid(file + " holds key 0x" + HexFormat.of().formatHex(key)
          + " outside the range being replaced; refusing to ingest it");
    }
  }

  private String fileName(ColumnFamilyHandle cf) {
    return cf == dataCf ? DATA_FILE : PARTITIONS_FILE;
  }
}
