package io.meridian.schema.system;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * What this node says about itself in system.local (and, for other nodes, in system.peers and
 * system.peers_v2). The server builds it from its configuration and the persisted host id.
 *
 * @param tokens the node's Murmur3 tokens as decimal strings
 * @param gossipGeneration seconds since the epoch at start-up, as Cassandra uses it
 */
public record NodeInfo(
    UUID hostId,
    String clusterName,
    String dataCenter,
    String rack,
    InetAddress listenAddress,
    int listenPort,
    InetAddress broadcastAddress,
    int broadcastPort,
    InetAddress rpcAddress,
    int rpcPort,
    Set<String> tokens,
    int gossipGeneration,
    String releaseVersion) {

  /** The Cassandra release drivers should believe they talk to (they parse it as a version). */
  public static final String RELEASE_VERSION = "5.0.6";
  public static final String CQL_VERSION = "3.4.7";
  public static final String NATIVE_PROTOCOL_VERSION = "5";
  public static final String PARTITIONER = "org.apache.cassandra.dht.Murmur3Partitioner";
  public static final String DEFAULT_DATA_CENTER = "datacenter1";
  public static final String DEFAULT_RACK = "rack1";
  public static final int DEFAULT_TOKEN_COUNT = 16;

  public NodeInfo {
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(clusterName, "clusterName");
    Objects.requireNonNull(dataCenter, "dataCenter");
    Objects.requireNonNull(rack, "rack");
    Objects.requireNonNull(listenAddress, "listenAddress");
    Objects.requireNonNull(broadcastAddress, "broadcastAddress");
    Objects.requireNonNull(rpcAddress, "rpcAddress");
    Objects.requireNonNull(releaseVersion, "releaseVersion");
    tokens = Set.copyOf(tokens);
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException("A node needs at least one token");
    }
  }

  /**
   * A single node that owns the whole ring: one address for listen, broadcast and rpc, default
   * data center and rack, and {@link #DEFAULT_TOKEN_COUNT} evenly spaced tokens.
   */
  public static NodeInfo singleNode(
      UUID hostId, String clusterName, InetAddress address, int storagePort, int nativePort, int gossipGeneration) {
    return new NodeInfo(
        hostId,
        clusterName,
        DEFAULT_DATA_CENTER,
        DEFAULT_RACK,
        address,
        storagePort,
        address,
        storagePort,
        address,
        nativePort,
        new LinkedHashSet<>(evenlySpacedTokens(DEFAULT_TOKEN_COUNT)),
        gossipGeneration,
        RELEASE_VERSION);
  }

  /**
   * {@code count} Murmur3 tokens splitting the ring [-2^63, 2^63) into equal ranges, the first at
   * -2^63 + 2^64/count (so the last is 2^63 - 1 rounded down to the step; -2^63 itself is the
   * minimum token, which no node owns).
   */
  public static List<String> evenlySpacedTokens(int count) {
    if (count < 1 || count > 1 << 16) {
      throw new IllegalArgumentException("token count must be in [1, 65536], got " + count);
    }
    BigInteger min = BigInteger.valueOf(Long.MIN_VALUE);
    BigInteger step = BigInteger.ONE.shiftLeft(64).divide(BigInteger.valueOf(count));
    List<String> tokens = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      BigInteger token = min.add(step.multiply(BigInteger.valueOf(i)));
      if (token.compareTo(BigInteger.valueOf(Long.MAX_VALUE)) > 0) {
        token = BigInteger.valueOf(Long.MAX_VALUE);
      }
      tokens.add(token.toString());
    }
    return tokens;
  }
}
