package io.meridian.cluster;

import io.meridian.storage.TokenRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The token ring drivers are shown ({@link TablePlacement#tokensOf}), walked the way they walk it:
 * a token belongs to the node with the next token up (wrapping around), and its replicas are that
 * node and the next distinct nodes after it. The rebalancer uses it to prefer moves that leave a
 * tablet on the nodes drivers send its requests to.
 */
final class DriverRing {
  private final TreeMap<Long, String> owners = new TreeMap<>();
  private final int nodes;

  /** The ring of {@code peers}, in the order the cluster lists them. */
  DriverRing(List<String> peers, int tabletsPerTable) {
    nodes = peers.size();
    for (int i = 0; i < nodes; i++) {
      for (String token : TablePlacement.tokensOf(i, nodes, tabletsPerTable)) {
        owners.put(Long.parseLong(token), peers.get(i));
      }
    }
  }

  /** The replicas a driver picks for {@code token} in a keyspace of this factor. */
  List<String> replicas(long token, int replicationFactor) {
    int rf = Math.min(replicationFactor, nodes);
    List<String> out = new ArrayList<>(rf);
    Map.Entry<Long, String> at = owners.ceilingEntry(token);
    for (int seen = 0; out.size() < rf && seen < owners.size(); seen++) {
      if (at == null) {
        at = owners.firstEntry();
      }
      if (!out.contains(at.getValue())) {
        out.add(at.getValue());
      }
      at = owners.higherEntry(at.getKey());
    }
    return out;
  }

  /** The replicas a driver picks for the middle of {@code range}, the tokens most of its keys have. */
  List<String> replicas(TokenRange range, int replicationFactor) {
    long middle = range.start() + Long.divideUnsigned(range.end() - range.start(), 2);
    return replicas(middle, replicationFactor);
  }
}
