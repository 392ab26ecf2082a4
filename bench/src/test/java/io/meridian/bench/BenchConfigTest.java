package io.meridian.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import org.junit.jupiter.api.Test;

/** The documented defaults and the limits of the command line (docs/benchmarks.md). */
class BenchConfigTest {

  @Test
  void defaultsMatchTheDocumentation() {
    BenchConfig config = BenchConfig.parse(new String[0]);
    assertEquals("127.0.0.1", config.host());
    assertEquals(9042, config.port());
    assertEquals(BenchConfig.WorkloadKind.INSERT, config.workload());
    assertEquals(30, config.durationS());
    assertEquals(10, config.warmupS());
    assertEquals(64, config.concurrency());
    assertEquals(100_000, config.keys());
    assertEquals(DefaultConsistencyLevel.LOCAL_ONE, config.consistency());
    assertEquals("127.0.0.1:9042", config.label());
  }

  @Test
  void parsesEveryWorkloadAndConsistency() {
    BenchConfig config = BenchConfig.parse(new String[] {
        "--workload", "TimeSeries", "--consistency", "quorum", "--concurrency", "8", "--reset"});
    assertEquals(BenchConfig.WorkloadKind.TIMESERIES, config.workload());
    assertEquals(BenchConfig.WorkloadKind.LWT,
        BenchConfig.parse(new String[] {"--workload", "lwt"}).workload());
    BenchConfig indexed = BenchConfig.parse(new String[] {
        "--workload", "indexed-range", "--table-options", "indexing = {'include': ''}"});
    assertEquals(BenchConfig.WorkloadKind.INDEXED_RANGE, indexed.workload());
    assertEquals("indexed-range", indexed.workload().label());
    assertEquals("indexing = {'include': ''}", indexed.tableOptions());
    assertEquals(null, config.tableOptions());
    assertEquals(DefaultConsistencyLevel.QUORUM, config.consistency());
    assertEquals(8, config.concurrency());
    assertTrue(config.resetTables());
  }

  @Test
  void rejectsValuesOutsideTheirBounds() {
    assertThrows(IllegalArgumentException.class,
        () -> BenchConfig.parse(new String[] {"--concurrency", "0"}));
    assertThrows(IllegalArgumentException.class,
        () -> BenchConfig.parse(new String[] {"--workload", "scan"}));
    assertThrows(IllegalArgumentException.class,
        () -> BenchConfig.parse(new String[] {"--port"}));
    assertThrows(IllegalArgumentException.class,
        () -> BenchConfig.parse(new String[] {"--bogus", "1"}));
  }

  @Test
  void refusesNonLoopbackHosts() {
    assertThrows(IllegalArgumentException.class, () -> LoadGenerator.requireLoopback("192.0.2.1"));
  }
}
