package io.meridian.replication;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.TimeDuration;

/**
 * The Ratis settings every replica of a tablet group uses, in one place so tests and the node
 * share them.
 *
 * <ul>
 *   <li>Reads: {@code LINEARIZABLE} read option (Ratis' read index: a read-only request waits until
 *       the replica has applied the leader's commit index as of the request), with leader leases
 *       so that the leader answers from its own state, without a heartbeat round, while its lease
 *       holds. The lease is a fraction ({@link #LEADER_LEASE_TIMEOUT_RATIO}) of the minimum election
 *       timeout, so it runs out before any follower may start an election.</li>
 *   <li>Election timeouts between {@link #ELECTION_TIMEOUT_MIN_MS} and {@link #ELECTION_TIMEOUT_MAX_MS}:
 *       short, so a lost leader is replaced within about a second.</li>
 * </ul>
 */
public final class ReplicationProperties {
  public static final long ELECTION_TIMEOUT_MIN_MS = 300;
  public static final long ELECTION_TIMEOUT_MAX_MS = 600;
  /** Lease as a fraction of the minimum election timeout (Ratis requires (0, 1]). */
  public static final double LEADER_LEASE_TIMEOUT_RATIO = 0.9;
  /** How long a read-only request waits for the read index before failing. */
  public static final long READ_TIMEOUT_MS = 5_000;

  private ReplicationProperties() {}

  /**
   * Server properties of one replica.
   *
   * @param storageDir the directory of this replica's Raft logs (and state machine files)
   * @param port the gRPC port this replica listens on
   */
  public static RaftProperties newRaftProperties(Path storageDir, int port) {
    RaftProperties props = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(props, List.of(storageDir.toFile()));
    GrpcConfigKeys.Server.setPort(props, port);
    RaftServerConfigKeys.Rpc.setTimeoutMin(props, TimeDuration.valueOf(ELECTION_TIMEOUT_MIN_MS, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(props, TimeDuration.valueOf(ELECTION_TIMEOUT_MAX_MS, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Read.setOption(props, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    RaftServerConfigKeys.Read.setLeaderLeaseEnabled(props, true);
    RaftServerConfigKeys.Read.setLeaderLeaseTimeoutRatio(props, LEADER_LEASE_TIMEOUT_RATIO);
    RaftServerConfigKeys.Read.setTimeout(props, TimeDuration.valueOf(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS));
    return props;
  }
}
