package io.meridian.cluster;

import java.util.Objects;
import java.util.UUID;

/**
 * One member of the cluster as the metadata group knows it.
 *
 * @param peerId the node's Raft peer id, derived from its Raft address (see {@link #peerIdFor})
 * @param raftAddress host:port of the node's Raft (inter-node) server
 * @param cqlAddress the address drivers connect to
 */
public record NodeRecord(UUID hostId, String peerId, String raftAddress, String cqlAddress, int cqlPort,
                         String dataCenter, String rack) {
  public NodeRecord {
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(raftAddress, "raftAddress");
    Objects.requireNonNull(cqlAddress, "cqlAddress");
    Objects.requireNonNull(dataCenter, "dataCenter");
    Objects.requireNonNull(rack, "rack");
  }

  /**
   * A Raft peer id is its address ("127.0.0.2_7000"), so that a node given only seed addresses can
   * name the seeds' Raft servers. A node that changes address is a new peer.
   */
  public static String peerIdFor(String raftAddress) {
    return raftAddress.replace(':', '_');
  }
}
