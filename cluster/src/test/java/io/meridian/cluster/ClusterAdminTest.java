package io.meridian.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.common.MeridianException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The checks {@code bin/meridian decommission} makes before it asks the cluster for anything. */
class ClusterAdminTest {
  private static NodeRecord node(int i) {
    return new NodeRecord(new UUID(0, i), "127.0.0." + i + "_7000", "127.0.0." + i + ":7000", "127.0.0." + i, 9042,
        "datacenter1", "rack1");
  }

  private static ClusterState state(int nodes, int replicasPerTablet) {
    List<NodeRecord> members = new java.util.ArrayList<>();
    for (int i = 1; i <= nodes; i++) {
      members.add(node(i));
    }
    List<String> replicas = members.stream().limit(replicasPerTablet).map(NodeRecord::peerId).toList();
    TablePlacement placement = TablePlacement.equalRanges(List.of(replicas, replicas));
    return new ClusterState(members, new byte[0], UUID.randomUUID(), Map.of(UUID.randomUUID(), placement));
  }

  @Test
  void refusesToLeaveFewerMembersThanTheWidestTabletNeeds() {
    var e = assertThrows(MeridianException.class, () -> ClusterAdmin.checkRoomLeft(state(3, 3), node(3).peerId(), false));
    assertTrue(e.getMessage().contains("2 members would remain, fewer than the 3 replicas"), e.getMessage());
    ClusterAdmin.checkRoomLeft(state(3, 3), node(3).peerId(), true); // forced: tablets keep 2 replicas
    ClusterAdmin.checkRoomLeft(state(4, 3), node(4).peerId(), false); // 3 left for RF 3: allowed
    ClusterAdmin.checkRoomLeft(state(3, 2), node(1).peerId(), false);
  }

  @Test
  void theBatchLogsReplicaCountDoesNotBlockADecommission() {
    ClusterState s = state(3, 2);
    List<String> all = s.nodes().stream().map(NodeRecord::peerId).toList();
    Map<UUID, TablePlacement> placements = new java.util.HashMap<>(s.placements());
    placements.put(BatchLog.TABLE_ID, TablePlacement.equalRanges(List.of(all, all, all)));
    ClusterState withBatchLog = new ClusterState(s.nodes(), s.schema(), s.schemaVersion(), placements);
    ClusterAdmin.checkRoomLeft(withBatchLog, node(3).peerId(), false);
  }

  @Test
  void refusesToRemoveTheLastMember() {
    var e = assertThrows(MeridianException.class, () -> ClusterAdmin.checkRoomLeft(state(1, 1), node(1).peerId(), true));
    assertTrue(e.getMessage().contains("last member"), e.getMessage());
  }

  @Test
  void countsTheReplicasStillOnANode() {
    ClusterState s = state(3, 2);
    assertEquals(2, ClusterAdmin.replicasOn(s, node(1).peerId()));
    assertEquals(0, ClusterAdmin.replicasOn(s, node(3).peerId()));
  }
}
