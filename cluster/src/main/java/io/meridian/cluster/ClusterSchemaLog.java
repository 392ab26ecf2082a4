package io.meridian.cluster;

import io.meridian.common.MeridianException;
import io.meridian.schema.KeyspaceMetadata;
import io.meridian.schema.Schema;
import io.meridian.schema.SchemaChange;
import io.meridian.schema.SchemaConflictException;
import io.meridian.schema.SchemaLog;
import io.meridian.schema.SchemaManager;
import io.meridian.schema.SchemaStore;
import io.meridian.schema.TableMetadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster node's {@link SchemaLog}: each DDL the node's {@link SchemaManager} computes becomes one
 * {@link MetadataCommand.CommitSchema} entry of the metadata group, a compare-and-set on the schema
 * version that also places the new tables' tablets. The statement returns once the change is
 * committed, installed here, seen by every member (bounded wait) and the new tablets' Raft groups
 * are open on every live replica. A change computed from a replaced schema is refused with
 * {@link SchemaConflictException} once this node has installed the winner, so it can be computed
 * again.
 */
final class ClusterSchemaLog implements SchemaLog {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterSchemaLog.class);
  private static final long SCHEMA_AGREEMENT_WAIT_MS = 5_000;
  private static final long TABLET_OPEN_WAIT_MS = 10_000;

  private final ClusterNode node;
  private final SchemaManager schema;

  ClusterSchemaLog(ClusterNode node, SchemaManager schema) {
    this.node = node;
    this.schema = schema;
  }

  @Override
  public void commit(Schema base, Schema next, List<SchemaChange> changes) {
    ClusterState state = node.state();
    UUID committedBase = state.schemaVersion();
    Map<UUID, TablePlacement> added = new LinkedHashMap<>();
    Set<UUID> known = state.placements().keySet();
    if (!known.contains(BatchLog.TABLE_ID)) {
      added.put(BatchLog.TABLE_ID, BatchLog.placement(state.nodes()));
    }
    for (KeyspaceMetadata ks : next.userKeyspaces().values()) {
      int rf = ClusterNode.replicationFactor(ks);
      for (TableMetadata t : ks.tables().values()) {
        if (!known.contains(t.id()) && t.isView()) {
          // View rows live in other tablets than their base rows; keeping them in step across
          // Raft groups is not built yet, so refuse rather than let views drift.
          throw MeridianException.invalid("Materialized views are not supported on a multi-node cluster yet");
        }
        if (!known.contains(t.id())) {
          // Successive tables start their leaders on successive nodes (matters when a table has fewer tablets than nodes).
          int tablesPlaced = known.size() + added.size();
          added.put(t.id(), TablePlacement.spread(state.activeNodes(), node.settings().tabletsPerTable(), rf, tablesPlaced));
        }
      }
    }
    // The base this node computed from must be the committed one (or, before the first change, none).
    UUID expected = committedBase == null ? null : base.version();
    if (committedBase != null && !committedBase.equals(base.version())) {
      throw conflict(committedBase);
    }
    RaftClientReply reply = node.submitMetadataReply(new MetadataCommand.CommitSchema(expected, next.version(),
        SchemaStore.toBytes(next), changes, added, node.peerId()));
    if (!MetadataStateMachine.verdict(reply.getMessage()).equals(MetadataStateMachine.APPLIED)) {
      long lost = reply.getLogIndex();
      node.waitUntil(() -> node.metadataAppliedIndex() >= lost,
          "the winning schema change to apply on this node");
      throw conflict(node.state().schemaVersion());
    }
    // Like Cassandra's schema agreement wait: give every member a moment to have the change, so a
    // client that goes on to use the new table through another node finds it there. A member that
    // is down gets it when it comes back; the wait is bounded and its outcome does not matter.
    try {
      node.metadataClient().async().watch(reply.getLogIndex(), org.apache.ratis.proto.RaftProtos.ReplicationLevel.ALL_COMMITTED)
          .get(SCHEMA_AGREEMENT_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.info("Not every member confirmed schema version {} within {} ms: {}", next.version(),
          SCHEMA_AGREEMENT_WAIT_MS, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Applied on the leader; wait until this node has applied it too (it installs the schema before
    // its applied index moves). Not "until this node's schema is next": a later change from another
    // node may already have replaced it here.
    long index = reply.getLogIndex();
    node.waitUntil(() -> node.metadataAppliedIndex() >= index, "the schema change to apply on this node");
    awaitTabletGroups(added);
  }

  /**
   * Waits (bounded) until every live replica of the new tables' tablets has opened the tablet's
   * Raft group, so the client's first write finds a group that can elect a leader instead of
   * replicas that do not know it yet. A replica that is down opens it when it comes back.
   */
  private void awaitTabletGroups(Map<UUID, TablePlacement> added) {
    long deadline = System.currentTimeMillis() + TABLET_OPEN_WAIT_MS;
    ClusterState state = node.state();
    for (Map.Entry<UUID, TablePlacement> e : added.entrySet()) {
      for (int i = 0; i < e.getValue().tabletCount(); i++) {
        RaftGroup group = node.tabletGroup(state, e.getKey(), e.getValue().tablet(i).id());
        for (RaftPeer peer : group.getPeers()) {
          while (node.isUp(peer.getId().toString()) && !node.hasGroup(peer, group.getGroupId())) {
            if (System.currentTimeMillis() > deadline) {
              LOG.warn("Replica {} has not opened tablet group {} within {} ms", peer.getId(), group.getGroupId(),
                  TABLET_OPEN_WAIT_MS);
              return;
            }
            ClusterNode.sleep(20);
          }
        }
      }
    }
  }

  /**
   * Another node's change won: once this node has installed the winning schema (so the statement
   * can be computed again from it), refuse this one.
   */
  private SchemaConflictException conflict(UUID winner) {
    // Not "until the winner is installed": a later change may already have replaced it here.
    node.waitUntil(() -> winner == null || installedCurrentSchema(), "the winning schema to install");
    return new SchemaConflictException("The schema was changed concurrently on another node; retry the statement");
  }

  /** Whether this node's schema is the one its copy of the metadata says is committed. */
  private boolean installedCurrentSchema() {
    UUID committed = node.state().schemaVersion();
    return committed == null || committed.equals(schema.current().version());
  }
}
