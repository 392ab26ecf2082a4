package io.meridian.cluster;

import io.meridian.storage.TabletRanges;
import io.meridian.storage.TokenRange;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where a table's tablets live. The tablets cover the token ring in order: each one owns the
 * tokens after the previous tablet's last token up to its own {@link Tablet#lastToken} (the first
 * starts at {@code Long.MIN_VALUE}, the last ends at {@code Long.MAX_VALUE}), and is replicated on
 * the peers listed for it (the first is the preferred leader).
 *
 * <p>A tablet's {@link Tablet#id} names its Raft group and never changes while the tablet lives;
 * its position in the list does change when a tablet before it splits. Commands that act on a
 * tablet therefore name its id. A new table's tablets are ids {@code 0..n-1};
 * a split gives both halves fresh ids from {@code nextTabletId}.
 *
 * @param baseTabletCount the tablet count the table was created with: the local store keeps the
 *     table in that many tablets of its own, and tablets with lower ids started with the table
 */
public record TablePlacement(List<Tablet> tablets, int baseTabletCount, int nextTabletId) {
  /** One tablet: its group's id, the last token it owns, and its replicas (first: preferred leader). */
  public record Tablet(int id, long lastToken, List<String> replicas) {
    public Tablet {
      replicas = List.copyOf(replicas);
      if (id < 0) {
        throw new IllegalArgumentException("a tablet id is not negative, got " + id);
      }
    }

    Tablet withReplicas(List<String> peers) {
      return new Tablet(id, lastToken, peers);
    }
  }

  public TablePlacement {
    tablets = List.copyOf(tablets);
    if (tablets.isEmpty()) {
      throw new IllegalArgumentException("a table has at least one tablet");
    }
    if (baseTabletCount < 1) {
      throw new IllegalArgumentException("a table is created with at least one tablet, got " + baseTabletCount);
    }
    Set<Integer> ids = new HashSet<>();
    long previous = Long.MIN_VALUE;
    for (Tablet t : tablets) {
      if (!ids.add(t.id()) || t.id() >= nextTabletId) {
        throw new IllegalArgumentException("tablet id " + t.id() + " repeats or is not below " + nextTabletId);
      }
      if (t.lastToken() <= previous) {
        throw new IllegalArgumentException("tablet ranges must ascend: " + t.lastToken() + " after " + previous);
      }
      previous = t.lastToken();
    }
    if (previous != Long.MAX_VALUE) {
      throw new IllegalArgumentException("the last tablet must end at the top of the ring, not " + previous);
    }
  }

  /** A new table: tablet i (id i) covers the i-th of {@code replicas.size()} equal token ranges. */
  public static TablePlacement equalRanges(List<List<String>> replicas) {
    List<TokenRange> ranges = TabletRanges.split(Math.max(1, replicas.size()));
    List<Tablet> tablets = new ArrayList<>(replicas.size());
    for (int i = 0; i < replicas.size(); i++) {
      tablets.add(new Tablet(i, ranges.get(i).end(), replicas.get(i)));
    }
    return new TablePlacement(tablets, replicas.size(), replicas.size());
  }

  public int tabletCount() {
    return tablets.size();
  }

  /** The replicas of each tablet, in ring order. */
  public List<List<String>> replicas() {
    return tablets.stream().map(Tablet::replicas).toList();
  }

  public Tablet tablet(int position) {
    return tablets.get(position);
  }

  /** The tokens tablet {@code position} owns. */
  public TokenRange range(int position) {
    long start = position == 0 ? Long.MIN_VALUE : tablets.get(position - 1).lastToken();
    return new TokenRange(start, tablets.get(position).lastToken());
  }

