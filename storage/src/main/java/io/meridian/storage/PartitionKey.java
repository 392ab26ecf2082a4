package io.meridian.storage;

import java.util.Arrays;

/**
 * A partition key as the storage sees it: its Murmur3 token and its serialized form (for a single
 * component the value's bytes; for a composite key Cassandra's composite encoding). Partitions are
 * ordered by token, then by the serialized bytes (unsigned).
 */
public record PartitionKey(long token, byte[] serialized) {
  @Override
  public boolean equals(Object o) {
    return o instanceof PartitionKey p && p.token == token && Arrays.equals(p.serialized, serialized);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(token) * 31 + Arrays.hashCode(serialized);
  }

  @Override
  public String toString() {
    return "PartitionKey{token=" + token + ", bytes=" + serialized.length + "}";
  }
}
