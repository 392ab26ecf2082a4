package io.meridian.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What the metadata group agrees on: the members, the schema (user keyspaces in the schema file's
 * format) and where each table's tablets live. Immutable; every committed command makes a new one.
 *
 * @param schema the committed schema's bytes, or null before the first schema change
 * @param schemaVersion the committed schema's version, or null before the first schema change
 */
public record ClusterState(List<NodeRecord> nodes, byte[] schema, UUID schemaVersion,
                           Map<UUID, TablePlacement> placements, Set<String> leaving) {
  public static final ClusterState EMPTY = new ClusterState(List.of(), null, null, Map.of());

  /**
   * @param leaving peers being decommissioned: still members, but the rebalancer moves their
   *     replicas away and new tables are not placed on them
   */
  public ClusterState {
    nodes = List.copyOf(nodes);
    placements = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(placements));
    leaving = java.util.Collections.unmodifiableSet(new TreeSet<>(leaving));
  }

  public ClusterState(List<NodeRecord> nodes, byte[] schema, UUID schemaVersion, Map<UUID, TablePlacement> placements) {
    this(nodes, schema, schemaVersion, placements, Set.of());
  }

  /** The members that hold (or may receive) replicas: every node but those leaving, in join order. */
  public List<NodeRecord> activeNodes() {
    return nodes.stream().filter(n -> !leaving.contains(n.peerId())).toList();
  }

  /** Tablet {@code tabletId} of {@code tableId} now lives on {@code replicas} (first: preferred leader). */
  public ClusterState withReplicas(UUID tableId, int tabletId, List<String> replicas) {
    Map<UUID, TablePlacement> next = new LinkedHashMap<>(placements);
    next.put(tableId, placements.get(tableId).withReplicas(tabletId, replicas));
    return new ClusterState(nodes, schema, schemaVersion, next, leaving);
  }

  /** The table's tablets are now as {@code placement} says (a split). */
  public ClusterState withPlacement(UUID tableId, TablePlacement placement) {
    Map<UUID, TablePlacement> next = new LinkedHashMap<>(placements);
    next.put(tableId, placement);
    return new ClusterState(nodes, schema, schemaVersion, next, leaving);
  }

  /** The peer is being decommissioned. */
  public ClusterState withLeaving(String peerId) {
    Set<String> next = new TreeSet<>(leaving);
    next.add(peerId);
    return new ClusterState(nodes, schema, schemaVersion, placements, next);
  }

  /** The node is no longer a member (its replicas were moved away first). */
  public ClusterState withoutNode(UUID hostId) {
    List<NodeRecord> next = new ArrayList<>(nodes);
    Set<String> stillLeaving = new TreeSet<>(leaving);
    node(hostId).ifPresent(n -> stillLeaving.remove(n.peerId()));
    next.removeIf(n -> n.hostId().equals(hostId));
    return new ClusterState(next, schema, schemaVersion, placements, stillLeaving);
  }

  public Optional<NodeRecord> node(UUID hostId) {
    return nodes.stream().filter(n -> n.hostId().equals(hostId)).findFirst();
  }

  public Optional<NodeRecord> nodeByPeer(String peerId) {
    return nodes.stream().filter(n -> n.peerId().equals(peerId)).findFirst();
  }

  /**
   * Adds the node, or replaces the record with the same host id (a restart with new ports) keeping
   * its tokens. A new member gets the next token of the ring ({@link TokenRing#nextToken}); the
   * tokens in {@code node} are ignored, they are the metadata group's to give.
   */
  public ClusterState withNode(NodeRecord node) {
    List<NodeRecord> next = new ArrayList<>(nodes);
    int at = indexOf(node.hostId());
    List<Long> tokens = at >= 0 ? nodes.get(at).tokens() : List.of(TokenRing.nextToken(nodes));
    next.removeIf(n -> n.hostId().equals(node.hostId()));
    next.add(at < 0 ? next.size() : at, node.withTokens(tokens));
    return new ClusterState(next, schema, schemaVersion, placements, leaving);
  }

  /**
   * The same state with a token for every member that has none, given in join order as if each
   * had just joined: for a state written before members kept tokens.
   */
  public ClusterState withTokensGiven() {
    List<NodeRecord> next = new ArrayList<>(nodes);
    for (int i = 0; i < next.size(); i++) {
      if (next.get(i).tokens().isEmpty()) {
        next.set(i, next.get(i).withTokens(List.of(TokenRing.nextToken(next))));
      }
    }
    return new ClusterState(next, schema, schemaVersion, placements, leaving);
  }

  private int indexOf(UUID hostId) {
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).hostId().equals(hostId)) {
        return i;
      }
    }
    return -1;
  }

  /** The new schema, with placements for its new tables and without those of tables it dropped. */
  public ClusterState withSchema(byte[] nextSchema, UUID nextVersion, Map<UUID, TablePlacement> added,
                                 java.util.Set<UUID> liveTableIds) {
    Map<UUID, TablePlacement> next = new LinkedHashMap<>(placements);
    next.putAll(added);
    next.keySet().retainAll(liveTableIds);
    return new ClusterState(nodes, nextSchema, nextVersion, next, leaving);
  }
}
