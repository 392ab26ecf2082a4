package io.meridian.cluster;

import io.meridian.common.MeridianException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;

/**
 * Operations on a running cluster from outside it ({@code bin/meridian decommission} and
 * {@code removenode}): a Raft
 * client of the metadata group, reached through any of the seed addresses. It reads the cluster
 * state with a linearizable read-only request and changes it with the same metadata commands the
 * nodes use, so it needs no port beyond the Raft ones.
 */
public final class ClusterAdmin implements AutoCloseable {
  private static final long POLL_MS = 1_000;
  private final RaftClient client;
  private final List<RaftPeer> seeds;
  private final org.apache.ratis.protocol.RaftGroupId metadataGroupId;

  /**
   * @param clusterName the cluster's name ({@code server.cluster-name}): it names the metadata group
   * @param seeds Raft addresses (host:port) of one or more members
   */
  public ClusterAdmin(String clusterName, List<String> seeds) {
    if (seeds.isEmpty()) {
      throw MeridianException.invalid("Give the Raft address of at least one member (--seeds HOST:PORT)");
    }
    List<RaftPeer> peers = new ArrayList<>();
    for (String seed : seeds) {
      peers.add(RaftPeer.newBuilder().setId(NodeRecord.peerIdFor(seed)).setAddress(seed).build());
    }
    this.seeds = List.copyOf(peers);
    this.metadataGroupId = TabletGroups.metadataGroupId(clusterName);
    RaftProperties props = new RaftProperties();
    this.client = RaftClient.newBuilder().setProperties(props)
        .setRaftGroup(RaftGroup.valueOf(metadataGroupId, peers))
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(50,
            TimeDuration.valueOf(200, TimeUnit.MILLISECONDS)))
        .setClientRpc(new GrpcFactory(new Parameters()).newRaftClientRpc(ClientId.randomId(), props))
        .build();
  }

  /** The cluster's metadata as its leader has it now. */
  public ClusterState state() {
    try {
      RaftClientReply reply = client.io().sendReadOnly(Message.EMPTY);
      if (!reply.isSuccess()) {
        throw MeridianException.server("Reading the cluster metadata failed: " + reply.getException(),
            reply.getException());
      }
      return MetadataCodec.decodeState(reply.getMessage().getContent().toByteArray()).state();
    } catch (IOException e) {
      throw MeridianException.server("Cannot reach the cluster's metadata group through the seeds: " + e.getMessage(), e);
    }
  }

  /**
   * Moves every replica off the node whose Raft address is {@code nodeRaftAddress} and removes it
   * from the cluster, reporting progress to {@code out}. The node finishes its own removal once its
   * replicas are gone (it must be running); this returns when it is no longer a member. With
   * {@code force}, tablets may be left with fewer replicas than their keyspace asks for (as
   * Cassandra's {@code nodetool decommission --force}).
   */
  public void decommission(String nodeRaftAddress, boolean force, long timeoutMs, PrintStream out) {
    ClusterState state = state();
    NodeRecord node = member(state, nodeRaftAddress);
    String peer = node.peerId();
    if (!state.leaving().contains(peer)) {
      markLeaving(state, node, force);
      out.println("decommissioning " + nodeRaftAddress + ": moving its replicas to the other members");
    } else {
      out.println(nodeRaftAddress + " is already being decommissioned; waiting for it to finish");
    }
    long deadline = System.currentTimeMillis() + timeoutMs;
    int lastReported = -1;
    while (true) {
      ClusterState now = state();
      if (now.node(node.hostId()).isEmpty()) {
        out.println(nodeRaftAddress + " holds no replicas and has left the cluster; its process can be stopped");
        return;
      }
      int left = replicasOn(now, peer);
      if (left != lastReported) {
        out.println(left + " tablet replicas left on " + nodeRaftAddress);
        lastReported = left;
      }
      if (System.currentTimeMillis() > deadline) {
        throw MeridianException.server("Timed out: " + left + " tablet replicas still on " + nodeRaftAddress
            + " (the decommission goes on; run the command again to keep watching)", null);
      }
      sleep();
    }
  }

  /**
   * Removes a member that is gone for good (Cassandra's {@code nodetool removenode}): its replicas
   * are rebuilt on the other members from the surviving replicas of each tablet (a tablet needs a
   * live majority for that), then it is taken out of the member list and the metadata group.
   * Refused while the node answers on its Raft port: a running node is decommissioned instead.
   */
  public void removeDeadNode(String nodeRaftAddress, boolean force, long timeoutMs, PrintStream out) {
    ClusterState state = state();
    NodeRecord node = member(state, nodeRaftAddress);
    if (answers(node)) {
      throw MeridianException.invalid(nodeRaftAddress + " is running (it answers on its Raft port): "
          + "remove it with bin/meridian decommission instead");
    }
    String peer = node.peerId();
    long deadline = System.currentTimeMillis() + timeoutMs;
    if (!state.leaving().contains(peer)) {
      markLeaving(state, node, force);
      out.println("removing " + nodeRaftAddress + ": rebuilding its replicas on the other members");
    }
    int lastReported = -1;
    while (true) {
      ClusterState now = state();
      if (now.node(node.hostId()).isEmpty()) {
        break;
      }
      int left = replicasOn(now, peer);
      if (left == 0) {
        String verdict = submit(new MetadataCommand.RemoveNode(node.hostId()));
        if (!MetadataStateMachine.APPLIED.equals(verdict)) {
          throw MeridianException.server("The cluster refused to remove " + nodeRaftAddress + " (" + verdict + ")", null);
        }
        break;
      }
      if (left != lastReported) {
        out.println(left + " tablet replicas of " + nodeRaftAddress + " left to rebuild elsewhere");
        lastReported = left;
      }
      if (System.currentTimeMillis() > deadline) {
        throw MeridianException.server("Timed out: " + left + " tablet replicas of " + nodeRaftAddress
            + " not rebuilt yet (a tablet without a live majority of its replicas cannot be rebuilt; "
            + "run the command again to keep watching)", null);
      }
      sleep();
    }
    leaveMetadataGroup(peer);
    out.println(nodeRaftAddress + " has been removed from the cluster");
  }

  /** Commits {@code Decommission} for the node after the checks: the rebalancer then moves its replicas away. */
  private void markLeaving(ClusterState state, NodeRecord node, boolean force) {
    checkRoomLeft(state, node.peerId(), force);
    String verdict = submit(new MetadataCommand.Decommission(node.peerId()));
    if (!MetadataStateMachine.APPLIED.equals(verdict)) {
      throw MeridianException.invalid("The cluster refused to remove " + node.raftAddress() + " (" + verdict + ")");
    }
  }

  private static NodeRecord member(ClusterState state, String raftAddress) {
    return state.nodes().stream().filter(n -> n.raftAddress().equals(raftAddress)).findFirst()
        .orElseThrow(() -> MeridianException.invalid("No member has Raft address " + raftAddress + "; members: "
            + state.nodes().stream().map(NodeRecord::raftAddress).toList()));
  }

  /** Whether the node's Raft server answers a group-info request (no retries). */
  private boolean answers(NodeRecord node) {
    RaftPeer peer = RaftPeer.newBuilder().setId(node.peerId()).setAddress(node.raftAddress()).build();
    RaftProperties props = new RaftProperties();
    org.apache.ratis.client.RaftClientConfigKeys.Rpc.setRequestTimeout(props, TimeDuration.valueOf(3, TimeUnit.SECONDS));
    try (RaftClient probe = RaftClient.newBuilder().setProperties(props)
        .setRaftGroup(RaftGroup.valueOf(metadataGroupId, peer)).setRetryPolicy(RetryPolicies.noRetry())
        .setClientRpc(new GrpcFactory(new Parameters()).newRaftClientRpc(ClientId.randomId(), props)).build()) {
      probe.getGroupManagementApi(peer.getId()).info(metadataGroupId);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Takes a peer out of the metadata group's Raft configuration (the leader commits the change). */
  private void leaveMetadataGroup(String peer) {
    removeFromMetadataGroup(client, metadataPeers(), peer);
  }

  /**
   * Commits the metadata group's configuration {@code members} without {@code peer}, through
   * {@code metadataClient}: how a decommissioned node leaves (it asks itself) and how a dead one is
   * taken out (the command asks).
   */
  static void removeFromMetadataGroup(RaftClient metadataClient, java.util.Collection<RaftPeer> members, String peer) {
    try {
      RaftClientReply reply = metadataClient.admin().setConfiguration(
          org.apache.ratis.protocol.SetConfigurationRequest.Arguments.newBuilder()
              .setServersInNewConf(members.stream().filter(p -> !p.getId().toString().equals(peer)).toList())
              .setMode(org.apache.ratis.protocol.SetConfigurationRequest.Mode.SET_UNCONDITIONALLY).build());
      if (!reply.isSuccess()) {
        throw MeridianException.server("Taking " + peer + " out of the metadata group failed: " + reply.getException(),
            reply.getException());
      }
    } catch (IOException e) {
      throw MeridianException.server("Taking " + peer + " out of the metadata group failed: " + e.getMessage(), e);
    }
  }

  /** The metadata group's current members, as a reachable seed reports them. */
  private List<RaftPeer> metadataPeers() {
    IOException last = null;
    for (RaftPeer seed : seeds) {
      try {
        org.apache.ratis.protocol.GroupInfoReply info = client.getGroupManagementApi(seed.getId()).info(metadataGroupId);
        if (info.isSuccess()) {
          return List.copyOf(info.getGroup().getPeers());
        }
      } catch (IOException e) {
        last = e;
      }
    }
    throw MeridianException.server("No seed answered with the metadata group's members"
        + (last == null ? "" : ": " + last.getMessage()), last);
  }

  /**
   * Refuses a decommission that would leave no member, or (unless {@code force}) fewer members than
   * the replicas some table's tablets have. The batch log does not count: its replica count follows
   * the member count.
   */
  static void checkRoomLeft(ClusterState state, String peer, boolean force) {
    int remaining = (int) state.activeNodes().stream().filter(n -> !n.peerId().equals(peer)).count();
    if (remaining < 1) {
      throw MeridianException.invalid("Cannot decommission the last member of the cluster");
    }
    int widest = state.placements().entrySet().stream().filter(e -> !e.getKey().equals(BatchLog.TABLE_ID))
        .flatMap(e -> e.getValue().replicas().stream()).mapToInt(List::size).max().orElse(0);
    if (remaining < widest && !force) {
      throw MeridianException.invalid("Cannot decommission: " + remaining + " members would remain, fewer than the "
          + widest + " replicas some tablets have (add a node first, lower the replication factor, or pass --force "
          + "to keep fewer replicas)");
    }
  }

  static int replicasOn(ClusterState state, String peer) {
    int n = 0;
    for (TablePlacement p : state.placements().values()) {
      for (List<String> replicas : p.replicas()) {
        n += replicas.contains(peer) ? 1 : 0;
      }
    }
    return n;
  }

  private String submit(MetadataCommand command) {
    try {
      RaftClientReply reply = client.io().send(Message.valueOf(
          org.apache.ratis.thirdparty.com.google.protobuf.ByteString.copyFrom(MetadataCodec.encode(command))));
      if (!reply.isSuccess()) {
        throw MeridianException.server("The cluster metadata change was not committed: " + reply.getException(),
            reply.getException());
      }
      return MetadataStateMachine.verdict(reply.getMessage());
    } catch (IOException e) {
      throw MeridianException.server("The cluster metadata change has an unknown outcome: " + e.getMessage(), e);
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw MeridianException.server("Interrupted", e);
    }
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (IOException e) {
      // closing a client: nothing left to do
    }
  }
}