  /** Position of the tablet owning {@code token} (a token is never {@code Long.MIN_VALUE}). */
  public int positionOf(long token) {
    int lo = 0;
    int hi = tablets.size() - 1;
    while (lo < hi) { // the first tablet whose last token is >= token
      int mid = (lo + hi) >>> 1;
      if (tablets.get(mid).lastToken() < token) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  public Tablet tabletFor(long token) {
    return tablets.get(positionOf(token));
  }

  /** Position of the tablet with this id, if it still exists. */
  public Optional<Integer> positionOfId(int tabletId) {
    for (int i = 0; i < tablets.size(); i++) {
      if (tablets.get(i).id() == tabletId) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  /** The same placement with tablet {@code tabletId} on {@code peers}. */
  public TablePlacement withReplicas(int tabletId, List<String> peers) {
    if (peers.isEmpty() || new HashSet<>(peers).size() != peers.size()) {
      throw new IllegalArgumentException("a tablet needs distinct replicas, got " + peers);
    }
    int at = positionOfId(tabletId).orElseThrow(
        () -> new IllegalArgumentException("the table has no tablet " + tabletId));
    List<Tablet> next = new ArrayList<>(tablets);
    next.set(at, tablets.get(at).withReplicas(peers));
    return new TablePlacement(next, baseTabletCount, nextTabletId);
  }

  /**
   * The same placement with tablet {@code tabletId} split in two at {@code splitToken}: the lower
   * half owns the tokens up to it, the upper half the rest. Both halves keep the tablet's replicas
   * and get fresh ids ({@code nextTabletId} and the one after), so neither is mistaken for the old
   * tablet's Raft group.
   */
  public TablePlacement split(int tabletId, long splitToken) {
    int at = positionOfId(tabletId).orElseThrow(
        () -> new IllegalArgumentException("the table has no tablet " + tabletId));
    TokenRange range = range(at);
    if (splitToken <= range.start() || splitToken >= range.end()) {
      throw new IllegalArgumentException("split token " + splitToken + " is not inside tablet " + tabletId
          + "'s range " + range);
    }
    Tablet old = tablets.get(at);
    List<Tablet> next = new ArrayList<>(tablets);
    next.set(at, new Tablet(nextTabletId, splitToken, old.replicas()));
    next.add(at + 1, new Tablet(nextTabletId + 1, old.lastToken(), old.replicas()));
    return new TablePlacement(next, baseTabletCount, nextTabletId + 2);
  }

  /**
   * The replication factor the drivers' ring is drawn for ({@link TokenRing}): 3, the factor of
   * nearly every production keyspace. Every node draws the same ring, so this is a constant, not a
   * per-node setting.
   */
  public static final int RING_REPLICATION_FACTOR = 3;

  /**
   * A new table's tablets on {@code nodes} (the active members, with their tokens).
   *
   * <ul>
   *   <li>A table at {@link #RING_REPLICATION_FACTOR} on more nodes than that follows the token
   *       ring ({@link #onRing}): a tablet per {@link TokenRing#sections section}, each on the
   *       replicas drivers pick for it, so every driver request goes straight to a replica. With
   *       complete runs of tokens that is a tablet per replica set of three nodes, and each node
   *       holds the table in one Raft group, as on a 3-node cluster: a group's log entries then
   *       carry more writes than with a tablet per node (one tablet did twice the inserts of three
   *       on 3 nodes, see benchmarks.md). {@code tabletsPerTable} above the section count cuts
   *       each section into equal parts.
   *   <li>A table every node holds (the factor is at least the node count) gets exactly
   *       {@code tabletsPerTable} tablets, and 0 means one: more would not spread data that is on
   *       every node anyway.
   *   <li>Any other table gets a tablet per node ({@link #perNode}); drivers' ring, drawn for
   *       another factor, routes some of its requests to a node that forwards them.
   * </ul>
   *
   * The first leaders start at {@code firstLeader}'s place in each replica list, so successive
   * tables start their leaders on different nodes, except that a tablet on the ring is led by one
   * of its replicas holding the fewest sections (on 4 nodes the two that hold half the table each
   * lead one half, not the two that hold all of it).
   */
  public static TablePlacement spread(List<NodeRecord> nodes, int tabletsPerTable, int replicationFactor,
                                      int firstLeader) {
    if (nodes.isEmpty()) {
      throw new IllegalStateException("the cluster has no nodes");
    }
    int rf = Math.max(1, Math.min(replicationFactor, nodes.size()));
    if (!onRing(nodes.size(), rf)) {
      return perNode(nodes, tabletsPerTable, replicationFactor, firstLeader);
    }
    List<TokenRing.Section> sections = new TokenRing(nodes).sections(rf);
    java.util.Map<String, Integer> sectionsHeld = new java.util.HashMap<>();
    sections.forEach(s -> s.replicas().forEach(peer -> sectionsHeld.merge(peer, 1, Integer::sum)));
    int parts = (Math.max(tabletsPerTable, 1) + sections.size() - 1) / sections.size();
    List<Tablet> tablets = new ArrayList<>();
    long start = Long.MIN_VALUE;
    for (TokenRing.Section s : sections) {
      long step = Long.divideUnsigned(s.lastToken() - start, parts);
      for (int part = 0; part < parts; part++) {
        long last = part == parts - 1 ? s.lastToken() : start + step * (part + 1);
        List<String> replicas = new ArrayList<>(s.replicas());
        java.util.Collections.rotate(replicas, -Math.floorMod(firstLeader + tablets.size(), rf));
        // Between complete runs some nodes hold two sections: lead from one that holds fewest.
        String leader = replicas.stream().min(java.util.Comparator.comparingInt(sectionsHeld::get)).orElseThrow();
        replicas.remove(leader);
        replicas.add(0, leader);
        tablets.add(new Tablet(tablets.size(), last, replicas));
      }
      start = s.lastToken();
    }
    return new TablePlacement(tablets, tablets.size(), tablets.size());
  }

  /** As {@link #spread(List, int, int, int)}, the first leaders starting at each list's head. */
  public static TablePlacement spread(List<NodeRecord> nodes, int tabletsPerTable, int replicationFactor) {
    return spread(nodes, tabletsPerTable, replicationFactor, 0);
  }

  /**
   * Whether a table of this factor on this many nodes is placed by the token ring (and kept there
   * by the splitter and the rebalancer): the ring is drawn for {@link #RING_REPLICATION_FACTOR}
   * only, and with no more nodes than that every node holds every tablet anyway.
   */
  public static boolean onRing(int nodeCount, int replicationFactor) {
    int rf = Math.max(1, Math.min(replicationFactor, nodeCount));
    return rf == RING_REPLICATION_FACTOR && nodeCount > rf;
  }

  /**
   * Tablet i is led by node i mod N; its other replicas are the leaders of the tablets after it,
   * walking on (and wrapping around) until {@code replicationFactor} distinct nodes are found: data
   * and leadership spread evenly. The factor is capped at the node count; a table gets at least one
   * tablet per node (so {@code tabletsPerTable} 0 gives exactly one per node), except when every
   * node holds every tablet: then exactly {@code tabletsPerTable}, and 0 means one.
   */
  static TablePlacement perNode(List<NodeRecord> nodes, int tabletsPerTable, int replicationFactor,
                                int firstLeader) {
    int n = nodes.size();
    int rf = Math.max(1, Math.min(replicationFactor, n));
    boolean everywhere = rf == n;
    int tablets = everywhere ? Math.max(tabletsPerTable, 1) : Math.max(tabletsPerTable, n);
    int offset = everywhere ? Math.floorMod(firstLeader, n) : 0;
    List<List<String>> replicas = new ArrayList<>(tablets);
    for (int i = 0; i < tablets; i++) {
      List<String> peers = new ArrayList<>(rf);
      for (int k = 0; peers.size() < rf; k++) {
        // With fewer tablets than nodes (only when every node is a replica), walk the nodes.
        int walk = tablets < n ? i + k : (i + k) % tablets;
        String peer = nodes.get((walk + offset) % n).peerId();
        if (!peers.contains(peer)) {
          peers.add(peer);
        }
      }
      replicas.add(peers);
    }
    return equalRanges(replicas);
  }

  /**
   * How many tablets a table placed per node ({@link #perNode}) needs to spread evenly over
   * {@code nodeCount} nodes: one per node, or 1 when every node holds the table. (A table on the
   * ring needs a tablet per section instead; the splitter cuts it at the ring's boundaries.)
   */
  public static int tabletsToSpread(int nodeCount, int replicationFactor) {
    int rf = Math.max(1, Math.min(replicationFactor, nodeCount));
    return rf == nodeCount ? 1 : nodeCount;
  }
}
