package io.meridian.replication;

import io.meridian.storage.Cell;
import io.meridian.storage.IndexHit;
import io.meridian.storage.PartitionData;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.ReadRange;
import io.meridian.storage.StoredRow;
import io.meridian.storage.TermRange;
import io.meridian.storage.TokenRange;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Read requests sent through a tablet's Raft group (Ratis read-only messages) and the results its
 * state machine answers, in the {@link WireFrame} envelope with magic "MRRD" and format 1.
 *
 * <pre>
 * kind 1 partition read  = key, range, i32 nowSeconds
 * kind 2 scan            = i64 tokensStart, i64 tokensEnd, bool hasAfter, [key], range, i32 nowSeconds,
 *                          i32 partitionsMax
 * kind 3 partition found = i64 bucketVersion, bool present, [partition]
 * kind 4 scan page       = u32 count, partition*, bool more
 * kind 8 index read      = string column, bytes prefix, nbytes low, bool lowInclusive, nbytes high,
 *                          bool highInclusive, i64 tokensStart, i64 tokensEnd, bool hasAfter, [hit], i32 hitsMax
 * kind 9 index page      = bool ready, u32 count, hit*, bool more
 *
 * key       = i64 token, bytes serialized
 * range     = bytes start, nbytes end, bool reversed, i32 limitRows, bool includeStatic
 * partition = key, bool hasStatic, [row], u32 count, row*
 * row       = bytes clustering, i64 livenessMicros, i32 livenessTtl, i32 livenessLocalDeletionTime,
 *             u32 count, cell*
 * cell      = string column, nbytes path, nbytes value, i64 timestampMicros, i32 ttl, i32 localDeletionTime
 * hit       = bytes term, key, bytes clustering
 * </pre>
 */
public final class ReadCodec {
  public static final int MAGIC = 0x4D525244; // "MRRD": Meridian read
  public static final byte FORMAT_VERSION = 1;
  private static final byte KIND_PARTITION_READ = 1;
  private static final byte KIND_SCAN = 2;
  private static final byte KIND_PARTITION_RESULT = 3;
  private static final byte KIND_SCAN_PAGE = 4;
  private static final byte KIND_STATUS_READ = 5;
  private static final byte KIND_STATUS = 6;
  /** The answer to a data read on a sealed tablet (see {@link MutationCodec.Seal}). */
  private static final byte KIND_SEALED = 7;
  private static final byte KIND_INDEX_READ = 8;
  private static final byte KIND_INDEX_PAGE = 9;
  private static final byte KIND_APPLIED_INDEX_READ = 10;
  private static final int HIT_BYTES_MIN = 4 + 8 + 4 + 4;
  private static final int ROW_BYTES_MIN = 4 + 8 + 4 + 4 + 4;
  private static final int CELL_BYTES_MIN = 4 + 4 + 4 + 8 + 4 + 4;
  private static final int PARTITION_BYTES_MIN = 8 + 4 + 1 + 4;

  private ReadCodec() {}

  /** A request the state machine answers from its local engine. */
  public sealed interface Request permits PartitionRead, ScanRead, StatusRead, AppliedIndexRead, IndexRead {}

  /**
   * Up to {@code hitsMax} index entries of the tablet (see {@link
   * io.meridian.storage.StorageEngine#indexScan}). {@code column} is the indexed column the terms
   * belong to, so the replica can say whether its entries for it are complete.
   */
  public record IndexRead(String column, TermRange terms, TokenRange tokens, IndexHit after, int hitsMax)
      implements Request {}

  /** An index read's answer; {@code ready} false (and no hits) when the replica's entries are incomplete. */
  public record IndexPage(List<IndexHit> hits, boolean more, boolean ready) {}

  /** The tablet's replica reports on itself: {@link TabletStatus}. Answered even when sealed. */
  public record StatusRead() implements Request {}

  /**
   * As {@link StatusRead} without the size estimate (-1), which costs the store a look at its
   * files and memtables: for questions asked once per read. A node from before this kind answers
   * with an error.
   */
  public record AppliedIndexRead() implements Request {}

