package io.meridian.it.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.internal.core.context.InternalDriverContext;
import io.meridian.it.TestNode;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LZ4 compression negotiated in STARTUP, on v4 (compressed frame bodies) and v5 (compressed
 * segments), with requests and results far larger than one v5 segment (128 KiB).
 */
class CompressionIT {
  private static final int LARGE = 300 * 1024;
  private static TestNode node;

  @BeforeAll
  static void startNode() {
    node = TestNode.start();
    try (CqlSession s = node.session()) {
      s.execute("CREATE KEYSPACE lz WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    }
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  /** Half compressible text-like bytes, half random, so both LZ4 paths (gain, no gain) occur. */
  private static byte[] payload(long seed, int size, boolean compressible) {
    Random random = new Random(seed);
    byte[] b = new byte[size];
    if (compressible) {
      for (int i = 0; i < size; i++) {
        b[i] = (byte) ('a' + random.nextInt(4));
      }
    } else {
      random.nextBytes(b);
    }
    return b;
  }

  @ParameterizedTest
  @ValueSource(strings = {"V4", "V5"})
  void largeRequestsAndResultsRoundTripCompressed(String version) {
    String table = "lz.blobs_" + version.toLowerCase();
    try (CqlSession session = node.session(cfg -> cfg
        .withString(DefaultDriverOption.PROTOCOL_VERSION, version)
        .withString(DefaultDriverOption.PROTOCOL_COMPRESSION, "lz4"))) {
      assertEquals(version, session.getContext().getProtocolVersion().name());
      assertEquals("lz4", ((InternalDriverContext) session.getContext()).getCompressor().algorithm());
      session.execute("CREATE TABLE " + table + " (k int PRIMARY KEY, v blob)");
      PreparedStatement insert = session.prepare("INSERT INTO " + table + " (k, v) VALUES (?, ?)");
      PreparedStatement select = session.prepare("SELECT v FROM " + table + " WHERE k = ?");
      Map<Integer, byte[]> written = new HashMap<>();
      for (int k = 0; k < 8; k++) {
        byte[] value = payload(k, LARGE + k * 1000, k % 2 == 0);
        session.execute(insert.bind(k, ByteBuffer.wrap(value)));
        written.put(k, value);
      }
      // Each single-row result is > 256 KiB.
      for (Map.Entry<Integer, byte[]> e : written.entrySet()) {
        Row row = session.execute(select.bind(e.getKey())).one();
        assertArrayEquals(e.getValue(), bytes(row.getByteBuffer("v")), "row " + e.getKey());
      }
      // One result of ~2.4 MiB spanning many segments.
      ResultSet all = session.execute(
          com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance("SELECT k, v FROM " + table)
              .setPageSize(100));
      int count = 0;
      for (Row row : all) {
        assertArrayEquals(written.get(row.getInt("k")), bytes(row.getByteBuffer("v")), "row " + row.getInt("k"));
        count++;
      }
      assertEquals(8, count);
      // Unprepared large request (the value travels inside the QUERY body as a blob literal).
      byte[] literal = payload(99, LARGE, true);
      session.execute("INSERT INTO " + table + " (k, v) VALUES (100, 0x" + hex(literal) + ")");
      assertArrayEquals(literal, bytes(session.execute(select.bind(100)).one().getByteBuffer("v")));
      // Small requests keep working on the same connections afterwards.
      assertTrue(session.execute("SELECT k FROM " + table + " WHERE k = 3").one() != null);
    }
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] b = new byte[buffer.remaining()];
    buffer.duplicate().get(b);
    return b;
  }

  private static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
    }
    return sb.toString();
  }
}
