package io.meridian.storage.rocks;

import io.meridian.storage.TabletRanges;
import io.meridian.common.Clock;
import io.meridian.common.CqlErrorCode;
import io.meridian.common.Invariants;
import io.meridian.common.MeridianException;
import io.meridian.storage.CommitPolicy;
import io.meridian.storage.ConditionalWrite;
import io.meridian.storage.DeletionTime;
import io.meridian.storage.IndexHit;
import io.meridian.storage.Mutation;
import io.meridian.storage.MutationChecks;
import io.meridian.storage.PartitionData;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.ReadRange;
import io.meridian.storage.RowChange;
import io.meridian.storage.RowUpdate;
import io.meridian.storage.StorageConfig;
import io.meridian.storage.StorageEngine;
import io.meridian.storage.StoredRow;
import io.meridian.storage.TableIndexing;
import io.meridian.storage.Tablet;
import io.meridian.storage.TabletSnapshots;
import io.meridian.storage.TermRange;
import io.meridian.storage.TokenRange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Predicate;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-node storage engine on RocksDB. See {@code storage/README.md} for the on-disk format.
 *
 * <p>Threads: callers enqueue mutations and control work (truncate, drop, purge) on one bounded
 * commit queue; a single committer thread drains it, group-commits mutations in one
 * {@link WriteBatch} and completes their futures (dependent actions attached with non-async
 * {@code then*} methods run on the committer thread: keep them short or use the async variants).
 * Reads run on the caller's thread against a RocksDB snapshot and never take the committer's
 * path. A timer thread fsyncs the WAL under {@link CommitPolicy#PERIODIC} and starts purge passes.
 */
public final class RocksStorageEngine implements StorageEngine, TabletSnapshots {
  private static final Logger log = LoggerFactory.getLogger(RocksStorageEngine.class);

  static final int FORMAT_VERSION = 1;
  static final byte[] FORMAT_VERSION_KEY = "meridian/format-version".getBytes(StandardCharsets.UTF_8);
  static final byte[] TABLE_META_PREFIX = "meridian/table/".getBytes(StandardCharsets.UTF_8);
  static final String DATA_CF = "data";
  static final String PARTITIONS_CF = "partitions";
  static final String INDEX_CF = "index";
  private static final int BLOOM_BITS_PER_KEY = 10;
  private static final long QUEUE_POLL_MS = 50;

  static {
    RocksDB.loadLibrary();
  }

  private final StorageConfig config;
  private final Clock clock;
  private final List<AutoCloseable> resources; // closed in reverse order after the DB
  private final RocksDB db;
  private final ColumnFamilyHandle metaCf;
  private final ColumnFamilyHandle dataCf;
  private final ColumnFamilyHandle partitionsCf;
  private final RangeFiles rangeFiles;
  private final RowIndexes indexes;
  private final WriteOptions commitWriteOptions;
  private final WriteOptions syncWriteOptions;
  private final Map<UUID, List<RocksTablet>> tables = new ConcurrentHashMap<>();
  private final ArrayBlockingQueue<Task> queue;
  private final Thread committer;
  private final ScheduledExecutorService timer;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private final Set<SnapshotScan<?>> openScans = ConcurrentHashMap.newKeySet();
  /**
   * Tablets taken out of service because a corrupt record was found in their range, with the
   * finding. Reads and writes to them fail fast instead of serving or building on bad data; the
   * rest of the store keeps working. In memory: after a restart the corruption is found again
   * when the range is next read.
   */
  private final Map<RocksTablet, String> outOfService = new ConcurrentHashMap<>();
  private final AtomicLong groupsCommitted = new AtomicLong();
  private final AtomicLong periodicSyncs = new AtomicLong();
  // Timer-thread state (set before the timer starts): the sequence number the last periodic sync covered.
  private long periodicSyncedSequence;
  private final AtomicLong mutationsCommitted = new AtomicLong();
  private final AtomicLong purgePassesCompleted = new AtomicLong();
  private volatile boolean closed;
  private volatile boolean stopping;
  private volatile Throwable failure;

  // Committer-thread state.
  private PurgePass activePurge;
  private final List<CompletableFuture<Void>> nextPurgeWaiters = new ArrayList<>();

  private RocksStorageEngine(StorageConfig config, Clock clock, RocksDB db, List<AutoCloseable> resources,
                             List<ColumnFamilyHandle> handles, ColumnFamilyOptions dataOptions) {
    this.config = config;
    this.clock = clock;
    this.db = db;
    this.resources = resources;
    this.metaCf = handles.get(0);
    this.dataCf = handles.get(1);
    this.partitionsCf = handles.get(2);
    this.rangeFiles = new RangeFiles(db, dataCf, partitionsCf, dataOptions);
    this.indexes = new RowIndexes(db, metaCf, dataCf, handles.get(3));
    this.commitWriteOptions = new WriteOptions().setSync(config.commitPolicy() == CommitPolicy.SYNC);
    this.syncWriteOptions = new WriteOptions().setSync(true);
    this.queue = new ArrayBlockingQueue<>(config.commitQueueCapacity());
    this.committer = new Thread(this::runCommitter, "meridian-storage-committer");
    this.committer.setDaemon(true);
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
      Thread th = new Thread(r, "meridian-storage-timer");
      th.setDaemon(true);
      return th;
    });
    t.setRemoveOnCancelPolicy(true);
    this.timer = t;
  }

  /** Opens (creating if needed) the store in {@code config.dataDir()}. */
  public static RocksStorageEngine open(StorageConfig config, Clock clock) {
    try {
      Files.createDirectories(config.dataDir());
    } catch (IOException e) {
      throw MeridianException.server("cannot create storage directory " + config.dataDir(), e);
    }
    RocksStorageEngine engine;
    try {
      engine = openWith(config, clock, CompressionType.LZ4_COMPRESSION);
    } catch (RocksDBException e) {
      if (e.getMessage() == null || !e.getMessage().toLowerCase().contains("compression")) {
        throw MeridianException.server("cannot open RocksDB at " + config.dataDir() + ": " + e.getMessage(), e);
      }
      log.warn("LZ4 is not available in this RocksDB build ({}); storing uncompressed", e.getMessage());
      try {
        engine = openWith(config, clock, CompressionType.NO_COMPRESSION);
      } catch (RocksDBException e2) {
        throw MeridianException.server("cannot open RocksDB at " + config.dataDir() + ": " + e2.getMessage(), e2);
      }
    }
    engine.start();
    return engine;
  }

  private static RocksStorageEngine openWith(StorageConfig config, Clock clock, CompressionType compression)
      throws RocksDBException {
    List<AutoCloseable> resources = new ArrayList<>();
    LRUCache cache = new LRUCache(config.blockCacheBytes());
    resources.add(cache);
    BloomFilter bloom = new BloomFilter(BLOOM_BITS_PER_KEY, false);
    resources.add(bloom);
    ColumnFamilyOptions metaOptions = new ColumnFamilyOptions();
    resources.add(metaOptions);
    ColumnFamilyOptions dataOptions = new ColumnFamilyOptions()
        .setWriteBufferSize(config.memtableBytes())
        .setCompressionType(compression)
        .setTableFormatConfig(new BlockBasedTableConfig()
            .setBlockCache(cache)
            .setFilterPolicy(bloom)
            .setCacheIndexAndFilterBlocks(true)
            .setPinL0FilterAndIndexBlocksInCache(true));
    resources.add(dataOptions);
    DBOptions dbOptions = new DBOptions()
        .setCreateIfMissing(true)
        .setCreateMissingColumnFamilies(true)
        .setMaxBackgroundJobs(2)
        .setKeepLogFileNum(4);
    resources.add(dbOptions);
    List<ColumnFamilyDescriptor> descriptors = List.of(
        new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, metaOptions),
        new ColumnFamilyDescriptor(DATA_CF.getBytes(StandardCharsets.UTF_8), dataOptions),
        new ColumnFamilyDescriptor(PARTITIONS_CF.getBytes(StandardCharsets.UTF_8), dataOptions),
        new ColumnFamilyDescriptor(INDEX_CF.getBytes(StandardCharsets.UTF_8), dataOptions));
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    RocksDB db;
    try {
      db = RocksDB.open(dbOptions, config.dataDir().toString(), descriptors, handles);
    } catch (RocksDBException e) {
      closeAll(resources);
      throw e;
    }
    RocksStorageEngine engine = new RocksStorageEngine(config, clock, db, resources, handles, dataOptions);
    try {
      engine.checkFormatAndLoadTables();
    } catch (RuntimeException | RocksDBException e) {
      engine.closeNative();
      throw e;
    }
    log.info("storage opened at {} (format {}, compression {}, commit {}, {} tables)", config.dataDir(),
        FORMAT_VERSION, compression, config.commitPolicy(), engine.tables.size());
    return engine;
  }

  private void checkFormatAndLoadTables() throws RocksDBException {
    byte[] v = db.get(metaCf, FORMAT_VERSION_KEY);
    if (v == null) {
      try (RocksIterator it = db.newIterator(dataCf)) {
        it.seekToFirst();
        if (it.isValid()) {
          throw MeridianException.configError("storage at " + config.dataDir() + " has data but no format version");
        }
      }
      db.put(metaCf, syncWriteOptions, FORMAT_VERSION_KEY, ByteBuffer.allocate(4).putInt(FORMAT_VERSION).array());
    } else {
      int found = v.length == 4 ? ByteBuffer.wrap(v).getInt() : -1;
      if (found != FORMAT_VERSION) {
        throw MeridianException.configError("storage at " + config.dataDir() + " has format version " + found
            + ", this build reads version " + FORMAT_VERSION);
      }
    }
    try (RocksIterator it = db.newIterator(metaCf)) {
      for (it.seek(TABLE_META_PREFIX); it.isValid() && KeyCodec.startsWith(it.key(), TABLE_META_PREFIX); it.next()) {
        byte[] key = it.key();
        UUID id = KeyCodec.tableId(Arrays.copyOfRange(key, TABLE_META_PREFIX.length, key.length));
        int count = decodeTableMeta(key, it.value());
        tables.put(id, newTablets(id, count));
      }
    }
    indexes.load();
  }

  private void start() {
    committer.start();
    if (config.commitPolicy() == CommitPolicy.PERIODIC) {
      periodicSyncedSequence = db.getLatestSequenceNumber(); // what opening recovered is on disk already
      timer.scheduleAtFixedRate(this::syncWal, config.periodicSyncMs(), config.periodicSyncMs(), TimeUnit.MILLISECONDS);
    }
    if (config.purgeIntervalMs() > 0) {
      timer.scheduleAtFixedRate(() -> {
        if (!closed && !queue.offer(new Control(ControlKind.PURGE, null, new CompletableFuture<>(), null))) {
          log.debug("commit queue full; skipping this purge tick");
        }
      }, config.purgeIntervalMs(), config.purgeIntervalMs(), TimeUnit.MILLISECONDS);
    }
  }

  public StorageConfig config() {
    return config;
  }

  // ================================================================ tables and tablets

  @Override
  public void createTable(UUID tableId, int tabletCount) {
    if (tabletCount < 1 || tabletCount > 65_536) {
      throw MeridianException.invalid("tablet count must be in [1, 65536], got " + tabletCount);
    }
    lifecycle.readLock().lock();
    try {
      checkOpen();
      synchronized (tables) {
        List<RocksTablet> existing = tables.get(tableId);
        if (existing != null) {
          if (existing.size() != tabletCount) {
            throw MeridianException.invalid("table " + tableId + " exists with " + existing.size()
                + " tablets, asked for " + tabletCount);
          }
          return;
        }
        db.put(metaCf, syncWriteOptions, tableMetaKey(tableId), encodeTableMeta(tabletCount));
        tables.put(tableId, newTablets(tableId, tabletCount));
      }
    } catch (RocksDBException e) {
      throw MeridianException.server("cannot record table " + tableId, e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** Creates a table with the configured {@link StorageConfig#tabletsPerTable()}. */
  public void createTable(UUID tableId) {
    createTable(tableId, config.tabletsPerTable());
  }

  private List<RocksTablet> newTablets(UUID tableId, int count) {
    List<TokenRange> ranges = TabletRanges.split(count);
    List<RocksTablet> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(new RocksTablet(this, tableId, i, ranges.get(i)));
    }
    return List.copyOf(out);
  }

  @Override
  public void dropTable(UUID tableId) {
    Invariants.check(Thread.currentThread() != committer, "dropTable called on the committer thread");
    if (!tables.containsKey(tableId)) {
      return;
    }
    await(submitControl(ControlKind.DROP, tableId, null), "drop table " + tableId);
  }

  @Override
  public CompletableFuture<Void> truncate(UUID tableId) {
    if (!tables.containsKey(tableId)) {
      return CompletableFuture.failedFuture(unknownTable(tableId));
    }
    return submitControl(ControlKind.TRUNCATE, tableId, null);
  }

  @Override
  public List<Tablet> tablets(UUID tableId) {
    return List.copyOf(tabletsOf(tableId));
  }

  @Override
  public Tablet tabletFor(UUID tableId, long token) {
    if (token == Long.MIN_VALUE) {
      throw MeridianException.invalid("token Long.MIN_VALUE is not a valid partition token");
    }
    List<RocksTablet> t = tabletsOf(tableId);
    return t.get(TabletRanges.indexOf(token, t.size()));
  }

  private List<RocksTablet> tabletsOf(UUID tableId) {
    List<RocksTablet> t = tables.get(tableId);
    if (t == null) {
      throw unknownTable(tableId);
    }
    return t;
  }

  private static MeridianException unknownTable(UUID tableId) {
    return MeridianException.invalid("unknown table " + tableId + " (not created, or dropped)");
  }

  // ================================================================ write path

  CompletableFuture<Void> submit(RocksTablet tablet, Mutation m) {
    try {
      validate(m);
      if (!m.tableId().equals(tablet.tableId()) || !tablet.range().contains(m.key().token())) {
        throw MeridianException.invalid("mutation for table " + m.tableId() + " token " + m.key().token()
            + " sent to " + tablet);
      }
    } catch (MeridianException e) {
      return CompletableFuture.failedFuture(e);
    }
    return enqueue(List.of(m), List.of(tablet));
  }

  /**
   * Applies several mutations, possibly of several tablets, in one WriteBatch: after a crash
   * either all of them are there or none. Logged batches use this on a single node.
   */
  @Override
  public CompletableFuture<Void> applyAtomically(List<Mutation> mutations) {
    List<RocksTablet> owners = new ArrayList<>(mutations.size());
    try {
      for (Mutation m : mutations) {
        validate(m);
        owners.add((RocksTablet) tabletFor(m.tableId(), m.key().token()));
      }
    } catch (MeridianException e) {
      return CompletableFuture.failedFuture(e);
    }
    return enqueue(List.copyOf(mutations), owners);
  }

  private CompletableFuture<Void> enqueue(List<Mutation> mutations, List<RocksTablet> owners) {
    return offer(() -> owners.forEach(this::checkCurrent), f -> new Write(mutations, f));
  }

  /**
   * Queues a read-decide-write step. It runs on the committer thread after every write queued
   * before it is committed, so its read sees them, and its own mutations are committed before any
   * write queued after it is staged.
   */
  <T> CompletableFuture<T> submitConditional(RocksTablet tablet, PartitionKey key, ReadRange range, int nowSeconds,
                                             ConditionalWrite<T> write) {
    try {
      checkRange(range);
      if (key == null || key.serialized() == null || write == null) {
        throw MeridianException.invalid("conditional write needs a partition key and a decision");
      }
      if (!tablet.range().contains(key.token())) {
        throw MeridianException.invalid("conditional write for token " + key.token() + " sent to " + tablet);
      }
    } catch (MeridianException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Object> f = offer(() -> checkCurrent(tablet),
        g -> new Conditional(tablet, key, range, nowSeconds, write, g));
    @SuppressWarnings("unchecked")
    CompletableFuture<T> typed = (CompletableFuture<T>) (CompletableFuture<?>) f;
    return typed;
  }

  private void checkCurrent(RocksTablet tablet) {
    List<RocksTablet> current = tables.get(tablet.tableId());
    if (current == null || current.get(tablet.index()) != tablet) {
      throw unknownTable(tablet.tableId());
    }
    checkInService(tablet);
  }

  /** Every tablet of the table overlapping {@code tokens} is in service (throws otherwise). */
  private void checkInService(UUID tableId, TokenRange tokens) {
    for (RocksTablet t : tabletsOf(tableId)) {
      if (Math.max(tokens.start(), t.range().start()) < Math.min(tokens.end(), t.range().end())) {
        checkInService(t);
      }
    }
  }

  private void checkInService(RocksTablet tablet) {
    String finding = outOfService.get(tablet);
    if (finding != null) {
      throw new MeridianException(CqlErrorCode.SERVER_ERROR, tablet + " is out of service: " + finding
          + ". Reads and writes to its token range are refused until it is restored from a backup"
          + " (or, once replicated, rebuilt from another replica).");
    }
  }

  /**
   * Takes the tablet holding a corrupt record out of service and returns the exception to throw.
   * A record outside any known tablet (table metadata) changes nothing here.
   */
  private StorageCorruptionException quarantine(StorageCorruptionException e) {
    byte[] key = e.key();
    if (key.length >= KeyCodec.PARTITION_KEY_OFFSET) {
      List<RocksTablet> tablets = tables.get(KeyCodec.tableId(key));
      long token = KeyCodec.token(key);
      if (tablets != null && token != Long.MIN_VALUE) {
        RocksTablet t = tablets.get(TabletRanges.indexOf(token, tablets.size()));
        if (outOfService.putIfAbsent(t, e.getMessage()) == null) {
          log.error("{} taken out of service: {}", t, e.getMessage());
        }
      }
    }
    return e;
  }

  /** Test hook and operator view: the tablets out of service and why. */
  Map<RocksTablet, String> tabletsOutOfService() {
    return Map.copyOf(outOfService);
  }

  /**
   * Queues a task for the committer while the engine is open: {@code checkOpenState} runs under
   * the lifecycle lock, so a table cannot be dropped between the check and the offer. Failures
   * come back as a failed future, never thrown.
   */
  private <F> CompletableFuture<F> offer(Runnable checkOpenState,
                                         java.util.function.Function<CompletableFuture<F>, Task> task) {
    lifecycle.readLock().lock();
    try {
      checkOpen();
      checkOpenState.run();
      CompletableFuture<F> f = new CompletableFuture<>();
      if (!queue.offer(task.apply(f))) {
        throw queueFull();
      }
      return f;
    } catch (MeridianException e) {
      return CompletableFuture.failedFuture(e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** The bounded commit queue is full: fail fast so the client backs off, never block. */
  private MeridianException queueFull() {
    return new MeridianException(CqlErrorCode.OVERLOADED,
        "storage commit queue is full (" + config.commitQueueCapacity() + " pending); retry later");
  }

  /** The structural checks every applied mutation passes (throws INVALID): see {@link MutationChecks}. */
  private static void validate(Mutation m) {
    MutationChecks.validate(m);
  }

  private CompletableFuture<Void> submitControl(ControlKind kind, UUID tableId, Runnable action) {
    return offer(() -> { }, f -> new Control(kind, tableId, f, action));
  }

  // ================================================================ tablet snapshots

  @Override
  public List<Path> exportRange(UUID tableId, TokenRange range, Path dir) {
    lifecycle.readLock().lock();
    try {
      checkOpen();
      tabletsOf(tableId);
      // One RocksDB snapshot for both column families: rows and partition headers of one instant.
      Snapshot snapshot = db.getSnapshot();
      try {
        return rangeFiles.export(tableId, range, dir, snapshot);
      } finally {
        db.releaseSnapshot(snapshot);
      }
    } catch (RocksDBException | IOException e) {
      throw MeridianException.server("cannot export " + range + " of table " + tableId + " to " + dir, e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public long approximateBytes(UUID tableId, TokenRange range) {
    lifecycle.readLock().lock();
    try {
      checkOpen();
      return rangeFiles.approximateBytes(tableId, range);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public void replaceRange(UUID tableId, TokenRange range, Path dir) {
    Invariants.check(Thread.currentThread() != committer, "replaceRange called on the committer thread");
    RangeFiles.lowerBound(tableId, range); // INVALID before anything is queued
    tabletsOf(tableId);
    await(submitControl(ControlKind.REPLACE_RANGE, tableId, () -> {
      try {
        // The rows arrive as files, not writes: their entries are made here, and the entries of
        // the rows they replace removed first. A replace that fails part way is repeated by its
        // caller, which redoes both.
        byte[] lower = RangeFiles.lowerBound(tableId, range);
        byte[] upper = RangeFiles.upperBound(tableId, range);
        indexes.indexStoredRange(lower, upper, false, syncWriteOptions);
        rangeFiles.replace(tableId, range, dir, syncWriteOptions);
        indexes.indexStoredRange(lower, upper, true, syncWriteOptions);
      } catch (RocksDBException e) {
        throw MeridianException.server("cannot replace " + range + " of table " + tableId + " from " + dir, e);
      }
      // Tablets wholly inside the range were rebuilt from a healthy copy: back in service.
      outOfService.keySet().removeIf(t -> t.tableId().equals(tableId)
          && t.range().start() >= range.start() && t.range().end() <= range.end());
    }), "replace " + range + " of table " + tableId);
  }

  // ================================================================ indexes

  @Override
  public void setIndexing(UUID tableId, TableIndexing indexing) {
    Invariants.check(Thread.currentThread() != committer, "setIndexing called on the committer thread");
    tabletsOf(tableId);
    await(submitControl(ControlKind.INDEXING, tableId, () -> {
      try (WriteBatch batch = new WriteBatch()) {
        indexes.setIndexing(batch, tableId, indexing);
        db.write(syncWriteOptions, batch);
      } catch (RocksDBException e) {
        throw MeridianException.server("cannot record the indexing of table " + tableId, e);
      }
    }), "set the indexing of table " + tableId);
  }

  @Override
  public Set<String> readyIndexes(UUID tableId) {
    return indexes.ready(tableId);
  }

  @Override
  public Map<String, Long> indexBuildsInProgress(UUID tableId) {
    RowIndexes.BuildProgress p = indexes.progress().get(tableId);
    if (p == null) {
      return Map.of();
    }
    Map<String, Long> out = new TreeMap<>();
    p.columns().forEach(c -> out.put(c, p.rowsScanned()));
    return out;
  }

  private void runIndexBuildStep() {
    try (WriteBatch batch = new WriteBatch()) {
      Runnable whenWritten = indexes.buildStep(batch, tables::containsKey);
      if (batch.count() > 0) {
        db.write(commitWriteOptions, batch);
      }
      if (whenWritten != null) {
        whenWritten.run();
      }
    } catch (RocksDBException e) {
      fail(e);
      log.error("index build step failed; the engine stopped accepting writes", e);
    } catch (RuntimeException e) {
      // The rows are fine; only this build is: its columns stay out of use.
      log.error("index build abandoned", e);
      indexes.abandonBuild();
    }
  }

  @Override
  public IndexIterator indexScan(UUID tableId, TermRange terms, TokenRange tokens, IndexHit after) {
    if (tokens == null || tokens.start() >= tokens.end()) {
      throw MeridianException.invalid("index scan token range must have start < end");
    }
    lifecycle.readLock().lock();
    try {
      checkOpen();
      checkInService(tableId, tokens);
      byte[] tablePrefix = KeyCodec.tablePrefix(tableId);
      byte[][] bounds = IndexKeys.bounds(tablePrefix, terms, tokens.start(), tokens.end());
      byte[] lower = bounds[0];
      if (after != null) {
        byte[] resume = successorKey(IndexKeys.entry(tablePrefix, after));
        if (Arrays.compareUnsigned(resume, lower) > 0) {
          lower = resume;
        }
      }
      return new IndexScanIterator(lower, bounds[1], tokens);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** Index entries in key order, those outside the token range skipped. */
  private final class IndexScanIterator extends SnapshotScan<IndexHit> implements IndexIterator {
    private final TokenRange tokens;

    IndexScanIterator(byte[] lower, byte[] upper, TokenRange tokens) {
      super(indexes.columnFamily(), lower, upper, "index scan");
      this.tokens = tokens;
    }

    /**
     * Skips what lies outside the tokens by seeking, not by reading: within a term, entries are in
     * token order, so an entry before the range jumps to the range's start in the same term and
     * one after it jumps to the next term. One term range read for one partition or one tablet
     * then costs a seek per distinct term, not a read of every entry.
     */
    @Override
    IndexHit advance() {
      while (it.isValid()) {
        byte[] key = it.key();
        IndexHit hit = IndexKeys.decode(key);
        if (hit == null) {
          // Not a StorageCorruptionException: that would take a tablet out of service by a token
          // read from the wrong bytes. Entries are derived data, rebuilt by setting the indexing.
          throw MeridianException.server("malformed index entry 0x" + java.util.HexFormat.of().formatHex(it.key())
              + "; the table's indexes need rebuilding", null);
        }
        long token = hit.key().token();
        if (tokens.contains(token)) {
          it.next();
          return hit;
        }
        it.seek(token <= tokens.start() ? IndexKeys.sameTermFromToken(key, tokens.start() + 1) : IndexKeys.nextTerm(key));
      }
      return null;
    }
  }

  /** Starts a full purge pass (or joins the next one); completes when the pass is done. */
  public CompletableFuture<Void> purge() {
    return submitControl(ControlKind.PURGE, null, null);
  }

  /** Test hook: runs {@code action} on the committer thread, in queue order. */
  CompletableFuture<Void> runOnCommitter(Runnable action) {
    return submitControl(ControlKind.RUN, null, action);
  }

  public long commitGroupsTotal() {
    return groupsCommitted.get();
  }

  public long committedMutationsTotal() {
    return mutationsCommitted.get();
  }

  public long purgePassesTotal() {
    return purgePassesCompleted.get();
  }

  /** WAL fsyncs the periodic commit policy's timer has made (it skips ticks with nothing new). */
  public long periodicSyncsTotal() {
    return periodicSyncs.get();
  }

  private sealed interface Task permits Write, Control, Conditional {}

  /** One queued write: its mutations land in the same WriteBatch, all or none. */
  private record Write(List<Mutation> mutations, CompletableFuture<Void> future) implements Task {}

  /** One queued read-decide-write step on one partition. */
  private record Conditional(RocksTablet tablet, PartitionKey key, ReadRange range, int nowSeconds,
                             ConditionalWrite<?> write, CompletableFuture<Object> future) implements Task {}

  private enum ControlKind { TRUNCATE, DROP, PURGE, RUN, REPLACE_RANGE, INDEXING }

  private record Control(ControlKind kind, UUID tableId, CompletableFuture<Void> future, Runnable action)
      implements Task {}

  private void runCommitter() {
    int max = config.commitBatchMutationsMax();
    List<Task> drained = new ArrayList<>(max);
    List<Write> group = new ArrayList<>(max);
    // Partitions the current group writes: a conditional step on any other partition reads the
    // committed state as it is, so it can join the group and share its fsync.
    Set<ByteBuffer> groupPartitions = new java.util.HashSet<>();
    while (true) {
      if (activePurge != null && failure != null) {
        MeridianException err = MeridianException.server("purge abandoned: the storage engine failed", failure);
        activePurge.waiters.forEach(f -> f.completeExceptionally(err));
        activePurge = null;
      }
      Task first;
      try {
        first = activePurge != null || indexes.building() ? queue.poll() : queue.poll(QUEUE_POLL_MS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (first == null) {
        if (stopping && queue.isEmpty()) {
          break; // an unfinished purge pass is abandoned; the next open starts afresh
        }
        if (activePurge != null && failure == null) {
          runPurgeStep();
        }
        if (indexes.building() && failure == null) {
          runIndexBuildStep();
        }
        continue;
      }
      drained.clear();
      drained.add(first);
      queue.drainTo(drained, max - 1);
      try {
        for (Task t : drained) {
          if (failure != null) {
            failTask(t, new MeridianException(CqlErrorCode.SERVER_ERROR, "storage engine failed earlier", failure));
          } else if (t instanceof Write w) {
            group.add(w);
            addPartitions(groupPartitions, w);
          } else if (t instanceof Conditional c) {
            // The read must see every earlier write to its partition: if the group has one, the
            // group is committed first.
            if (groupPartitions.contains(ByteBuffer.wrap(KeyCodec.partitionPrefix(c.tablet.tableId(), c.key)))) {
              commitGroup(group);
              group.clear();
              groupPartitions.clear();
            }
            Write decided = decide(c);
            if (decided != null) {
              group.add(decided);
              addPartitions(groupPartitions, decided);
            }
          } else {
            commitGroup(group);
            group.clear();
            groupPartitions.clear();
            runControl((Control) t);
          }
        }
        commitGroup(group);
        if (activePurge != null && failure == null) {
          runPurgeStep();
        }
        if (indexes.building() && failure == null) {
          runIndexBuildStep();
        }
      } catch (RuntimeException | Error e) {
        // A broken invariant or a bug: stop serving writes rather than continue from suspect state.
        fail(e);
        MeridianException err = MeridianException.server("storage committer failed", e);
        drained.forEach(t -> failTask(t, err)); // no-op for tasks already completed
      } finally {
        group.clear();
        groupPartitions.clear();
      }
    }
    MeridianException closedError = closedError();
    if (activePurge != null) {
      activePurge.waiters.forEach(f -> f.completeExceptionally(closedError));
      activePurge = null;
    }
    nextPurgeWaiters.forEach(f -> f.completeExceptionally(closedError));
    nextPurgeWaiters.clear();
  }

  private static void addPartitions(Set<ByteBuffer> partitions, Write w) {
    for (Mutation m : w.mutations) {
      partitions.add(ByteBuffer.wrap(KeyCodec.partitionPrefix(m.tableId(), m.key())));
    }
  }

  private static void failTask(Task t, Throwable e) {
    if (t instanceof Write w) {
      w.future.completeExceptionally(e);
    } else if (t instanceof Conditional c) {
      c.future.completeExceptionally(e);
    } else {
      ((Control) t).future.completeExceptionally(e);
    }
  }

  /**
   * Reads the partition and runs the caller's decision on the committer thread. Returns the write
   * to commit with the next group, or null when there is nothing to write (the future is then
   * already complete). A decision that throws fails only its own future.
   */
  private Write decide(Conditional c) {
    if (!tables.containsKey(c.tablet.tableId())) {
      c.future.completeExceptionally(unknownTable(c.tablet.tableId()));
      return null;
    }
    Optional<PartitionData> current;
    Snapshot snapshot = db.getSnapshot();
    try (ReadOptions ro = new ReadOptions().setSnapshot(snapshot)) {
      current = readOne(ro, snapshot, KeyCodec.partitionPrefix(c.tablet.tableId(), c.key), c.key, c.range, c.nowSeconds);
    } catch (StorageCorruptionException e) {
      c.future.completeExceptionally(quarantine(e));
      return null;
    } catch (RocksDBException e) {
      c.future.completeExceptionally(new MeridianException(CqlErrorCode.READ_FAILURE,
          "read for a conditional write failed in table " + c.tablet.tableId() + ": " + e.getMessage(), e));
      return null;
    } finally {
      db.releaseSnapshot(snapshot);
    }
    ConditionalWrite.Decision<?> decision;
    try {
      decision = c.write.decide(current);
      if (decision == null) {
        throw MeridianException.server("conditional write returned no decision", null);
      }
      for (Mutation m : decision.mutations()) {
        validate(m);
        if (!m.tableId().equals(c.tablet.tableId()) || !Arrays.equals(m.key().serialized(), c.key.serialized())) {
          throw MeridianException.server("conditional write produced a mutation outside the partition it read", null);
        }
      }
    } catch (RuntimeException e) {
      c.future.completeExceptionally(e);
      return null;
    }
    Object result = decision.result();
    if (decision.mutations().isEmpty()) {
      c.future.complete(result);
      return null;
    }
    List<Mutation> mutations = decision.mutations();
    if (c.write.derives()) {
      try {
        List<Mutation> derived = c.write.derive(changes(c, current, mutations));
        if (derived != null && !derived.isEmpty()) {
          List<Mutation> all = new ArrayList<>(mutations);
          for (Mutation m : derived) {
            validate(m);
            // A dependent table dropped meanwhile (a view) must not fail the write it depends on.
            if (tables.containsKey(m.tableId())) {
              all.add(m);
            }
          }
          mutations = List.copyOf(all);
        }
      } catch (RuntimeException | RocksDBException e) {
        c.future.completeExceptionally(e instanceof StorageCorruptionException sce ? quarantine(sce)
            : e instanceof MeridianException me ? me
            : MeridianException.server("deriving writes of a conditional write failed", e));
        return null;
      }
    }
    CompletableFuture<Void> applied = new CompletableFuture<>();
    applied.whenComplete((v, e) -> {
      if (e != null) {
        c.future.completeExceptionally(e);
      } else {
        c.future.complete(result);
      }
    });
    return new Write(mutations, applied);
  }

  /**
   * How each row the decision touches changes: {@code before} from the read, {@code after} from
   * the stored rows with the decision's mutations staged on top (nothing is written here). The
   * touched rows are those of the row updates plus the rows read that a partition deletion or
   * range tombstone of the decision covers.
   */
  private List<RowChange> changes(Conditional c, Optional<PartitionData> current, List<Mutation> mutations)
      throws RocksDBException {
    TreeMap<byte[], Staged<RowState>> rows = new TreeMap<>(Arrays::compareUnsigned);
    TreeMap<byte[], Staged<PartitionHeader>> headers = new TreeMap<>(Arrays::compareUnsigned);
    for (Mutation m : mutations) {
      stage(m, rows, headers);
    }
    TreeMap<byte[], StoredRow> before = new TreeMap<>(Arrays::compareUnsigned);
    current.ifPresent(p -> {
      if (p.staticRow() != null) {
        before.put(RowUpdate.STATIC_CLUSTERING, p.staticRow());
      }
      p.rows().forEach(r -> before.put(r.clustering(), r));
    });
    TreeSet<byte[]> touched = new TreeSet<>(Arrays::compareUnsigned);
    for (Mutation m : mutations) {
      m.rows().forEach(u -> touched.add(u.clustering()));
      if (!m.partitionDeletion().isLive()) {
        touched.addAll(before.keySet());
      }
      for (var rt : m.rangeTombstones()) {
        for (byte[] k : before.keySet()) {
          if (k.length > 0 && Reconcile.covers(rt, k)) {
            touched.add(k);
          }
        }
      }
    }
    byte[] prefix = KeyCodec.partitionPrefix(c.tablet.tableId(), c.key);
    Staged<PartitionHeader> header = headers.get(prefix);
    List<RowChange> out = new ArrayList<>(touched.size());
    for (byte[] clustering : touched) {
      byte[] rowKey = KeyCodec.rowKey(prefix, clustering);
      Staged<RowState> staged = rows.get(rowKey);
      RowState state;
      if (staged != null) {
        state = staged.state;
      } else {
        byte[] v = db.get(dataCf, rowKey);
        state = v == null ? new RowState() : ValueCodec.decodeRow(rowKey, v);
      }
      boolean isStatic = clustering.length == 0;
      StoredRow after = Reconcile.live(clustering, state,
          Reconcile.deletionFor(header == null ? null : header.state, clustering, isStatic, state.rowDeletion),
          c.nowSeconds);
      out.add(new RowChange(c.key, clustering, before.get(clustering), after));
    }
    return out;
  }

  /** Read-modify-write of every row the group touches, in one batch; later mutations see earlier ones. */
  private void commitGroup(List<Write> group) {
    if (group.isEmpty()) {
      return;
    }
    TreeMap<byte[], Staged<RowState>> rows = new TreeMap<>(Arrays::compareUnsigned);
    TreeMap<byte[], Staged<PartitionHeader>> headers = new TreeMap<>(Arrays::compareUnsigned);
    List<Write> accepted = new ArrayList<>(group.size());
    for (Write w : group) {
      UUID missing = w.mutations.stream().map(Mutation::tableId).filter(id -> !tables.containsKey(id)).findFirst().orElse(null);
      if (missing != null) {
        w.future.completeExceptionally(unknownTable(missing));
        continue;
      }
      int staged = 0;
      try {
        for (Mutation m : w.mutations) {
          stage(m, rows, headers);
          staged++;
        }
        accepted.add(w);
      } catch (MeridianException | RocksDBException e) {
        MeridianException err = e instanceof StorageCorruptionException sce ? quarantine(sce)
            : e instanceof MeridianException me ? me
            : MeridianException.server("cannot read rows for mutation", e);
        if (staged > 0) {
          // Part of an atomic write is already staged and cannot be taken back alone: fail the
          // whole group, writing nothing, rather than apply half of it.
          group.forEach(g -> g.future.completeExceptionally(err));
          return;
        }
        w.future.completeExceptionally(err);
      }
    }
    if (accepted.isEmpty()) {
      return;
    }
    try (WriteBatch batch = new WriteBatch()) {
      for (var e : headers.entrySet()) {
        write(batch, partitionsCf, e.getKey(), e.getValue(), ValueCodec::encodeHeader, PartitionHeader::isEmpty);
      }
      for (var e : rows.entrySet()) {
        Staged<RowState> row = e.getValue();
        write(batch, dataCf, e.getKey(), row, ValueCodec::encodeRow, RowState::isEmpty);
        if (row.dirty) {
          indexes.rowChanged(batch, e.getKey(), row.original, row.state);
        }
      }
      db.write(commitWriteOptions, batch);
    } catch (RocksDBException | RuntimeException e) {
      fail(e);
      MeridianException err = MeridianException.server("storage write failed; the engine stopped accepting writes", e);
      accepted.forEach(w -> w.future.completeExceptionally(err));
      return;
    }
    groupsCommitted.incrementAndGet();
    mutationsCommitted.addAndGet(accepted.stream().mapToInt(w -> w.mutations.size()).sum());
    accepted.forEach(w -> w.future.complete(null));
  }

  /** A row or header being rebuilt by the current group; written only if {@code dirty}. */
  private static final class Staged<T> {
    final T state;
    final boolean onDisk;
    /** What is stored now (null if nothing): the index entries to replace. Rows only. */
    final T original;
    boolean dirty;

    Staged(T state, boolean onDisk, boolean dirty) {
      this(state, onDisk, dirty, null);
    }

    Staged(T state, boolean onDisk, boolean dirty, T original) {
      this.state = state;
      this.onDisk = onDisk;
      this.dirty = dirty;
      this.original = original;
    }
  }

  private static <T> void write(WriteBatch batch, ColumnFamilyHandle cf, byte[] key, Staged<T> s,
                                Function<T, byte[]> encode, Predicate<T> isEmpty) throws RocksDBException {
    if (!s.dirty) {
      return;
    }
    if (isEmpty.test(s.state)) {
      if (s.onDisk) {
        batch.delete(cf, key);
      }
    } else {
      batch.put(cf, key, encode.apply(s.state));
    }
  }

  private void stage(Mutation m, TreeMap<byte[], Staged<RowState>> rows,
                     TreeMap<byte[], Staged<PartitionHeader>> headers) throws RocksDBException {
    byte[] prefix = KeyCodec.partitionPrefix(m.tableId(), m.key());
    Staged<PartitionHeader> header = headers.get(prefix);
    if (header == null) {
      byte[] v = db.get(partitionsCf, prefix);
      header = new Staged<>(v == null ? new PartitionHeader() : ValueCodec.decodeHeader(prefix, v), v != null, false);
    } else {
      header = new Staged<>(header.state.copy(), header.onDisk, header.dirty);
    }
    if (!m.partitionDeletion().isLive() || !m.rangeTombstones().isEmpty()) {
      Reconcile.merge(header.state, m.partitionDeletion(), m.rangeTombstones());
      header.dirty = true;
      if (header.state.rangeTombstones.size() > config.rangeTombstonesPerPartitionMax()) {
        throw MeridianException.invalid("partition would hold more than " + config.rangeTombstonesPerPartitionMax()
            + " range tombstones in table " + m.tableId());
      }
    }
    TreeMap<byte[], Staged<RowState>> local = new TreeMap<>(Arrays::compareUnsigned);
    for (RowUpdate u : m.rows()) {
      byte[] key = KeyCodec.rowKey(prefix, u.clustering());
      Staged<RowState> row = local.get(key);
      if (row == null) {
        Staged<RowState> groupRow = rows.get(key);
        if (groupRow != null) {
          row = new Staged<>(groupRow.state.copy(), groupRow.onDisk, true, groupRow.original);
        } else {
          byte[] v = db.get(dataCf, key);
          RowState stored = v == null ? null : ValueCodec.decodeRow(key, v);
          row = new Staged<>(v == null ? new RowState() : stored.copy(), v != null, true, stored);
        }
        local.put(key, row);
      }
      Reconcile.merge(row.state, u);
      boolean isStatic = u.clustering().length == 0;
      Reconcile.dropShadowed(row.state,
          Reconcile.deletionFor(header.state, u.clustering(), isStatic, row.state.rowDeletion));
    }
    headers.put(prefix, header);
    rows.putAll(local);
  }

  private void runControl(Control c) {
    try {
      switch (c.kind) {
        case TRUNCATE -> {
          deleteTableRows(c.tableId, null);
          c.future.complete(null);
        }
        case DROP -> {
          deleteTableRows(c.tableId, tableMetaKey(c.tableId));
          tables.remove(c.tableId);
          c.future.complete(null);
        }
        case PURGE -> {
          if (activePurge == null) {
            activePurge = new PurgePass(clock.nowInSeconds());
            activePurge.waiters.add(c.future);
          } else {
            nextPurgeWaiters.add(c.future);
          }
        }
        case RUN, REPLACE_RANGE, INDEXING -> {
          c.action.run();
          c.future.complete(null);
        }
      }
    } catch (RocksDBException | RuntimeException e) {
      // A failed replace concerns one range, whose owner repeats it; the rest of the store is fine.
      if (c.kind != ControlKind.RUN && c.kind != ControlKind.REPLACE_RANGE && c.kind != ControlKind.INDEXING) {
        fail(e);
      }
      c.future.completeExceptionally(e instanceof MeridianException me ? me
          : MeridianException.server(c.kind + " failed for table " + c.tableId, e));
    }
  }

  private void deleteTableRows(UUID tableId, byte[] metaKeyToDelete) throws RocksDBException {
    byte[] from = KeyCodec.tablePrefix(tableId);
    byte[] to = KeyCodec.prefixSuccessor(from);
    try (WriteBatch batch = new WriteBatch()) {
      if (to == null) { // table id all 0xFF: delete to the end of the key space
        to = new byte[KeyCodec.TABLE_ID_BYTES + 1];
        Arrays.fill(to, (byte) 0xFF);
        batch.deleteRange(dataCf, from, to);
        batch.deleteRange(partitionsCf, from, to);
        batch.delete(dataCf, to);
      } else {
        batch.deleteRange(dataCf, from, to);
        batch.deleteRange(partitionsCf, from, to);
      }
      indexes.deleteTable(batch, tableId, metaKeyToDelete != null);
      if (metaKeyToDelete != null) {
        batch.delete(metaCf, metaKeyToDelete);
      }
      db.write(syncWriteOptions, batch);
    }
  }

  private void fail(Throwable e) {
    if (failure == null) {
      failure = e;
      log.error("storage engine at {} failed; refusing further writes", config.dataDir(), e);
    }
  }

  // ================================================================ purge

  /** Cursor state of one purge pass over both column families; committer-thread only. */
  private static final class PurgePass {
    final int nowSeconds;
    final List<CompletableFuture<Void>> waiters = new ArrayList<>();
    byte[] dataCursor = new byte[0];
    byte[] headerCursor = new byte[0];
    boolean dataDone;
    long rowsRewritten;
    long rowsDeleted;
    long headersChanged;

    PurgePass(int nowSeconds) {
      this.nowSeconds = nowSeconds;
    }
  }

  private void runPurgeStep() {
    PurgePass p = activePurge;
    int gc = config.gcGraceSeconds();
    boolean passDone = false;
    try (WriteBatch batch = new WriteBatch()) {
      int budget = config.purgeBatchEntriesMax();
      if (!p.dataDone) {
        try (RocksIterator it = db.newIterator(dataCf)) {
          byte[] headerPrefix = null;
          PartitionHeader header = null;
          it.seek(p.dataCursor);
          for (; it.isValid() && budget > 0; it.next(), budget--) {
            byte[] key = it.key();
            int plen = KeyCodec.partitionPrefixLength(key);
            if (plen < 0) {
              throw new StorageCorruptionException("malformed data key", key);
            }
            byte[] prefix = Arrays.copyOf(key, plen);
            if (headerPrefix == null || !Arrays.equals(headerPrefix, prefix)) {
              headerPrefix = prefix;
              byte[] hv = db.get(partitionsCf, prefix);
              header = hv == null ? null : ValueCodec.decodeHeader(prefix, hv);
            }
            RowState row = ValueCodec.decodeRow(key, it.value());
            RowState stored = row.copy();
            if (cleanRow(row, header, key, plen, p.nowSeconds, gc)) {
              indexes.rowChanged(batch, key, stored, row);
              p.rowsRewritten++;
              if (row.isEmpty()) {
                batch.delete(dataCf, key);
                p.rowsDeleted++;
              } else {
                batch.put(dataCf, key, ValueCodec.encodeRow(row));
              }
            }
            p.dataCursor = successorKey(key);
          }
          if (!it.isValid()) {
            it.status();
            p.dataDone = true;
          }
        }
      } else {
        try (RocksIterator it = db.newIterator(partitionsCf)) {
          it.seek(p.headerCursor);
          while (it.isValid() && budget > 0) {
            byte[] prefix = it.key();
            PartitionHeader h = ValueCodec.decodeHeader(prefix, it.value());
            budget--;
            if (headerHasPurgeable(h, p.nowSeconds, gc)) {
              // Every row the header shadows is cleaned before the header forgets its deletions.
              budget -= cleanPartitionRows(batch, prefix, h, p, gc);
              Reconcile.purge(h, p.nowSeconds, gc);
              p.headersChanged++;
              if (h.isEmpty()) {
                batch.delete(partitionsCf, prefix);
              } else {
                batch.put(partitionsCf, prefix, ValueCodec.encodeHeader(h));
              }
            }
            p.headerCursor = successorKey(prefix);
            it.next();
          }
          if (!it.isValid()) {
            it.status();
            passDone = true;
          }
        }
      }
      if (batch.count() > 0) {
        db.write(commitWriteOptions, batch);
      }
    } catch (RocksDBException | RuntimeException e) {
      log.error("purge step failed; abandoning this pass", e);
      activePurge = null;
      p.waiters.forEach(f -> f.completeExceptionally(MeridianException.server("purge failed", e)));
      startQueuedPurge();
      return;
    }
    if (passDone) {
      activePurge = null;
      purgePassesCompleted.incrementAndGet();
      log.debug("purge pass done: {} rows rewritten, {} deleted, {} partition headers changed",
          p.rowsRewritten, p.rowsDeleted, p.headersChanged);
      p.waiters.forEach(f -> f.complete(null));
      startQueuedPurge();
    }
  }

  private void startQueuedPurge() {
    if (!nextPurgeWaiters.isEmpty()) {
      activePurge = new PurgePass(clock.nowInSeconds());
      activePurge.waiters.addAll(nextPurgeWaiters);
      nextPurgeWaiters.clear();
    }
  }

  private static boolean headerHasPurgeable(PartitionHeader h, int now, int gc) {
    if (!h.partitionDeletion.isLive() && Reconcile.purgeable(h.partitionDeletion.localDeletionTime(), now, gc)) {
      return true;
    }
    return h.rangeTombstones.stream().anyMatch(rt -> Reconcile.purgeable(rt.deletion().localDeletionTime(), now, gc));
  }

  private static boolean cleanRow(RowState row, PartitionHeader header, byte[] key, int plen, int now, int gc) {
    byte[] clustering = Arrays.copyOfRange(key, plen, key.length);
    boolean changed = Reconcile.dropShadowed(row,
        Reconcile.deletionFor(header, clustering, clustering.length == 0, DeletionTime.LIVE));
    changed |= Reconcile.dropShadowed(row, row.rowDeletion);
    changed |= Reconcile.purge(row, now, gc);
    return changed;
  }

  private int cleanPartitionRows(WriteBatch batch, byte[] prefix, PartitionHeader h, PurgePass p, int gc)
      throws RocksDBException {
    int visited = 0;
    try (Slice lower = new Slice(prefix);
         Slice upper = new Slice(KeyCodec.prefixSuccessor(prefix));
         ReadOptions ro = new ReadOptions().setIterateLowerBound(lower).setIterateUpperBound(upper);
         RocksIterator it = db.newIterator(dataCf, ro)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        visited++;
        byte[] key = it.key();
        RowState row = ValueCodec.decodeRow(key, it.value());
        RowState stored = row.copy();
        if (cleanRow(row, h, key, prefix.length, p.nowSeconds, gc)) {
          indexes.rowChanged(batch, key, stored, row);
          p.rowsRewritten++;
          if (row.isEmpty()) {
            batch.delete(dataCf, key);
            p.rowsDeleted++;
          } else {
            batch.put(dataCf, key, ValueCodec.encodeRow(row));
          }
        }
      }
      it.status();
    }
    return visited;
  }

  private static byte[] successorKey(byte[] key) {
    return Arrays.copyOf(key, key.length + 1); // key + 0x00: the next possible key
  }

  // ================================================================ reads

  @Override
  public Optional<PartitionData> readPartition(UUID tableId, PartitionKey key, ReadRange range, int nowSeconds) {
    checkRange(range);
    lifecycle.readLock().lock();
    try {
      checkOpen();
      checkInService((RocksTablet) tabletFor(tableId, key.token()));
      Snapshot snapshot = db.getSnapshot();
      try (ReadOptions ro = new ReadOptions().setSnapshot(snapshot)) {
        return readOne(ro, snapshot, KeyCodec.partitionPrefix(tableId, key), key, range, nowSeconds);
      } finally {
        db.releaseSnapshot(snapshot);
      }
    } catch (StorageCorruptionException e) {
      throw quarantine(e);
    } catch (RocksDBException e) {
      throw new MeridianException(CqlErrorCode.READ_FAILURE, "read failed in table " + tableId + ": " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private static void checkRange(ReadRange range) {
    if (range == null || range.start() == null || range.limitRows() < 0) {
      throw MeridianException.invalid("read range needs a start (possibly empty) and a limit >= 0");
    }
  }

  private Optional<PartitionData> readOne(ReadOptions pointOptions, Snapshot snapshot, byte[] prefix,
                                          PartitionKey key, ReadRange range, int now) throws RocksDBException {
    byte[] hv = db.get(partitionsCf, pointOptions, prefix);
    PartitionHeader header = hv == null ? null : ValueCodec.decodeHeader(prefix, hv);
    StoredRow staticRow = null;
    if (range.includeStatic()) {
      byte[] sv = db.get(dataCf, pointOptions, prefix);
      if (sv != null) {
        RowState s = ValueCodec.decodeRow(prefix, sv);
        staticRow = Reconcile.live(RowUpdate.STATIC_CLUSTERING, s,
            Reconcile.deletionFor(header, RowUpdate.STATIC_CLUSTERING, true, s.rowDeletion), now);
      }
    }
    List<StoredRow> rows = new ArrayList<>();
    boolean emptySlice = range.end() != null && Arrays.compareUnsigned(range.start(), range.end()) >= 0;
    if (range.limitRows() > 0 && !emptySlice) {
      byte[] lowerKey = KeyCodec.rowKey(prefix, range.start());
      byte[] upperKey = range.end() == null ? KeyCodec.prefixSuccessor(prefix) : KeyCodec.rowKey(prefix, range.end());
      try (Slice lower = new Slice(lowerKey);
           Slice upper = new Slice(upperKey);
           ReadOptions ro = new ReadOptions().setSnapshot(snapshot)
               .setIterateLowerBound(lower).setIterateUpperBound(upper);
           RocksIterator it = db.newIterator(dataCf, ro)) {
        if (range.reversed()) {
          it.seekToLast();
        } else {
          it.seekToFirst();
        }
        while (it.isValid() && rows.size() < range.limitRows()) {
          byte[] k = it.key();
          if (k.length > prefix.length) { // the key equal to the prefix is the static row
            byte[] clustering = Arrays.copyOfRange(k, prefix.length, k.length);
            RowState r = ValueCodec.decodeRow(k, it.value());
            StoredRow live = Reconcile.live(clustering, r,
                Reconcile.deletionFor(header, clustering, false, r.rowDeletion), now);
            if (live != null) {
              rows.add(live);
            }
          }
          if (range.reversed()) {
            it.prev();
          } else {
            it.next();
          }
        }
        it.status();
      }
    }
    if (staticRow == null && rows.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new PartitionData(key, staticRow, List.copyOf(rows)));
  }

  @Override
  public PartitionIterator scan(UUID tableId, TokenRange tokens, PartitionKey after, ReadRange perPartition,
                                int nowSeconds) {
    checkRange(perPartition);
    if (tokens == null || tokens.start() >= tokens.end()) {
      throw MeridianException.invalid("scan token range must have start < end (wrapping ranges are split by the caller)");
    }
    lifecycle.readLock().lock();
    try {
      checkOpen();
      checkInService(tableId, tokens);
      byte[] lower = KeyCodec.tokenPrefix(tableId, tokens.start() + 1);
      if (after != null) {
        byte[] resume = KeyCodec.prefixSuccessor(KeyCodec.partitionPrefix(tableId, after));
        if (Arrays.compareUnsigned(resume, lower) > 0) {
          lower = resume;
        }
      }
      byte[] upper = KeyCodec.prefixSuccessor(KeyCodec.tokenPrefix(tableId, tokens.end()));
      return new ScanIterator(lower, upper, perPartition, nowSeconds);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /**
   * A lazy walk over one column family at one snapshot. It holds native resources until closed,
   * or until the engine closes, which releases every scan still open.
   */
  private abstract class SnapshotScan<T> {
    private final Snapshot snapshot;
    private final Slice lowerSlice;
    private final Slice upperSlice;
    private final ReadOptions options;
    private final String what;
    final RocksIterator it;
    private T next;
    private boolean released;

    SnapshotScan(ColumnFamilyHandle cf, byte[] lower, byte[] upper, String what) {
      this.what = what;
      this.snapshot = db.getSnapshot();
      this.lowerSlice = new Slice(lower);
      this.upperSlice = upper == null ? null : new Slice(upper);
      ReadOptions ro = new ReadOptions().setSnapshot(snapshot).setIterateLowerBound(lowerSlice);
      if (upperSlice != null) {
        ro.setIterateUpperBound(upperSlice);
      }
      this.options = ro;
      this.it = db.newIterator(cf, ro);
      it.seekToFirst();
      openScans.add(this);
    }

    ReadOptions options() {
      return options;
    }

    Snapshot snapshot() {
      return snapshot;
    }

    /** The next item from {@link #it}, or null when there is none; runs under the lifecycle lock. */
    abstract T advance() throws RocksDBException;

    public boolean hasNext() {
      if (next != null) {
        return true;
      }
      lifecycle.readLock().lock();
      try {
        checkOpen();
        if (released) {
          return false;
        }
        next = advance();
        if (next == null) {
          it.status();
        }
        return next != null;
      } catch (StorageCorruptionException e) {
        throw quarantine(e);
      } catch (RocksDBException e) {
        throw new MeridianException(CqlErrorCode.READ_FAILURE, what + " failed: " + e.getMessage(), e);
      } finally {
        lifecycle.readLock().unlock();
      }
    }

    public T next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      T n = next;
      next = null;
      return n;
    }

    public void close() {
      lifecycle.readLock().lock();
      try {
        release();
      } finally {
        lifecycle.readLock().unlock();
      }
    }

    /** Frees native resources; idempotent. */
    synchronized void release() {
      if (released) {
        return;
      }
      released = true;
      openScans.remove(this);
      it.close();
      options.close();
      lowerSlice.close();
      if (upperSlice != null) {
        upperSlice.close();
      }
      db.releaseSnapshot(snapshot);
    }
  }

  /** Partitions in key order, each read with {@code perPartition}. */
  private final class ScanIterator extends SnapshotScan<PartitionData> implements PartitionIterator {
    private final ReadRange perPartition;
    private final int nowSeconds;

    ScanIterator(byte[] lower, byte[] upper, ReadRange perPartition, int nowSeconds) {
      super(dataCf, lower, upper, "scan");
      this.perPartition = perPartition;
      this.nowSeconds = nowSeconds;
    }

    @Override
    PartitionData advance() throws RocksDBException {
      while (it.isValid()) {
        byte[] key = it.key();
        int plen = KeyCodec.partitionPrefixLength(key);
        if (plen < 0) {
          throw new StorageCorruptionException("malformed data key", key);
        }
        byte[] prefix = Arrays.copyOf(key, plen);
        PartitionKey pk = KeyCodec.partitionKey(key, plen);
        Optional<PartitionData> data = readOne(options(), snapshot(), prefix, pk, perPartition, nowSeconds);
        it.seek(KeyCodec.prefixSuccessor(prefix));
        if (data.isPresent()) {
          return data.get();
        }
      }
      return null;
    }
  }

  // ================================================================ flush, sync, close

  @Override
  public void flush() {
    lifecycle.readLock().lock();
    try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
      checkOpen();
      db.flushWal(true);
      db.flush(fo, List.of(metaCf, dataCf, partitionsCf));
    } catch (RocksDBException e) {
      throw MeridianException.server("flush failed at " + config.dataDir(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public void sync() {
    if (config.commitPolicy() == CommitPolicy.SYNC) {
      return; // every completed write was fsynced before it completed
    }
    lifecycle.readLock().lock();
    try {
      checkOpen();
      db.flushWal(true);
    } catch (RocksDBException e) {
      fail(e);
      throw MeridianException.server("WAL sync failed at " + config.dataDir(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private void syncWal() {
    lifecycle.readLock().lock();
    try {
      // An idle store has nothing to fsync: a tick that finds no write since the last one skips
      // the call (a hundred a second on every idle cluster node otherwise). A write landing after
      // the sequence is read is synced too, and is covered again by the next tick.
      long sequence = closed ? periodicSyncedSequence : db.getLatestSequenceNumber();
      if (sequence != periodicSyncedSequence) {
        db.flushWal(true);
        periodicSyncedSequence = sequence;
        periodicSyncs.incrementAndGet();
      }
    } catch (RocksDBException e) {
      fail(e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      for (SnapshotScan<?> s : List.copyOf(openScans)) {
        s.release();
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
    stopping = true;
    timer.shutdownNow();
    try {
      committer.join();
      timer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (failure == null) {
      try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
        db.flushWal(true);
        db.flush(fo, List.of(metaCf, dataCf, partitionsCf, indexes.columnFamily()));
      } catch (RocksDBException e) {
        log.error("flush on close failed at {}; the WAL still holds every write", config.dataDir(), e);
      }
    }
    closeNative();
    log.info("storage closed at {}", config.dataDir());
  }

  private void closeNative() {
    commitWriteOptions.close();
    syncWriteOptions.close();
    metaCf.close();
    dataCf.close();
    partitionsCf.close();
    indexes.columnFamily().close();
    try {
      db.closeE();
    } catch (RocksDBException e) {
      log.error("closing RocksDB at {} failed", config.dataDir(), e);
    }
    closeAll(resources);
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        log.warn("closing {} failed", resources.get(i), e);
      }
    }
  }

  private void checkOpen() {
    if (closed) {
      throw closedError();
    }
    if (failure != null) {
      throw new MeridianException(CqlErrorCode.SERVER_ERROR, "storage engine at " + config.dataDir()
          + " failed and refuses work: " + failure.getMessage(), failure);
    }
  }

  private MeridianException closedError() {
    return new MeridianException(CqlErrorCode.SERVER_ERROR, "storage engine at " + config.dataDir() + " is closed");
  }

  // ================================================================ metadata helpers

  static byte[] tableMetaKey(UUID tableId) {
    byte[] id = KeyCodec.tablePrefix(tableId);
    byte[] out = Arrays.copyOf(TABLE_META_PREFIX, TABLE_META_PREFIX.length + id.length);
    System.arraycopy(id, 0, out, TABLE_META_PREFIX.length, id.length);
    return out;
  }

  /** [format u8][tablet count i32][crc32c i32]. */
  static byte[] encodeTableMeta(int tabletCount) {
    ByteBuffer b = ByteBuffer.allocate(9);
    b.put((byte) FORMAT_VERSION).putInt(tabletCount);
    b.putInt(ValueCodec.crc(b.array(), 5));
    return b.array();
  }

  static int decodeTableMeta(byte[] key, byte[] v) {
    if (v.length != 9 || ByteBuffer.wrap(v, 5, 4).getInt() != ValueCodec.crc(v, 5) || v[0] != FORMAT_VERSION) {
      throw new StorageCorruptionException("table metadata", key);
    }
    int count = ByteBuffer.wrap(v, 1, 4).getInt();
    if (count < 1) {
      throw new StorageCorruptionException("table metadata tablet count " + count, key);
    }
    return count;
  }

  private static void await(CompletableFuture<Void> f, String what) {
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw MeridianException.server(what + " interrupted", e);
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof MeridianException me) {
        throw me;
      }
      throw MeridianException.server(what + " failed", cause);
    }
  }

  /** Test hook: number of stored entries (rows plus partition headers) of a table. */
  long storedEntryCount(UUID tableId) {
    lifecycle.readLock().lock();
    try {
      checkOpen();
      long n = 0;
      byte[] from = KeyCodec.tablePrefix(tableId);
      for (ColumnFamilyHandle cf : List.of(dataCf, partitionsCf)) {
        try (RocksIterator it = db.newIterator(cf)) {
          for (it.seek(from); it.isValid() && KeyCodec.startsWith(it.key(), from); it.next()) {
            n++;
          }
        }
      }
      return n;
    } finally {
      lifecycle.readLock().unlock();
    }
  }
}
