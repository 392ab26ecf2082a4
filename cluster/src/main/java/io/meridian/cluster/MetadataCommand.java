package io.meridian.cluster;

import io.meridian.schema.SchemaChange;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** An entry of the metadata group's log. Applying one is deterministic: it depends only on the state before it. */
public sealed interface MetadataCommand {
  /** A node joins, or announces new addresses after a restart. */
  record Join(NodeRecord node) implements MetadataCommand {}

  /**
   * A schema change computed from schema {@code baseVersion} (null: none committed yet). Applied
   * only if that is still the committed version; otherwise refused, so a change computed from an
   * old schema never undoes a newer one.
   *
   * @param added placements of the tables the change creates
   * @param originPeer the node that ran the DDL (it already told its own clients)
   */
  record CommitSchema(UUID baseVersion, UUID version, byte[] schema, List<SchemaChange> changes,
                      Map<UUID, TablePlacement> added, String originPeer) implements MetadataCommand {}

  /**
   * Moves a tablet (named by its id): its replicas become {@code replicas} (the first is the preferred leader), if
   * they are still {@code expected}; otherwise refused, so two rebalancers, or a rebalancer and a
   * DROP TABLE, never undo each other's work.
   */
  record SetReplicas(UUID tableId, int tabletId, List<String> expected, List<String> replicas) implements MetadataCommand {
    public SetReplicas {
      expected = List.copyOf(expected);
      replicas = List.copyOf(replicas);
    }
  }

  /**
   * Splits a tablet whose group is sealed ({@code io.meridian.replication.MutationCodec.Seal}) at
   * {@code splitToken}: two new tablets replace it, each on {@code replicas} (the tablet's
   * replicas that confirmed they applied the seal, in the tablet's order). Refused unless the
   * tablet still exists and every one of {@code replicas} is one of its replicas.
   */
  record SplitTablet(UUID tableId, int tabletId, long splitToken, List<String> replicas) implements MetadataCommand {
    public SplitTablet {
      replicas = List.copyOf(replicas);
    }
  }

  /** The node starts leaving: the rebalancer moves its replicas away. */
  record Decommission(String peerId) implements MetadataCommand {}

  /** The node leaves the member list; refused while it still holds a replica. */
  record RemoveNode(UUID hostId) implements MetadataCommand {}
}