  /**
   * What one replica says about its tablet.
   *
   * @param approximateBytes the store's estimate of the range's size (-1 when it cannot tell)
   * @param appliedIndex the last log entry this replica applied (-1 before any)
   * @param sealedSplitToken the split token of the seal this replica applied, or null when unsealed
   */
  public record TabletStatus(long approximateBytes, long appliedIndex, Long sealedSplitToken) {}

  /** One partition's slice; the answer also carries the visible conflict version of its bucket. */
  public record PartitionRead(PartitionKey key, ReadRange range, int nowSeconds) implements Request {}

  /** Up to {@code partitionsMax} partitions of {@code tokens} after {@code after} (null: from the start). */
  public record ScanRead(TokenRange tokens, PartitionKey after, ReadRange perPartition, int nowSeconds,
                         int partitionsMax) implements Request {}

  /**
   * A partition read's answer. {@code bucketVersion} was read before the data, so the data is at
   * least as new as that version: see {@link ConflictVersions}.
   */
  public record PartitionResult(Optional<PartitionData> data, long bucketVersion) {}

  // ------------------------------------------------------------------ requests

  public static byte[] encode(Request request) {
    if (request instanceof StatusRead) {
      return new WireFrame.Out(MAGIC, FORMAT_VERSION, KIND_STATUS_READ).finish();
    }
    if (request instanceof AppliedIndexRead) {
      return new WireFrame.Out(MAGIC, FORMAT_VERSION, KIND_APPLIED_INDEX_READ).finish();
    }
    if (request instanceof PartitionRead r) {
      WireFrame.Out out = new WireFrame.Out(MAGIC, FORMAT_VERSION, KIND_PARTITION_READ);
      putKey(out, r.key());
      putRange(out, r.range());
      return out.putInt(r.nowSeconds()).finish();
    }
    if (request instanceof IndexRead r) {
      WireFrame.Out out = new WireFrame.Out(MAGIC, FORMAT_VERSION, KIND_INDEX_READ);
      out.putString(r.column()).putBytes(r.terms().prefix()).putBytes(r.terms().low()).putBoolean(r.terms().lowInclusive())
          .putBytes(r.terms().high()).putBoolean(r.terms().highInclusive());
      out.putLong(r.tokens().start()).putLong(r.tokens().end()).putBoolean(r.after() != null);
      if (r.after() != null) {
        putHit(out, r.after());
      }
      return out.putInt(r.hitsMax()).finish();
    }
    ScanRead s = (ScanRead) request;
    WireFrame.Out out = new WireFrame.Out(MAGIC, FORMAT_VERSION, KIND_SCAN);
    out.putLong(s.tokens().start()).putLong(s.tokens().end()).putBoolean(s.after() != null);
    if (s.after() != null) {
      putKey(out, s.after());
    }
    putRange(out, s.perPartition());
    return out.putInt(s.nowSeconds()).putInt(s.partitionsMax()).finish();
  }

  public static Request decodeRequest(ByteBuffer message) {
    WireFrame.In in = WireFrame.open(message, MAGIC, FORMAT_VERSION, "read request");
    Request request;
    if (in.kind() == KIND_PARTITION_READ) {
      request = new PartitionRead(getKey(in), getRange(in), in.getInt());
    } else if (in.kind() == KIND_STATUS_READ) {
      request = new StatusRead();
    } else if (in.kind() == KIND_APPLIED_INDEX_READ) {
      request = new AppliedIndexRead();
    } else if (in.kind() == KIND_SCAN) {
      TokenRange tokens = new TokenRange(in.getLong(), in.getLong());
      PartitionKey after = in.getBoolean() ? getKey(in) : null;
      ReadRange perPartition = getRange(in);
      int now = in.getInt();
      int partitionsMax = in.getInt();
      if (partitionsMax < 1) {
        throw new CorruptMessageException("scan asks for " + partitionsMax + " partitions");
      }
      request = new ScanRead(tokens, after, perPartition, now, partitionsMax);
    } else if (in.kind() == KIND_INDEX_READ) {
      String column = in.getString();
      TermRange terms = new TermRange(in.getBytes(false), in.getBytes(true), in.getBoolean(), in.getBytes(true), in.getBoolean());
      TokenRange tokens = new TokenRange(in.getLong(), in.getLong());
      IndexHit after = in.getBoolean() ? getHit(in) : null;
      int hitsMax = in.getInt();
      if (hitsMax < 1) {
        throw new CorruptMessageException("index read asks for " + hitsMax + " entries");
      }
      request = new IndexRead(column, terms, tokens, after, hitsMax);
    } else {
      throw new CorruptMessageException("read request of unknown kind " + in.kind());
    }
    in.end();
    return request;
  }

