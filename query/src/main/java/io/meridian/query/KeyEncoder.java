package io.meridian.query;

import io.meridian.schema.ColumnMetadata;
import io.meridian.schema.TableMetadata;
import io.meridian.storage.PartitionKey;
import io.meridian.types.Murmur3Token;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns CQL key values into what storage orders by: partition keys into (Murmur3 token,
 * Cassandra's serialized key) and clustering keys into byte-comparable bytes, with DESC columns
 * bit-inverted so that unsigned byte order is the table's clustering order.
 */
public final class KeyEncoder {
  private KeyEncoder() {}

  public static PartitionKey partitionKey(TableMetadata table, List<ByteBuffer> components) {
    ByteBuffer serialized = components.size() == 1
        ? components.get(0).duplicate()
        : Murmur3Token.compositeKey(components);
    byte[] bytes = new byte[serialized.remaining()];
    serialized.duplicate().get(bytes);
    return new PartitionKey(Murmur3Token.token(ByteBuffer.wrap(bytes)), bytes);
  }

  /** The partition key's component values, from its serialized form. */
  public static List<ByteBuffer> splitPartitionKey(TableMetadata table, byte[] serialized) {
    int n = table.partitionKey().size();
    List<ByteBuffer> out = new ArrayList<>(n);
    if (n == 1) {
      out.add(ByteBuffer.wrap(serialized));
      return out;
    }
    ByteBuffer b = ByteBuffer.wrap(serialized);
    for (int i = 0; i < n; i++) {
      int len = b.getShort() & 0xFFFF;
      ByteBuffer part = b.slice();
      part.limit(len);
      out.add(part);
      b.position(b.position() + len + 1); // skip the end-of-component byte
    }
    return out;
  }

  /**
   * The row key of a table without clustering columns. Storage keeps the static row under the
   * empty key, so the single row of such a table needs a key of its own.
   */
  static final byte[] SINGLE_ROW_KEY = {0x00};

  /** Byte-comparable encoding of a clustering prefix (the first values.size() clustering columns). */
  public static byte[] clustering(TableMetadata table, List<ByteBuffer> values) {
    List<ColumnMetadata> columns = table.clusteringColumns();
    if (columns.isEmpty()) {
      return SINGLE_ROW_KEY.clone();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < values.size(); i++) {
      ColumnMetadata c = columns.get(i);
      byte[] enc = c.type().toComparable(values.get(i));
      if (c.order() == io.meridian.schema.ClusteringOrder.DESC) {
        invert(enc);
      }
      out.writeBytes(enc);
    }
    return out.toByteArray();
  }

  /** Decodes all clustering values from a full clustering key. */
  public static List<ByteBuffer> splitClustering(TableMetadata table, byte[] encoded) {
    List<ColumnMetadata> columns = table.clusteringColumns();
    List<ByteBuffer> out = new ArrayList<>(columns.size());
    byte[] copy = encoded;
    boolean anyDesc = columns.stream().anyMatch(c -> c.order() == io.meridian.schema.ClusteringOrder.DESC);
    if (anyDesc) {
      copy = encoded.clone();
    }
    ByteBuffer b = ByteBuffer.wrap(copy);
    for (ColumnMetadata c : columns) {
      if (c.order() == io.meridian.schema.ClusteringOrder.DESC) {
        // Invert the rest in place; fromComparable reads exactly one value, then we re-invert what remains.
        invertFrom(copy, b.position());
        out.add(c.type().fromComparable(b));
        invertFrom(copy, b.position());
      } else {
        out.add(c.type().fromComparable(b));
      }
    }
    return out;
  }

  /** The smallest key greater than every key starting with {@code prefix}; null if there is none. */
  public static byte[] prefixEnd(byte[] prefix) {
    byte[] end = prefix.clone();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xFF) {
        end[i]++;
        return java.util.Arrays.copyOf(end, i + 1);
      }
    }
    return null;
  }

  private static void invert(byte[] b) {
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) ~b[i];
    }
  }

  private static void invertFrom(byte[] b, int from) {
    for (int i = from; i < b.length; i++) {
      b[i] = (byte) ~b[i];
    }
  }
}
