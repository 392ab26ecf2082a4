package io.meridian.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableParamsTest {

  private static MeridianException fails(Map<String, ?> options) {
    return assertThrows(MeridianException.class, () -> TableParams.DEFAULT.withOptions(options));
  }

  @Test
  void defaultsMatchCassandra5() {
    TableParams p = TableParams.DEFAULT;
    assertEquals(0.01, p.bloomFilterFpChance());
    assertEquals(Map.of("keys", "ALL", "rows_per_partition", "NONE"), p.caching());
    assertEquals("", p.comment());
    assertEquals("org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy", p.compaction().get("class"));
    assertEquals(Map.of("chunk_length_in_kb", "16", "class", "org.apache.cassandra.io.compress.LZ4Compressor"), p.compression());
    assertEquals(1.0, p.crcCheckChance());
    assertEquals(0, p.defaultTimeToLive());
    assertEquals(864000, p.gcGraceSeconds());
    assertEquals(2048, p.maxIndexInterval());
    assertEquals(128, p.minIndexInterval());
    assertEquals(0, p.memtableFlushPeriodInMs());
    assertEquals("BLOCKING", p.readRepair());
    assertEquals("99p", p.speculativeRetry());
    assertEquals("99p", p.additionalWritePolicy());
    assertEquals("default", p.memtable());
    assertEquals(false, p.cdc());
  }

  @Test
  void optionsAreAppliedAndNormalized() {
    TableParams p =
        TableParams.DEFAULT.withOptions(
            Map.of(
                "comment", "hello",
                "default_time_to_live", 3600,
                "gc_grace_seconds", "100",
                "bloom_filter_fp_chance", 0.1,
                "speculative_retry", "95PERCENTILE",
                "additional_write_policy", "50ms",
                "read_repair", "none",
                "cdc", "true",
                "compaction", Map.of("class", "LeveledCompactionStrategy", "sstable_size_in_mb", "160"),
                "caching", Map.of("rows_per_partition", "10")));
    assertEquals("hello", p.comment());
    assertEquals(3600, p.defaultTimeToLive());
    assertEquals(100, p.gcGraceSeconds());
    assertEquals(0.1, p.bloomFilterFpChance());
    assertEquals("95p", p.speculativeRetry());
    assertEquals("50ms", p.additionalWritePolicy());
    assertEquals("NONE", p.readRepair());
    assertTrue(p.cdc());
    assertEquals("org.apache.cassandra.db.compaction.LeveledCompactionStrategy", p.compaction().get("class"));
    assertEquals("4", p.compaction().get("min_threshold"));
    assertEquals("160", p.compaction().get("sstable_size_in_mb"));
    assertEquals(Map.of("keys", "ALL", "rows_per_partition", "10"), p.caching());
  }

  @Test
  void speculativeRetryForms() {
    assertEquals("99.5p", TableParams.retryPolicy("speculative_retry", "99.5p"));
    assertEquals("NONE", TableParams.retryPolicy("speculative_retry", "none"));
    assertEquals("ALWAYS", TableParams.retryPolicy("speculative_retry", "Always"));
    assertEquals("MIN(99p,50ms)", TableParams.retryPolicy("speculative_retry", "min(99PERCENTILE, 50ms)"));
    assertEquals(CqlErrorCode.CONFIG_ERROR, fails(Map.of("speculative_retry", "fast")).code());
    assertEquals(CqlErrorCode.CONFIG_ERROR, fails(Map.of("speculative_retry", "100p")).code());
  }

  @Test
  void unknownOptionIsASyntaxError() {
    MeridianException e = fails(Map.of("colour", "blue"));
    assertEquals(CqlErrorCode.SYNTAX_ERROR, e.code());
    assertEquals("Unknown property 'colour'", e.getMessage());
  }

  @Test
  void obsoleteOptionsAreIgnored() {
    assertEquals(TableParams.DEFAULT, TableParams.DEFAULT.withOptions(Map.of("read_repair_chance", 0.0)));
  }

  @Test
  void wrongShapesAreSyntaxErrors() {
    assertEquals(CqlErrorCode.SYNTAX_ERROR, fails(Map.of("gc_grace_seconds", "soon")).code());
    assertEquals(CqlErrorCode.SYNTAX_ERROR, fails(Map.of("gc_grace_seconds", 1.5)).code());
    assertEquals(CqlErrorCode.SYNTAX_ERROR, fails(Map.of("cdc", "maybe")).code());
    assertEquals(CqlErrorCode.SYNTAX_ERROR, fails(Map.of("compaction", "LCS")).code());
    assertEquals(CqlErrorCode.SYNTAX_ERROR, fails(Map.of("comment", Map.of("a", "b"))).code());
  }

  @Test
  void outOfRangeValuesAreConfigErrors() {
    MeridianException ttl = fails(Map.of("default_time_to_live", -1));
    assertEquals(CqlErrorCode.CONFIG_ERROR, ttl.code());
    assertTrue(ttl.getMessage().contains("default_time_to_live"), ttl.getMessage());
    assertEquals(CqlErrorCode.CONFIG_ERROR, fails(Map.of("default_time_to_live", TableParams.MAX_TTL_SECONDS + 1)).code());
    assertEquals(CqlErrorCode.CONFIG_ERROR, fails(Map.of("gc_grace_seconds", -5)).code());
    assertEquals(CqlErrorCode.CONFIG_ERROR, fails(Map.of("bloom_filter_fp_chance", 0)).code());
    assertEquals(CqlErrorCode.CONFIG_ERROR, fails(Map.of("crc_check_chance", 1.5)).code());
    assertEquals(CqlErrorCode.CONFIG_ERROR, fails(Map.of("min_index_interval", 4096)).code());
    assertEquals(CqlErrorCode.CONFIG_ERROR, fails(Map.of("read_repair", "sometimes")).code());
    assertEquals(CqlErrorCode.CONFIG_ERROR, fails(Map.of("memtable", "fancy")).code());
    assertEquals(CqlErrorCode.CONFIG_ERROR, fails(Map.of("compaction", Map.of("min_threshold", "2"))).code());
    assertEquals(CqlErrorCode.CONFIG_ERROR, fails(Map.of("compaction", Map.of("class", "NoSuchStrategy"))).code());
    assertEquals(CqlErrorCode.CONFIG_ERROR,
        fails(Map.of("compaction", Map.of("class", "SizeTieredCompactionStrategy", "sstable_size_in_mb", "1"))).code());
    assertEquals(CqlErrorCode.CONFIG_ERROR, fails(Map.of("compression", Map.of("class", "LZ4Compressor", "chunk_length_in_kb", "3"))).code());
    assertEquals(CqlErrorCode.CONFIG_ERROR, fails(Map.of("compression", Map.of("class", "Brotli"))).code());
    assertEquals(CqlErrorCode.CONFIG_ERROR, fails(Map.of("caching", Map.of("keys", "SOME"))).code());
    assertEquals(CqlErrorCode.CONFIG_ERROR, fails(Map.of("caching", Map.of("rows", "ALL"))).code());
  }

  @Test
  void compressionForms() {
    assertEquals(Map.of("enabled", "false"),
        TableParams.DEFAULT.withOptions(Map.of("compression", Map.of("enabled", "false"))).compression());
    assertEquals(Map.of("class", "org.apache.cassandra.io.compress.ZstdCompressor", "chunk_length_in_kb", "64"),
        TableParams.DEFAULT.withOptions(
            Map.of("compression", Map.of("sstable_compression", "ZstdCompressor", "chunk_length_kb", 64))).compression());
  }

  @Test
  void optionMapRoundTripIsIdentity() {
    TableParams p =
        TableParams.DEFAULT.withOptions(
            Map.of("comment", "x", "speculative_retry", "MAX(90p,10ms)", "bloom_filter_fp_chance", 0.05,
                "compaction", Map.of("class", "UnifiedCompactionStrategy", "scaling_parameters", "T4")));
    assertEquals(p, TableParams.DEFAULT.withOptions(p.toOptionMap()));
    assertEquals(TableParams.DEFAULT, TableParams.DEFAULT.withOptions(TableParams.DEFAULT.toOptionMap()));
  }
}