  // ------------------------------------------------------------------ results

  public static byte[] encodeStatus(TabletStatus status) {
    WireFrame.Out out = new WireFrame.Out(MAGIC, FORMAT_VERSION, KIND_STATUS);
    out.putLong(status.approximateBytes()).putLong(status.appliedIndex()).putBoolean(status.sealedSplitToken() != null);
    return out.putLong(status.sealedSplitToken() == null ? 0 : status.sealedSplitToken()).finish();
  }

  public static TabletStatus decodeStatus(ByteBuffer message) {
    WireFrame.In in = WireFrame.open(message, MAGIC, FORMAT_VERSION, "tablet status");
    expectKind(in, KIND_STATUS);
    long bytes = in.getLong();
    long applied = in.getLong();
    boolean sealed = in.getBoolean();
    long token = in.getLong();
    in.end();
    return new TabletStatus(bytes, applied, sealed ? token : null);
  }

  /** The answer of a sealed tablet to a data read: it holds no rows any more, its halves do. */
  public static byte[] encodeSealed(long splitToken) {
    return new WireFrame.Out(MAGIC, FORMAT_VERSION, KIND_SEALED).putLong(splitToken).finish();
  }

  /** True when {@code message} is a sealed tablet's answer rather than data. */
  public static boolean isSealed(ByteBuffer message) {
    WireFrame.In in = WireFrame.open(message, MAGIC, FORMAT_VERSION, "read result");
    return in.kind() == KIND_SEALED;
  }

  public static byte[] encodePartitionResult(PartitionResult result) {
    WireFrame.Out out = new WireFrame.Out(MAGIC, FORMAT_VERSION, KIND_PARTITION_RESULT);
    out.putLong(result.bucketVersion()).putBoolean(result.data().isPresent());
    result.data().ifPresent(p -> putPartition(out, p));
    return out.finish();
  }

  public static PartitionResult decodePartitionResult(ByteBuffer message) {
    WireFrame.In in = WireFrame.open(message, MAGIC, FORMAT_VERSION, "partition read result");
    expectKind(in, KIND_PARTITION_RESULT);
    long version = in.getLong();
    Optional<PartitionData> data = in.getBoolean() ? Optional.of(getPartition(in)) : Optional.empty();
    in.end();
    return new PartitionResult(data, version);
  }

  /**
   * Encodes a scan page, adding partitions from {@code partitions} until it holds all of them or
   * {@code bytesMax} is reached (always at least one). Partitions not taken make {@code more} true.
   */
  public static byte[] encodeScanPage(List<PartitionData> partitions, boolean moreAfter, int bytesMax) {
    List<byte[]> encoded = new ArrayList<>();
    long bytes = WireFrame.HEADER_BYTES + 4 + 1 + WireFrame.CRC_BYTES;
    for (PartitionData p : partitions) {
      WireFrame.Out one = new WireFrame.Out(0, (byte) 0, (byte) 0);
      putPartition(one, p);
      byte[] b = one.finish();
      if (!encoded.isEmpty() && bytes + b.length > bytesMax) {
        break;
      }
      encoded.add(b);
      bytes += b.length;
    }
    boolean more = moreAfter || encoded.size() < partitions.size();
    WireFrame.Out out = new WireFrame.Out(MAGIC, FORMAT_VERSION, KIND_SCAN_PAGE);
    out.putInt(encoded.size());
    List<PartitionData> taken = partitions.subList(0, encoded.size());
    taken.forEach(p -> putPartition(out, p));
    return out.putBoolean(more).finish();
  }

