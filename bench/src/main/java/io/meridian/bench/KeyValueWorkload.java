package io.meridian.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Single-partition key/value traffic on table {@code bench.kv}. A row is about 100 bytes of values:
 * bigint key (8), text (48), int (4), bigint (8), blob (32). Keys are uniform in [0, keys).
 *
 * <ul>
 *   <li>insert: 100% INSERT of random keys (upserts once the key space is covered), no preload.
 *   <li>read: preload every key, then 100% single-row SELECT of random keys; all must hit.
 *   <li>mixed: preload every key, then 50% SELECT, 50% UPDATE of two columns of random keys.
 *   <li>lwt: preload every key, then 100% lightweight transactions: UPDATE of two columns of a
 *       random key IF EXISTS (always applied, so every request does the full read-check-write).
 *   <li>indexed: preload every key (c_int = the key), then 100% SELECT by the non-key column c_int
 *       = a random key, one row each, through an index (a storage-attached index is created for
 *       Cassandra; Meridian indexes every column anyway).
 *   <li>indexed-range: the same, but c_int in a range of {@link #RANGE_ROWS} values, that many rows.
 * </ul>
 */
final class KeyValueWorkload implements Workload {

  /** Keyspace-qualified, so the session never needs USE. */
  static final String TABLE = LoadGenerator.KEYSPACE + ".kv";
  /** Rows an indexed-range read selects. */
  static final int RANGE_ROWS = 10;

  private enum Reads { BY_KEY, BY_INDEX, BY_INDEX_RANGE }

  private final String name;
  private final long keys;
  private final int readPercent;
  private final boolean preload;
  private final Payloads payloads;
  private final boolean conditional;
  private Reads reads = Reads.BY_KEY;
  private String tableOptions;

  private PreparedStatement insert;
  private PreparedStatement conditionalUpdate;
  private PreparedStatement update;
  private PreparedStatement select;

  private KeyValueWorkload(String name, long keys, int readPercent, boolean preload,
      Payloads payloads) {
    this(name, keys, readPercent, preload, payloads, false);
  }

  private KeyValueWorkload(String name, long keys, int readPercent, boolean preload,
      Payloads payloads, boolean conditional) {
    this.conditional = conditional;
    this.name = name;
    this.keys = keys;
    this.readPercent = readPercent;
    this.preload = preload;
    this.payloads = payloads;
  }

  static KeyValueWorkload insertOnly(long keys, Payloads payloads) {
    return new KeyValueWorkload("insert", keys, 0, false, payloads);
  }

  static KeyValueWorkload readOnly(long keys, Payloads payloads) {
    return new KeyValueWorkload("read", keys, 100, true, payloads);
  }

  static KeyValueWorkload mixed(long keys, Payloads payloads) {
    return new KeyValueWorkload("mixed", keys, 50, true, payloads);
  }

  static KeyValueWorkload lightweightTransactions(long keys, Payloads payloads) {
    return new KeyValueWorkload("lwt", keys, 0, true, payloads, true);
  }

  static KeyValueWorkload indexedReads(long keys, Payloads payloads, boolean range) {
    if (range && keys < RANGE_ROWS) {
      throw new IllegalArgumentException("--keys must be at least " + RANGE_ROWS + " for indexed-range");
    }
    KeyValueWorkload w = new KeyValueWorkload(range ? "indexed-range" : "indexed", keys, 100, true, payloads);
    w.reads = range ? Reads.BY_INDEX_RANGE : Reads.BY_INDEX;
    return w;
  }

  /** Table options appended as {@code WITH ...} to the table's CREATE TABLE; null for none. */
  KeyValueWorkload withTableOptions(String options) {
    this.tableOptions = options;
    return this;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<String> createTablesCql() {
    String create = "CREATE TABLE IF NOT EXISTS " + TABLE + " ("
        + "id bigint PRIMARY KEY, c_text text, c_int int, c_bigint bigint, c_blob blob)"
        + (tableOptions == null ? "" : " WITH " + tableOptions);
    if (reads == Reads.BY_KEY) {
      return List.of(create);
    }
    // Cassandra needs the index; Meridian accepts it (and indexes every column anyway).
    return List.of(create, "CREATE INDEX IF NOT EXISTS kv_c_int ON " + TABLE + " (c_int) USING 'sai'");
  }

  @Override
  public List<String> tableNames() {
    return List.of(TABLE);
  }

  @Override
  public void prepare(CqlSession session) {
    insert = session.prepare("INSERT INTO " + TABLE
        + " (id, c_text, c_int, c_bigint, c_blob) VALUES (?, ?, ?, ?, ?)");
    update = session.prepare("UPDATE " + TABLE + " SET c_text = ?, c_int = ? WHERE id = ?");
    conditionalUpdate = session.prepare("UPDATE " + TABLE + " SET c_text = ?, c_int = ? WHERE id = ? IF EXISTS");
    String columns = "SELECT id, c_text, c_int, c_bigint, c_blob FROM " + TABLE;
    select = session.prepare(columns + switch (reads) {
      case BY_KEY -> " WHERE id = ?";
      case BY_INDEX -> " WHERE c_int = ?";
      case BY_INDEX_RANGE -> " WHERE c_int >= ? AND c_int < ?";
    });
  }

  @Override
  public long preloadCount() {
    return preload ? keys : 0;
  }

  @Override
  public Statement<?> preloadStatement(long index) {
    return insert.bind(index, payloads.text(index), (int) index, index, payloads.blob(index));
  }

  @Override
  public Op next(SplittableRandom random) {
    long key = random.nextLong(keys);
    if (conditional) {
      return new Op(OpKind.WRITE, conditionalUpdate.bind(payloads.text(random), random.nextInt(), key), 0);
    }
    if (readPercent > 0 && random.nextInt(100) < readPercent) {
      // Only workloads that preloaded every key read, so every read must find its rows.
      return switch (reads) {
        case BY_KEY -> new Op(OpKind.READ, select.bind(key), 1);
        case BY_INDEX -> new Op(OpKind.READ, select.bind((int) key), 1);
        case BY_INDEX_RANGE -> {
          int from = (int) random.nextLong(keys - RANGE_ROWS + 1);
          yield new Op(OpKind.READ, select.bind(from, from + RANGE_ROWS), RANGE_ROWS);
        }
      };
    }
    if (readPercent == 0) {
      return new Op(OpKind.WRITE, insert.bind(key, payloads.text(random), random.nextInt(),
          random.nextLong(), payloads.blob(random)), 0);
    }
    return new Op(OpKind.WRITE, update.bind(payloads.text(random), random.nextInt(), key), 0);
  }
}
