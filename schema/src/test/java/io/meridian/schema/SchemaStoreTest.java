package io.meridian.schema;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.common.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaStoreTest {
  @TempDir Path dir;

  private SchemaManager open() {
    return new SchemaManager(SchemaManagerTest.SYSTEM.keyspaces(), new SchemaStore(dir), Set.of("datacenter1"),
        Clock.SYSTEM, UUID::randomUUID);
  }

  static void populate(SchemaManager m) {
    m.createKeyspace("ks", SchemaManagerTest.simple(3), false);
    m.createKeyspace("other", Map.of("durable_writes", false,
        "replication", Map.of("class", "NetworkTopologyStrategy", "datacenter1", "2")), false);
    m.createTable("ks", "t", SchemaManagerTest.kvColumns(),
        Map.of("comment", "héllo ✓", "compaction", Map.of("class", "LeveledCompactionStrategy"),
            "speculative_retry", "MIN(99p,20ms)", "caching", Map.of("keys", "NONE")), false);
    m.addColumns("ks", "t", List.of(ColumnMetadata.regular("gone", Types.parse("timestamp"))), false, false);
    m.dropColumns("ks", "t", List.of("gone"), 42L, false, false);
    m.createTable("other", "u", List.of(
        ColumnMetadata.partitionKey("a", Types.parse("uuid"), 0),
        ColumnMetadata.partitionKey("b", Types.parse("blob"), 1),
        ColumnMetadata.regular("v", Types.parse("varint"))), Map.of(), false);
  }

  private static byte[] bytesOf(Schema schema) throws Exception {
    return SchemaStore.encode(schema);
  }

  @Test
  void roundTripThroughManagerRestart() throws Exception {
    SchemaManager first = open();
    populate(first);
    Schema written = first.current();

    SchemaManager second = open();
    Schema loaded = second.current();
    assertEquals(written.version(), loaded.version());
    assertArrayEquals(bytesOf(written), bytesOf(loaded));
    assertEquals(written.keyspaces().keySet(), loaded.keyspaces().keySet());
    TableMetadata t = loaded.table("ks", "t").orElseThrow();
    assertEquals(written.table("ks", "t").orElseThrow().params(), t.params());
    assertEquals("héllo ✓", t.params().comment());
    assertEquals(42L, t.droppedColumns().get("gone").droppedTimeMicros());
    assertEquals(ClusteringOrder.DESC, t.column("c").orElseThrow().order());
    assertEquals("timestamp", t.droppedColumns().get("gone").typeName());
    assertFalse(loaded.keyspace("other").orElseThrow().durableWrites());
    assertEquals(2, loaded.table("other", "u").orElseThrow().partitionKey().size());
    // built-in keyspaces are not persisted but are always present
    assertTrue(loaded.keyspace("system").isPresent());
    assertEquals(2, SchemaStore.decode(Files.readAllBytes(dir.resolve(SchemaStore.FILE_NAME))).keyspaces().size());
  }

  private static IndexRequest index(String name, String column, IndexMetadata.TargetType type, String using,
                                    Map<String, String> options) {
    return new IndexRequest(name, List.of(new IndexRequest.Target(column, type)), false, using, options, false);
  }

  @Test
  void indexesRoundTripWithTheirTables() throws Exception {
    SchemaManager first = open();
    populate(first);
    first.addColumns("ks", "t", List.of(ColumnMetadata.regular("m", Types.parse("map<text, int>"))), false, false);
    first.createIndex("ks", "t", index(null, "v", IndexMetadata.TargetType.SIMPLE, null, null));
    first.createIndex("ks", "t", index("by_s", "s", IndexMetadata.TargetType.SIMPLE, "sai", Map.of()));
    first.createIndex("ks", "t", index("by_key", "m", IndexMetadata.TargetType.KEYS, "StorageAttachedIndex",
        Map.of("bkd_postings_skip", "3")));
    Schema written = first.current();

    Schema loaded = open().current();
    assertArrayEquals(bytesOf(written), bytesOf(loaded));
    TableMetadata t = loaded.table("ks", "t").orElseThrow();
    assertEquals(written.table("ks", "t").orElseThrow(), t);
    assertEquals(List.of("by_key", "by_s", "t_v_idx"), t.indexes().stream().map(IndexMetadata::name).toList());
    IndexMetadata byKey = t.index("by_key").orElseThrow();
    assertEquals("keys(m)", byKey.target());
    assertEquals(Map.of("bkd_postings_skip", "3", "class_name", IndexMetadata.SAI_CLASS, "target", "keys(m)"),
        byKey.schemaOptions());
    assertEquals(IndexMetadata.Kind.COMPOSITES, t.index("t_v_idx").orElseThrow().kind());
    assertTrue(loaded.table("other", "u").orElseThrow().indexes().isEmpty());
    byte[] file = Files.readAllBytes(dir.resolve(SchemaStore.FILE_NAME));
    assertEquals(2, java.nio.ByteBuffer.wrap(file, 4, 4).getInt(), "written as format 2");
  }

  /** schema-format1.bin was written by the format 1 store (before indexes) from {@link #populate}. */
  @Test
  void formatOneFileStillLoadsAndIsRewrittenAsFormatTwo() throws Exception {
    Files.createDirectories(dir);
    try (var in = SchemaStoreTest.class.getResourceAsStream("/schema-format1.bin")) {
      Files.write(dir.resolve(SchemaStore.FILE_NAME), in.readAllBytes());
    }
    SchemaManager m = open();
    TableMetadata t = m.current().table("ks", "t").orElseThrow();
    assertEquals("héllo ✓", t.params().comment());
    assertEquals(42L, t.droppedColumns().get("gone").droppedTimeMicros());
    assertEquals(ClusteringOrder.DESC, t.column("c").orElseThrow().order());
    assertTrue(t.indexes().isEmpty());
    assertEquals(2, m.current().table("other", "u").orElseThrow().partitionKey().size());

    m.createIndex("ks", "t", index("by_v", "v", IndexMetadata.TargetType.SIMPLE, null, null));
    byte[] file = Files.readAllBytes(dir.resolve(SchemaStore.FILE_NAME));
    assertEquals(2, java.nio.ByteBuffer.wrap(file, 4, 4).getInt());
    assertEquals(List.of("by_v"), open().current().table("ks", "t").orElseThrow().indexes().stream()
        .map(IndexMetadata::name).toList());
  }

  @Test
  void aFutureFormatIsRefused() throws Exception {
    SchemaManager m = open();
    populate(m);
    byte[] file = Files.readAllBytes(dir.resolve(SchemaStore.FILE_NAME));
    java.nio.ByteBuffer.wrap(file).putInt(4, 3);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> SchemaStore.decode(file));
    assertTrue(e.getMessage().contains("unsupported format version 3"), e.getMessage());
  }

  @Test
  void emptyDirectoryLoadsNothing() {
    assertTrue(new SchemaStore(dir).load().isEmpty());
  }

  @Test
  void crashAtAnyStepLeavesOldOrNewSchema() throws Exception {
    for (String step : List.of("temp-half-written", "temp-written", "renamed")) {
      SchemaStore store = new SchemaStore(dir.resolve(step));
      SchemaManager m = new SchemaManager(SchemaManagerTest.SYSTEM.keyspaces(), store, Set.of("datacenter1"),
          Clock.SYSTEM, UUID::randomUUID);
      m.createKeyspace("before", SchemaManagerTest.simple(1), false);
      UUID oldVersion = m.current().version();
      store.setFaultPoint(s -> {
        if (s.equals(step)) {
          throw new IllegalStateException("crash at " + s);
        }
      });
      assertThrows(RuntimeException.class, () -> m.createKeyspace("after", SchemaManagerTest.simple(1), false));

      Schema reloaded = new SchemaStore(dir.resolve(step)).load().orElseThrow();
      assertTrue(reloaded.keyspaces().containsKey("before"), step);
      if (step.equals("renamed")) {
        assertTrue(reloaded.keyspaces().containsKey("after"), "rename done before the crash: new schema");
      } else {
        assertEquals(oldVersion, reloaded.version(), step);
        assertFalse(reloaded.keyspaces().containsKey("after"), step);
      }
      assertFalse(Files.exists(dir.resolve(step).resolve(SchemaStore.TEMP_NAME)), "temp file cleaned on load");
    }
  }

  @Test
  void corruptionIsDetectedNotSkipped() throws Exception {
    SchemaManager m = open();
    populate(m);
    Path file = dir.resolve(SchemaStore.FILE_NAME);
    byte[] good = Files.readAllBytes(file);

    byte[] flipped = good.clone();
    flipped[good.length / 2] ^= 0x40;
    Files.write(file, flipped);
    IllegalStateException crc = assertThrows(IllegalStateException.class, () -> new SchemaStore(dir).load());
    assertTrue(crc.getMessage().contains("CRC32C"), crc.getMessage());

    Files.write(file, java.util.Arrays.copyOf(good, good.length - 7));
    assertThrows(IllegalStateException.class, () -> new SchemaStore(dir).load());

    byte[] badMagic = good.clone();
    badMagic[0] = 'X';
    Files.write(file, badMagic);
    assertThrows(IllegalStateException.class, () -> new SchemaStore(dir).load());

    byte[] futureFormat = good.clone();
    futureFormat[7] = 9;
    Files.write(file, futureFormat);
    IllegalStateException format = assertThrows(IllegalStateException.class, () -> new SchemaStore(dir).load());
    assertTrue(format.getMessage().contains("format version 9"), format.getMessage());

    Files.write(file, good);
    assertTrue(new SchemaStore(dir).load().isPresent());
  }
}
