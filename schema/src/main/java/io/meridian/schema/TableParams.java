package io.meridian.schema;

import io.meridian.common.MeridianException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The table options of {@code CREATE/ALTER TABLE ... WITH}, as Cassandra 5 shows them in
 * system_schema.tables, with Cassandra's defaults. Values are kept normalized (class names fully
 * qualified, enum-like values upper case, speculative retry in its canonical short form), so two
 * equal option sets compare equal and a {@link #toOptionMap()} round trip is the identity.
 *
 * <p>Errors follow Cassandra: an unknown option or a value of the wrong shape is a SYNTAX_ERROR;
 * a well-formed value outside its range is a CONFIG_ERROR.
 */
public record TableParams(
    String additionalWritePolicy,
    boolean allowAutoSnapshot,
    double bloomFilterFpChance,
    Map<String, String> caching,
    boolean cdc,
    String comment,
    Map<String, String> compaction,
    Map<String, String> compression,
    double crcCheckChance,
    int defaultTimeToLive,
    int gcGraceSeconds,
    boolean incrementalBackups,
    int maxIndexInterval,
    String memtable,
    int memtableFlushPeriodInMs,
    int minIndexInterval,
    String readRepair,
    String speculativeRetry,
    Map<String, String> indexing) {

  public static final String ADDITIONAL_WRITE_POLICY = "additional_write_policy";
  public static final String ALLOW_AUTO_SNAPSHOT = "allow_auto_snapshot";
  public static final String BLOOM_FILTER_FP_CHANCE = "bloom_filter_fp_chance";
  public static final String CACHING = "caching";
  public static final String CDC = "cdc";
  public static final String COMMENT = "comment";
  public static final String COMPACTION = "compaction";
  public static final String COMPRESSION = "compression";
  public static final String CRC_CHECK_CHANCE = "crc_check_chance";
  public static final String DEFAULT_TIME_TO_LIVE = "default_time_to_live";
  public static final String EXTENSIONS = "extensions";
  public static final String GC_GRACE_SECONDS = "gc_grace_seconds";
  public static final String INCREMENTAL_BACKUPS = "incremental_backups";
  /**
   * Meridian's indexing policy: {@code {'exclude': 'a, b'}} indexes every regular and static
   * column but those, {@code {'include': 'a, b'}} only those. The default excludes none.
   */
  public static final String INDEXING = "indexing";
  public static final String INDEXING_INCLUDE = "include";
  public static final String INDEXING_EXCLUDE = "exclude";
  public static final String MAX_INDEX_INTERVAL = "max_index_interval";
  public static final String MEMTABLE = "memtable";
  public static final String MEMTABLE_FLUSH_PERIOD_IN_MS = "memtable_flush_period_in_ms";
  public static final String MIN_INDEX_INTERVAL = "min_index_interval";
  public static final String READ_REPAIR = "read_repair";
  public static final String SPECULATIVE_RETRY = "speculative_retry";

  /** Options Cassandra still accepts for old scripts and then ignores. */
  private static final Set<String> OBSOLETE =
      Set.of(
          "read_repair_chance",
          "dclocal_read_repair_chance",
          "index_interval",
          "replicate_on_write",
          "populate_io_cache_on_flush");

  /** Twenty years, Cassandra's maximum TTL. */
  public static final int MAX_TTL_SECONDS = 630_720_000;

  static final String COMPACTION_PACKAGE = "org.apache.cassandra.db.compaction.";
  static final String COMPRESSION_PACKAGE = "org.apache.cassandra.io.compress.";

  private static final Set<String> COMPACTION_COMMON_OPTIONS =
      Set.of(
          "class",
          "enabled",
          "min_threshold",
          "max_threshold",
          "tombstone_threshold",
          "tombstone_compaction_interval",
          "unchecked_tombstone_compaction",
          "only_purge_repaired_tombstones",
          "log_all",
          "provide_overlapping_tombstones");

  private static final Map<String, Set<String>> COMPACTION_STRATEGY_OPTIONS =
      Map.of(
          "SizeTieredCompactionStrategy", Set.of("bucket_high", "bucket_low", "min_sstable_size"),
          "LeveledCompactionStrategy", Set.of("sstable_size_in_mb", "fanout_size", "single_sstable_uplevel"),
          "TimeWindowCompactionStrategy",
              Set.of(
                  "compaction_window_unit",
                  "compaction_window_size",
                  "timestamp_resolution",
                  "expired_sstable_check_frequency_seconds",
                  "unsafe_aggressive_sstable_expiration"),
          "UnifiedCompactionStrategy",
              Set.of(
                  "scaling_parameters",
                  "target_sstable_size",
                  "base_shard_count",
                  "min_sstable_size",
                  "sstable_growth",
                  "flush_size_override",
                  "max_sstables_to_compact",
                  "expired_sstable_check_frequency_seconds",
                  "overlap_inclusion_method",
                  "survival_factor"));

  private static final Set<String> COMPRESSORS =
      Set.of("LZ4Compressor", "SnappyCompressor", "DeflateCompressor", "ZstdCompressor", "NoopCompressor");

  private static final Set<String> COMPRESSION_OPTIONS =
      Set.of(
          "class",
          "chunk_length_in_kb",
          "enabled",
          "min_compress_ratio",
          "max_compressed_length",
          "lz4_compressor_type",
          "lz4_high_compressor_level",
          "compression_level");

  public static final TableParams DEFAULT =
      new TableParams(
          "99p",
          true,
          0.01,
          Map.of("keys", "ALL", "rows_per_partition", "NONE"),
          false,
          "",
          Map.of(
              "class", COMPACTION_PACKAGE + "SizeTieredCompactionStrategy",
              "max_threshold", "32",
              "min_threshold", "4"),
          Map.of("chunk_length_in_kb", "16", "class", COMPRESSION_PACKAGE + "LZ4Compressor"),
          1.0,
          0,
          864_000,
          true,
          2048,
          "default",
          0,
          128,
          "BLOCKING",
          "99p",
          Map.of(INDEXING_EXCLUDE, ""));

  public TableParams {
    Objects.requireNonNull(additionalWritePolicy, ADDITIONAL_WRITE_POLICY);
    Objects.requireNonNull(comment, COMMENT);
    Objects.requireNonNull(memtable, MEMTABLE);
    Objects.requireNonNull(readRepair, READ_REPAIR);
    Objects.requireNonNull(speculativeRetry, SPECULATIVE_RETRY);
    caching = Map.copyOf(caching);
    compaction = Map.copyOf(compaction);
    compression = Map.copyOf(compression);
    indexing = Map.copyOf(indexing);
  }

  /** Whether the indexing policy covers {@code column} (a regular or static column; the caller checks). */
  public boolean indexingCovers(String column) {
    boolean listed = indexingColumns().contains(column);
    return indexing.containsKey(INDEXING_INCLUDE) ? listed : !listed;
  }

  /** The columns the indexing policy names (included or excluded). */
  public java.util.Set<String> indexingColumns() {
    String list = indexing.getOrDefault(INDEXING_INCLUDE, indexing.getOrDefault(INDEXING_EXCLUDE, ""));
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (String name : list.split(",")) {
      if (!name.isBlank()) {
        out.add(name.trim());
      }
    }
    return out;
  }

  /** These parameters with {@code column} taken out of the indexing policy's list (the column is gone). */
  public TableParams withoutIndexingColumn(String column) {
    java.util.Set<String> names = indexingColumns();
    if (!names.remove(column)) {
      return this;
    }
    String key = indexing.containsKey(INDEXING_INCLUDE) ? INDEXING_INCLUDE : INDEXING_EXCLUDE;
    return withOptions(Map.of(INDEXING, Map.of(key, String.join(", ", names))));
  }

  /**
   * These parameters with the given options applied on top, validated and normalized. Values come
   * from the parser as String, Number, Boolean or Map&lt;String, String&gt;.
   */
  public TableParams withOptions(Map<String, ?> options) {
    Builder b = new Builder(this);
    for (Map.Entry<String, ?> entry : options.entrySet()) {
      b.apply(entry.getKey(), entry.getValue());
    }
    TableParams result = b.build();
    result.validate();
    return result;
  }

  /** Checks the ranges and cross-option rules; CONFIG_ERROR on the first violation. */
  public void validate() {
    if (!(bloomFilterFpChance > 0 && bloomFilterFpChance <= 1.0)) {
      throw config(
          "%s must be larger than 0 and less than or equal to 1.0 (got %s)",
          BLOOM_FILTER_FP_CHANCE, bloomFilterFpChance);
    }
    if (!(crcCheckChance >= 0 && crcCheckChance <= 1.0)) {
      throw config(
          "%s must be larger than or equal to 0 and less than or equal to 1.0 (got %s)",
          CRC_CHECK_CHANCE, crcCheckChance);
    }
    if (defaultTimeToLive < 0) {
      throw config("%s must be greater than or equal to 0 (got %s)", DEFAULT_TIME_TO_LIVE, defaultTimeToLive);
    }
    if (defaultTimeToLive > MAX_TTL_SECONDS) {
      throw config(
          "%s must be less than or equal to %d (got %s)", DEFAULT_TIME_TO_LIVE, MAX_TTL_SECONDS, defaultTimeToLive);
    }
    if (gcGraceSeconds < 0) {
      throw config("%s must be greater than or equal to 0 (got %s)", GC_GRACE_SECONDS, gcGraceSeconds);
    }
    if (minIndexInterval < 1) {
      throw config("%s must be greater than or equal to 1 (got %s)", MIN_INDEX_INTERVAL, minIndexInterval);
    }
    if (maxIndexInterval < minIndexInterval) {
      throw config(
          "%s must be greater than or equal to %s (%s) (got %s)",
          MAX_INDEX_INTERVAL, MIN_INDEX_INTERVAL, minIndexInterval, maxIndexInterval);
    }
    if (memtableFlushPeriodInMs < 0) {
      throw config(
          "%s must be greater than or equal to 0 (got %s)", MEMTABLE_FLUSH_PERIOD_IN_MS, memtableFlushPeriodInMs);
    }
  }

  /**
   * Every option with its current value, keyed by option name, in the shapes {@link
   * #withOptions} accepts (String, Integer, Double, Boolean, Map&lt;String,String&gt;).
   */
  public Map<String, Object> toOptionMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put(ADDITIONAL_WRITE_POLICY, additionalWritePolicy);
    map.put(ALLOW_AUTO_SNAPSHOT, allowAutoSnapshot);
    map.put(BLOOM_FILTER_FP_CHANCE, bloomFilterFpChance);
    map.put(CACHING, new TreeMap<>(caching));
    map.put(CDC, cdc);
    map.put(COMMENT, comment);
    map.put(COMPACTION, new TreeMap<>(compaction));
    map.put(COMPRESSION, new TreeMap<>(compression));
    map.put(CRC_CHECK_CHANCE, crcCheckChance);
    map.put(DEFAULT_TIME_TO_LIVE, defaultTimeToLive);
    map.put(GC_GRACE_SECONDS, gcGraceSeconds);
    map.put(INCREMENTAL_BACKUPS, incrementalBackups);
    map.put(MAX_INDEX_INTERVAL, maxIndexInterval);
    map.put(MEMTABLE, memtable);
    map.put(MEMTABLE_FLUSH_PERIOD_IN_MS, memtableFlushPeriodInMs);
    map.put(MIN_INDEX_INTERVAL, minIndexInterval);
    map.put(READ_REPAIR, readRepair);
    map.put(SPECULATIVE_RETRY, speculativeRetry);
    map.put(INDEXING, new TreeMap<>(indexing));
    return map;
  }

  public TableParams withComment(String newComment) {
    return withOptions(Map.of(COMMENT, newComment));
  }

  public TableParams withGcGraceSeconds(int seconds) {
    return withOptions(Map.of(GC_GRACE_SECONDS, seconds));
  }

  public TableParams withMemtableFlushPeriodInMs(int periodMs) {
    return withOptions(Map.of(MEMTABLE_FLUSH_PERIOD_IN_MS, periodMs));
  }

  // ---------------------------------------------------------------------------------------------

  private static final class Builder {
    String additionalWritePolicy;
    boolean allowAutoSnapshot;
    double bloomFilterFpChance;
    Map<String, String> caching;
    boolean cdc;
    String comment;
    Map<String, String> compaction;
    Map<String, String> compression;
    double crcCheckChance;
    int defaultTimeToLive;
    int gcGraceSeconds;
    boolean incrementalBackups;
    int maxIndexInterval;
    String memtable;
    int memtableFlushPeriodInMs;
    int minIndexInterval;
    String readRepair;
    String speculativeRetry;
    Map<String, String> indexing;

    Builder(TableParams p) {
      additionalWritePolicy = p.additionalWritePolicy;
      allowAutoSnapshot = p.allowAutoSnapshot;
      bloomFilterFpChance = p.bloomFilterFpChance;
      caching = p.caching;
      cdc = p.cdc;
      comment = p.comment;
      compaction = p.compaction;
      compression = p.compression;
      crcCheckChance = p.crcCheckChance;
      defaultTimeToLive = p.defaultTimeToLive;
      gcGraceSeconds = p.gcGraceSeconds;
      incrementalBackups = p.incrementalBackups;
      maxIndexInterval = p.maxIndexInterval;
      memtable = p.memtable;
      memtableFlushPeriodInMs = p.memtableFlushPeriodInMs;
      minIndexInterval = p.minIndexInterval;
      readRepair = p.readRepair;
      speculativeRetry = p.speculativeRetry;
      indexing = p.indexing;
    }

    void apply(String name, Object value) {
      Objects.requireNonNull(name, "option name");
      if (value == null) {
        throw MeridianException.syntax("Invalid null value for property '" + name + "'");
      }
      switch (name) {
        case ADDITIONAL_WRITE_POLICY:
          additionalWritePolicy = retryPolicy(name, asString(name, value));
          break;
        case ALLOW_AUTO_SNAPSHOT:
          allowAutoSnapshot = asBoolean(name, value);
          break;
        case BLOOM_FILTER_FP_CHANCE:
          bloomFilterFpChance = asDouble(name, value);
          break;
        case CACHING:
          caching = caching(asMap(name, value));
          break;
        case CDC:
          cdc = asBoolean(name, value);
          break;
        case COMMENT:
          comment = asString(name, value);
          break;
        case COMPACTION:
          compaction = compaction(asMap(name, value));
          break;
        case COMPRESSION:
          compression = compression(asMap(name, value));
          break;
        case CRC_CHECK_CHANCE:
          crcCheckChance = asDouble(name, value);
          break;
        case DEFAULT_TIME_TO_LIVE:
          defaultTimeToLive = asInt(name, value);
          break;
        case EXTENSIONS:
          if (!asMap(name, value).isEmpty()) {
            throw config("Table extensions are not supported");
          }
          break;
        case GC_GRACE_SECONDS:
          gcGraceSeconds = asInt(name, value);
          break;
        case INCREMENTAL_BACKUPS:
          incrementalBackups = asBoolean(name, value);
          break;
        case INDEXING:
          indexing = indexing(asMap(name, value));
          break;
        case MAX_INDEX_INTERVAL:
          maxIndexInterval = asInt(name, value);
          break;
        case MEMTABLE:
          memtable = memtable(asString(name, value));
          break;
        case MEMTABLE_FLUSH_PERIOD_IN_MS:
          memtableFlushPeriodInMs = asInt(name, value);
          break;
        case MIN_INDEX_INTERVAL:
          minIndexInterval = asInt(name, value);
          break;
        case READ_REPAIR:
          readRepair = readRepair(asString(name, value));
          break;
        case SPECULATIVE_RETRY:
          speculativeRetry = retryPolicy(name, asString(name, value));
          break;
        default:
          if (!OBSOLETE.contains(name)) {
            throw MeridianException.syntax("Unknown property '" + name + "'");
          }
      }
    }

    TableParams build() {
      return new TableParams(
          additionalWritePolicy,
          allowAutoSnapshot,
          bloomFilterFpChance,
          caching,
          cdc,
          comment,
          compaction,
          compression,
          crcCheckChance,
          defaultTimeToLive,
          gcGraceSeconds,
          incrementalBackups,
          maxIndexInterval,
          memtable,
          memtableFlushPeriodInMs,
          minIndexInterval,
          readRepair,
          speculativeRetry,
          indexing);
    }
  }

  // --- value shapes (wrong shape: SYNTAX_ERROR, as Cassandra's property parser does) ------------

  static String asString(String name, Object value) {
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value instanceof Double || value instanceof Float
          ? BigDecimal.valueOf(((Number) value).doubleValue()).stripTrailingZeros().toPlainString()
          : value.toString();
    }
    throw MeridianException.syntax("Invalid value for property '" + name + "'. It should be a string");
  }

  static int asInt(String name, Object value) {
    try {
      if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
        return Math.toIntExact(((Number) value).longValue());
      }
      if (value instanceof String) {
        return Integer.parseInt(((String) value).trim());
      }
      if (value instanceof Number) {
        return new BigDecimal(value.toString()).intValueExact();
      }
    } catch (ArithmeticException | NumberFormatException e) {
      // fall through to the syntax error
    }
    throw MeridianException.syntax("Invalid integer value " + value + " for '" + name + "'");
  }

  static double asDouble(String name, Object value) {
    try {
      if (value instanceof Number) {
        return ((Number) value).doubleValue();
      }
      if (value instanceof String) {
        return Double.parseDouble(((String) value).trim());
      }
    } catch (NumberFormatException e) {
      // fall through to the syntax error
    }
    throw MeridianException.syntax("Invalid double value " + value + " for '" + name + "'");
  }

  static boolean asBoolean(String name, Object value) {
    if (value instanceof Boolean) {
      return (Boolean) value;
    }
    if (value instanceof String) {
      String s = ((String) value).trim();
      if (s.equalsIgnoreCase("true")) {
        return true;
      }
      if (s.equalsIgnoreCase("false")) {
        return false;
      }
    }
    throw MeridianException.syntax(
        "Invalid boolean value " + value + " for '" + name + "'. Supported values are true and false.");
  }

  static Map<String, String> asMap(String name, Object value) {
    if (!(value instanceof Map)) {
      throw MeridianException.syntax("Invalid value for property '" + name + "'. It should be a map.");
    }
    Map<String, String> result = new TreeMap<>();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw MeridianException.syntax("Invalid null entry in map property '" + name + "'");
      }
      result.put(e.getKey().toString(), asString(name, e.getValue()));
    }
    return result;
  }

  // --- sub-option normalization (bad value: CONFIG_ERROR) ----------------------------------------

  static Map<String, String> caching(Map<String, String> options) {
    Map<String, String> result = new TreeMap<>(Map.of("keys", "ALL", "rows_per_partition", "NONE"));
    for (Map.Entry<String, String> e : options.entrySet()) {
      String v = e.getValue().trim().toUpperCase(Locale.ROOT);
      switch (e.getKey()) {
        case "keys":
          if (!v.equals("ALL") && !v.equals("NONE")) {
            throw config("Invalid value '%s' for caching sub-option 'keys': only 'ALL' and 'NONE' are allowed", e.getValue());
          }
          break;
        case "rows_per_partition":
          if (!v.equals("ALL") && !v.equals("NONE")) {
            int rows;
            try {
              rows = Integer.parseInt(v);
            } catch (NumberFormatException nfe) {
              rows = -1;
            }
            if (rows <= 0) {
              throw config(
                  "Invalid value '%s' for caching sub-option 'rows_per_partition': only 'ALL', 'NONE' or a positive integer are allowed",
                  e.getValue());
            }
            v = Integer.toString(rows);
          }
          break;
        default:
          throw config(
              "Invalid caching sub-options %s: only 'keys' and 'rows_per_partition' are allowed",
              options.keySet());
      }
      result.put(e.getKey(), v);
    }
    return result;
  }

  /** Exactly one of include/exclude, its column list trimmed, sorted and without repeats. */
  static Map<String, String> indexing(Map<String, String> options) {
    if (options.size() != 1 || !(options.containsKey(INDEXING_INCLUDE) || options.containsKey(INDEXING_EXCLUDE))) {
      throw config("Invalid indexing options %s: give exactly one of 'include' or 'exclude', "
          + "each a comma-separated list of regular or static columns (for example {'exclude': 'notes, raw'})", options.keySet());
    }
    var e = options.entrySet().iterator().next();
    java.util.Set<String> names = new java.util.TreeSet<>();
    for (String name : e.getValue().split(",")) {
      if (!name.isBlank()) {
        names.add(name.trim());
      }
    }
    return Map.of(e.getKey(), String.join(", ", names));
  }

  static Map<String, String> compaction(Map<String, String> options) {
    String klass = options.get("class");
    if (klass == null) {
      throw config("Missing sub-option 'class' for the '%s' option.", COMPACTION);
    }
    String shortName = klass.startsWith(COMPACTION_PACKAGE) ? klass.substring(COMPACTION_PACKAGE.length()) : klass;
    Set<String> specific = COMPACTION_STRATEGY_OPTIONS.get(shortName);
    if (specific == null) {
      throw config("Unable to find compaction strategy class '%s'", klass);
    }
    Map<String, String> result = new TreeMap<>();
    for (Map.Entry<String, String> e : options.entrySet()) {
      String key = e.getKey();
      if (!COMPACTION_COMMON_OPTIONS.contains(key) && !specific.contains(key)) {
        throw config("Properties specified [%s] are not understood by %s", key, shortName);
      }
      result.put(key, e.getValue());
    }
    result.put("class", COMPACTION_PACKAGE + shortName);
    if (!shortName.equals("UnifiedCompactionStrategy")) {
      result.putIfAbsent("min_threshold", "4");
      result.putIfAbsent("max_threshold", "32");
      int min = subInt(COMPACTION, "min_threshold", result.get("min_threshold"));
      int max = subInt(COMPACTION, "max_threshold", result.get("max_threshold"));
      if (min < 2) {
        throw config("min_threshold must be at least 2 (got %d); to disable compaction set 'enabled' to false", min);
      }
      if (max < min) {
        throw config("max_threshold (%d) cannot be smaller than min_threshold (%d)", max, min);
      }
    }
    String enabled = result.get("enabled");
    if (enabled != null && !enabled.equalsIgnoreCase("true") && !enabled.equalsIgnoreCase("false")) {
      throw config("Invalid value '%s' for compaction sub-option 'enabled': expected true or false", enabled);
    }
    return result;
  }

  static Map<String, String> compression(Map<String, String> options) {
    Map<String, String> in = new TreeMap<>(options);
    // Pre-3.0 spellings, still accepted by Cassandra.
    if (in.containsKey("sstable_compression")) {
      in.putIfAbsent("class", in.remove("sstable_compression"));
    }
    if (in.containsKey("chunk_length_kb")) {
      in.putIfAbsent("chunk_length_in_kb", in.remove("chunk_length_kb"));
    }
    for (String key : in.keySet()) {
      if (!COMPRESSION_OPTIONS.contains(key)) {
        throw config("Unknown compression options: [%s]", key);
      }
    }
    String enabled = in.get("enabled");
    if (enabled != null) {
      if (enabled.equalsIgnoreCase("false")) {
        if (in.size() > 1 && in.containsKey("class")) {
          throw config("If the 'enabled' option is set to false no other options must be specified");
        }
        return Map.of("enabled", "false");
      }
      if (!enabled.equalsIgnoreCase("true")) {
        throw config("Invalid value '%s' for compression sub-option 'enabled': expected true or false", enabled);
      }
      in.remove("enabled");
    }
    String klass = in.get("class");
    if (klass == null || klass.isEmpty()) {
      if (klass != null && in.size() == 1) {
        return Map.of("enabled", "false"); // class '' means no compression
      }
      throw config("Missing sub-option 'class' for the '%s' option.", COMPRESSION);
    }
    String shortName = klass.startsWith(COMPRESSION_PACKAGE) ? klass.substring(COMPRESSION_PACKAGE.length()) : klass;
    if (!COMPRESSORS.contains(shortName)) {
      throw config("Could not create Compression for type %s", klass);
    }
    in.put("class", COMPRESSION_PACKAGE + shortName);
    int chunkKb = subInt(COMPRESSION, "chunk_length_in_kb", in.getOrDefault("chunk_length_in_kb", "16"));
    if (chunkKb <= 0 || Integer.bitCount(chunkKb) != 1) {
      throw config("chunk_length_in_kb must be a power of 2 (got %d)", chunkKb);
    }
    in.put("chunk_length_in_kb", Integer.toString(chunkKb));
    return in;
  }

  static String memtable(String name) {
    if (!name.equals("default")) {
      throw config("Memtable configuration \"%s\" not found.", name);
    }
    return name;
  }

  static String readRepair(String value) {
    String v = value.trim().toUpperCase(Locale.ROOT);
    if (!v.equals("BLOCKING") && !v.equals("NONE")) {
      throw config("Invalid value '%s' for option '%s': expected 'BLOCKING' or 'NONE'", value, READ_REPAIR);
    }
    return v;
  }

  /**
   * Normalizes a speculative_retry / additional_write_policy value: NONE, ALWAYS, a percentile
   * ("99p", "99PERCENTILE", "99.5p"), a fixed delay ("50ms"), or MIN/MAX of a percentile and a
   * delay ("MIN(99p,50ms)").
   */
  static String retryPolicy(String option, String value) {
    String v = value.trim().toUpperCase(Locale.ROOT);
    if (v.equals("NONE") || v.equals("ALWAYS")) {
      return v;
    }
    if ((v.startsWith("MIN(") || v.startsWith("MAX(")) && v.endsWith(")")) {
      String[] parts = v.substring(4, v.length() - 1).split(",", -1);
      if (parts.length == 2) {
        String a = retryLeaf(option, value, parts[0].trim());
        String b = retryLeaf(option, value, parts[1].trim());
        if (a != null && b != null && a.endsWith("p") != b.endsWith("p")) {
          return v.substring(0, 3) + "(" + a + "," + b + ")";
        }
      }
      throw config("Invalid value %s for option '%s'", value, option);
    }
    String leaf = retryLeaf(option, value, v);
    if (leaf == null) {
      throw config("Invalid value %s for option '%s'", value, option);
    }
    return leaf;
  }

  private static String retryLeaf(String option, String original, String v) {
    String number;
    boolean percentile;
    if (v.endsWith("PERCENTILE")) {
      number = v.substring(0, v.length() - "PERCENTILE".length());
      percentile = true;
    } else if (v.endsWith("P")) {
      number = v.substring(0, v.length() - 1);
      percentile = true;
    } else if (v.endsWith("MS")) {
      number = v.substring(0, v.length() - 2);
      percentile = false;
    } else {
      return null;
    }
    BigDecimal amount;
    try {
      amount = new BigDecimal(number.trim());
    } catch (NumberFormatException e) {
      return null;
    }
    if (percentile && (amount.signum() <= 0 || amount.compareTo(BigDecimal.valueOf(100)) >= 0)) {
      throw config("Invalid value %s for PERCENTILE option '%s': must be between (0.0 and 100.0)", original, option);
    }
    if (!percentile && amount.signum() < 0) {
      throw config("Invalid value %s for option '%s': a delay cannot be negative", original, option);
    }
    String text = amount.stripTrailingZeros().toPlainString();
    return percentile ? text + "p" : text + "ms";
  }

  private static int subInt(String option, String sub, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw config("Invalid value '%s' for %s sub-option '%s': expected an integer", value, option, sub);
    }
  }

  static MeridianException config(String format, Object... args) {
    return MeridianException.configError(String.format(format, args));
  }
}