  public static ScanPage decodeScanPage(ByteBuffer message) {
    WireFrame.In in = WireFrame.open(message, MAGIC, FORMAT_VERSION, "scan page");
    expectKind(in, KIND_SCAN_PAGE);
    int count = in.getCount(PARTITION_BYTES_MIN);
    List<PartitionData> partitions = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      partitions.add(getPartition(in));
    }
    boolean more = in.getBoolean();
    in.end();
    return new ScanPage(List.copyOf(partitions), more);
  }

  public static byte[] encodeIndexPage(IndexPage page) {
    WireFrame.Out out = new WireFrame.Out(MAGIC, FORMAT_VERSION, KIND_INDEX_PAGE);
    out.putBoolean(page.ready()).putInt(page.hits().size());
    page.hits().forEach(h -> putHit(out, h));
    return out.putBoolean(page.more()).finish();
  }

  public static IndexPage decodeIndexPage(ByteBuffer message) {
    WireFrame.In in = WireFrame.open(message, MAGIC, FORMAT_VERSION, "index page");
    expectKind(in, KIND_INDEX_PAGE);
    boolean ready = in.getBoolean();
    int count = in.getCount(HIT_BYTES_MIN);
    List<IndexHit> hits = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      hits.add(getHit(in));
    }
    boolean more = in.getBoolean();
    in.end();
    return new IndexPage(List.copyOf(hits), more, ready);
  }

  // ------------------------------------------------------------------ fields

  private static void putHit(WireFrame.Out out, IndexHit hit) {
    out.putBytes(hit.term());
    putKey(out, hit.key());
    out.putBytes(hit.clustering());
  }

  private static IndexHit getHit(WireFrame.In in) {
    byte[] term = in.getBytes(false);
    PartitionKey key = getKey(in);
    return new IndexHit(term, key, in.getBytes(false));
  }

  private static void expectKind(WireFrame.In in, byte kind) {
    if (in.kind() != kind) {
      throw new CorruptMessageException("expected a message of kind " + kind + ", got " + in.kind());
    }
  }

  private static void putKey(WireFrame.Out out, PartitionKey key) {
    out.putLong(key.token()).putBytes(key.serialized());
  }

  private static PartitionKey getKey(WireFrame.In in) {
    return new PartitionKey(in.getLong(), in.getBytes(false));
  }

  private static void putRange(WireFrame.Out out, ReadRange r) {
    out.putBytes(r.start()).putBytes(r.end()).putBoolean(r.reversed()).putInt(r.limitRows())
        .putBoolean(r.includeStatic());
  }

  private static ReadRange getRange(WireFrame.In in) {
    return new ReadRange(in.getBytes(false), in.getBytes(true), in.getBoolean(), in.getInt(), in.getBoolean());
  }

  private static void putPartition(WireFrame.Out out, PartitionData p) {
    putKey(out, p.key());
    out.putBoolean(p.staticRow() != null);
    if (p.staticRow() != null) {
      putRow(out, p.staticRow());
    }
    out.putInt(p.rows().size());
    p.rows().forEach(r -> putRow(out, r));
  }

  private static PartitionData getPartition(WireFrame.In in) {
    PartitionKey key = getKey(in);
    StoredRow staticRow = in.getBoolean() ? getRow(in) : null;
    int count = in.getCount(ROW_BYTES_MIN);
    List<StoredRow> rows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      rows.add(getRow(in));
    }
    return new PartitionData(key, staticRow, List.copyOf(rows));
  }

  private static void putRow(WireFrame.Out out, StoredRow row) {
    out.putBytes(row.clustering()).putLong(row.livenessMicros()).putInt(row.livenessTtlSeconds())
        .putInt(row.livenessLocalDeletionTime()).putInt(row.cells().size());
    for (Cell c : row.cells()) {
      out.putString(c.column()).putBytes(c.path()).putBytes(c.value()).putLong(c.timestampMicros())
          .putInt(c.ttlSeconds()).putInt(c.localDeletionTime());
    }
  }

  private static StoredRow getRow(WireFrame.In in) {
    byte[] clustering = in.getBytes(false);
    long liveness = in.getLong();
    int ttl = in.getInt();
    int ldt = in.getInt();
    int count = in.getCount(CELL_BYTES_MIN);
    List<Cell> cells = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      cells.add(new Cell(in.getString(), in.getBytes(true), in.getBytes(true), in.getLong(), in.getInt(), in.getInt()));
    }
    return new StoredRow(clustering, liveness, ttl, ldt, List.copyOf(cells));
  }
}
