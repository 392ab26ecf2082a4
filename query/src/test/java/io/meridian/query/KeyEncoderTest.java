package io.meridian.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.schema.ClusteringOrder;
import io.meridian.schema.ColumnMetadata;
import io.meridian.schema.TableMetadata;
import io.meridian.schema.TableParams;
import io.meridian.types.CqlTypes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class KeyEncoderTest {
  /** (k int, a int ASC, b text DESC): the clustering byte order must be (a ASC, b DESC). */
  static final TableMetadata TABLE = new TableMetadata("ks", "t", UUID.randomUUID(), List.of(
      ColumnMetadata.partitionKey("k", CqlTypes.INT, 0),
      ColumnMetadata.clustering("a", CqlTypes.INT, 0, ClusteringOrder.ASC),
      ColumnMetadata.clustering("b", CqlTypes.TEXT, 1, ClusteringOrder.DESC),
      ColumnMetadata.regular("v", CqlTypes.TEXT)), TableParams.DEFAULT);

  static byte[] key(int a, String b) {
    return KeyEncoder.clustering(TABLE, List.of(CqlTypes.INT.encode(a), CqlTypes.TEXT.encode(b)));
  }

  @Property(tries = 300)
  void byteOrderIsClusteringOrder(@ForAll int a1, @ForAll String b1, @ForAll int a2, @ForAll String b2) {
    int expected = a1 != a2 ? Integer.compare(a1, a2)
        : -Integer.signum(CqlTypes.TEXT.compare(CqlTypes.TEXT.encode(b1), CqlTypes.TEXT.encode(b2)));
    assertEquals(Integer.signum(expected), Integer.signum(Arrays.compareUnsigned(key(a1, b1), key(a2, b2))));
  }

  @Property(tries = 300)
  void splitInvertsEncode(@ForAll int a, @ForAll String b) {
    List<ByteBuffer> values = KeyEncoder.splitClustering(TABLE, key(a, b));
    assertEquals(a, CqlTypes.INT.decode(values.get(0)));
    assertEquals(b, CqlTypes.TEXT.decode(values.get(1)));
  }

  @Property(tries = 300)
  void aPrefixBoundsExactlyItsRows(@ForAll int a, @ForAll String b, @ForAll int other) {
    byte[] prefix = KeyEncoder.clustering(TABLE, List.of(CqlTypes.INT.encode(a)));
    byte[] end = KeyEncoder.prefixEnd(prefix);
    byte[] inside = key(a, b);
    assertTrue(Arrays.compareUnsigned(prefix, inside) <= 0 && Arrays.compareUnsigned(inside, end) < 0);
    if (other != a) {
      byte[] outside = key(other, b);
      assertTrue(Arrays.compareUnsigned(outside, prefix) < 0 || Arrays.compareUnsigned(outside, end) >= 0);
    }
  }

  @Test
  void compositePartitionKeysSplitBack() {
    TableMetadata composite = new TableMetadata("ks", "c", UUID.randomUUID(), List.of(
        ColumnMetadata.partitionKey("x", CqlTypes.TEXT, 0),
        ColumnMetadata.partitionKey("y", CqlTypes.BIGINT, 1)), TableParams.DEFAULT);
    List<ByteBuffer> parts = new ArrayList<>(List.of(CqlTypes.TEXT.encode("sensor-1"), CqlTypes.BIGINT.encode(-5L)));
    var key = KeyEncoder.partitionKey(composite, parts);
    List<ByteBuffer> back = KeyEncoder.splitPartitionKey(composite, key.serialized());
    assertEquals("sensor-1", CqlTypes.TEXT.decode(back.get(0)));
    assertEquals(-5L, CqlTypes.BIGINT.decode(back.get(1)));
  }

  @Test
  void tablesWithoutClusteringUseAKeyDistinctFromTheStaticRow() {
    TableMetadata noClustering = new TableMetadata("ks", "n", UUID.randomUUID(), List.of(
        ColumnMetadata.partitionKey("k", CqlTypes.INT, 0), ColumnMetadata.regular("v", CqlTypes.INT)), TableParams.DEFAULT);
    assertTrue(KeyEncoder.clustering(noClustering, List.of()).length > 0);
  }
}
