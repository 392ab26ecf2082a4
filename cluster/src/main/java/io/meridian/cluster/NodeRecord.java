package io.meridian.cluster;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One member of the cluster as the metadata group knows it.
 *
 * @param peerId the node's Raft peer id, derived from its Raft address (see {@link #peerIdFor})
 * @param raftAddress host:port of the node's Raft (inter-node) server
 * @param cqlAddress the address drivers connect to
 * @param tokens the node's place on the token ring drivers are shown ({@link TokenRing}): given
 *     once, when the node first joins, and kept for as long as it is a member, so drivers that
 *     learnt them never need to learn them again. Empty in the record a node sends to join.
 */
public record NodeRecord(UUID hostId, String peerId, String raftAddress, String cqlAddress, int cqlPort,
                         String dataCenter, String rack, List<Long> tokens) {
  public NodeRecord {
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(raftAddress, "raftAddress");
    Objects.requireNonNull(cqlAddress, "cqlAddress");
    Objects.requireNonNull(dataCenter, "dataCenter");
    Objects.requireNonNull(rack, "rack");
    tokens = List.copyOf(tokens);
  }

  /** A record without tokens: what a node sends when it joins (the metadata group gives the tokens). */
  public NodeRecord(UUID hostId, String peerId, String raftAddress, String cqlAddress, int cqlPort,
                    String dataCenter, String rack) {
    this(hostId, peerId, raftAddress, cqlAddress, cqlPort, dataCenter, rack, List.of());
  }

  public NodeRecord withTokens(List<Long> next) {
    return new NodeRecord(hostId, peerId, raftAddress, cqlAddress, cqlPort, dataCenter, rack, next);
  }

  /**
   * A Raft peer id is its address ("127.0.0.2_7000"), so that a node given only seed addresses can
   * name the seeds' Raft servers. A node that changes address is a new peer.
   */
  public static String peerIdFor(String raftAddress) {
    return raftAddress.replace(':', '_');
  }
}
