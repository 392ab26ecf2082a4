package io.meridian.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.common.Clock;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Materialized views in schema.bin (format 2), and format 1 files still loading. */
class SchemaStoreViewsTest {
  @TempDir Path dir;

  private SchemaManager open() {
    return new SchemaManager(SchemaManagerTest.SYSTEM.keyspaces(), new SchemaStore(dir), Set.of("datacenter1"),
        Clock.SYSTEM, UUID::randomUUID);
  }

  @Test
  void viewsSurviveARestartWithTheirDefinition() {
    SchemaManager m = open();
    m.createKeyspace("ks", SchemaManagerTest.simple(1), false);
    m.createTable("ks", "t", SchemaManagerTest.kvColumns(), Map.of(), false);
    TableMetadata base = m.current().table("ks", "t").orElseThrow();
    List<ColumnMetadata> columns = List.of(
        ColumnMetadata.partitionKey("v", base.column("v").orElseThrow().type(), 0),
        ColumnMetadata.clustering("k", base.column("k").orElseThrow().type(), 0, ClusteringOrder.DESC),
        ColumnMetadata.clustering("c", base.column("c").orElseThrow().type(), 1, ClusteringOrder.ASC));
    m.createView("ks", "by_v", columns,
        new ViewDefinition(base.id(), "t", false, "v IS NOT NULL AND k IS NOT NULL AND c IS NOT NULL", true),
        Map.of("comment", "a view"), false);

    TableMetadata loaded = open().current().table("ks", "by_v").orElseThrow();
    assertTrue(loaded.isView());
    assertEquals(base.id(), loaded.view().baseTableId());
    assertEquals("t", loaded.view().baseTableName());
    assertFalse(loaded.view().includeAllColumns());
    assertTrue(loaded.view().building());
    assertEquals("v IS NOT NULL AND k IS NOT NULL AND c IS NOT NULL", loaded.view().whereClause());
    assertEquals("a view", loaded.params().comment());
    assertEquals(ClusteringOrder.DESC, loaded.column("k").orElseThrow().order());
    assertFalse(open().current().table("ks", "t").orElseThrow().isView());
  }

  @Test
  void formatOneFilesStillLoad() throws Exception {
    UUID version = UUID.randomUUID();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeLong(version.getMostSignificantBits());
    out.writeLong(version.getLeastSignificantBits());
    out.writeInt(1); // one keyspace
    byte[] name = "old".getBytes(StandardCharsets.UTF_8);
    out.writeInt(name.length);
    out.write(name);
    out.writeBoolean(true);
    out.writeInt(0); // replication map
    out.writeInt(0); // no tables, and (format 1) no view section
    byte[] payload = bytes.toByteArray();
    CRC32C crc = new CRC32C();
    crc.update(payload);
    ByteBuffer file = ByteBuffer.allocate(16 + payload.length);
    file.putInt(SchemaStore.MAGIC).putInt(1).putInt(payload.length).put(payload).putInt((int) crc.getValue());
    Schema decoded = SchemaStore.decode(file.array());
    assertEquals(version, decoded.version());
    assertTrue(decoded.keyspace("old").isPresent());
  }
}
