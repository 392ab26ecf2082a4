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
 * tablet therefore name its id. A new table's tablets are ids {@code 0..n-1} over equal ranges;
 * a split gives both halves fresh ids from {@code nextTabletId}.
 *
 * @param baseTabletCount the tablet count the table was created with: the local store keeps the
 *     table in that many tablets of its own, and drivers see the token ring drawn from it
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
   * The replication factor the drivers' ring is drawn for when the ring cannot name every factor's
   * replicas at once (see {@link #replicaSetStep}): 3, the factor of nearly every production
   * keyspace. Every node draws the same ring, so this is a constant, not a per-node setting.
   */
  public static final int RING_REPLICATION_FACTOR = 3;

  /**
   * Tablet i is led by node i mod N; its other replicas are the leaders of the tablets after it,
   * walking on (and wrapping around) until {@code replicationFactor} distinct nodes are found. That
   * is how a driver walks the ring drawn by {@link #tokensOf}, so both name the same replicas; data
   * and leadership spread evenly. The factor is capped at the node count; a table gets at least one
   * tablet per node (so {@code tabletsPerTable} 0 gives exactly one per node), except on a cluster
   * of no more nodes than the factor, or one whose nodes divide into replica sets: see
   * {@link #spread(List, int, int, int)}.
   */
  public static TablePlacement spread(List<NodeRecord> nodes, int tabletsPerTable, int replicationFactor) {
    return spread(nodes, tabletsPerTable, replicationFactor, 0);
  }

  /**
   * As {@link #spread(List, int, int)}, with two exceptions that give a table fewer tablets, so
   * each node holds fewer of its Raft groups and each group's log entries carry more writes (one
   * tablet did twice the inserts of three on 3 nodes, see benchmarks.md):
   *
   * <ul>
   *   <li>When every node holds a replica of every tablet (the factor is at least the node count)
   *       the table gets exactly {@code tabletsPerTable} tablets, and 0 means one. More tablets
   *       would not spread the data, which is on every node anyway.
   *   <li>When the factor is {@link #RING_REPLICATION_FACTOR} and the nodes divide into replica
   *       sets ({@link #replicaSetStep}; 6 nodes at RF 3 make two sets of three), tablet i is on
   *       replica set i mod S, and 0 means one tablet per set. Each node then holds the table's
   *       data in as few groups as an even spread allows, as on a cluster of the factor's size, so
   *       adding a set of nodes adds a set's throughput. (Fewer distinct sets also make it less
   *       likely that nodes failing together take a majority of some tablet.)
   * </ul>
   *
   * In both cases the first leader is node {@code firstLeader}'s place in the set, so successive
   * tables start their leaders on different nodes. A table that later finds more nodes than that is
   * split until it has {@link #tabletsToSpread} tablets ({@link TabletSplitter}).
   */
  public static TablePlacement spread(List<NodeRecord> nodes, int tabletsPerTable, int replicationFactor,
                                      int firstLeader) {
    if (nodes.isEmpty()) {
      throw new IllegalStateException("the cluster has no nodes");
    }
    int n = nodes.size();
    int rf = Math.max(1, Math.min(replicationFactor, n));
    if (onReplicaSets(n, rf)) {
      ReplicaSets sets = new ReplicaSets(n, rf, tabletsPerTable);
      List<List<String>> replicas = new ArrayList<>(sets.tablets());
      for (int i = 0; i < sets.tablets(); i++) {
        int rotation = Math.floorMod(firstLeader + i / sets.count(), rf);
        List<String> peers = new ArrayList<>(rf);
        for (int k = 0; k < rf; k++) {
          peers.add(nodes.get(sets.node(i, (k + rotation) % rf)).peerId());
        }
        replicas.add(peers);
      }
      return equalRanges(replicas);
    }
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
   * How many tablets a table of this factor needs to spread evenly over {@code nodeCount} nodes:
   * one per replica set when the nodes divide into sets, else one per node (1 when every node holds
   * the table).
   */
  public static int tabletsToSpread(int nodeCount, int replicationFactor) {
    int rf = Math.max(1, Math.min(replicationFactor, nodeCount));
    if (rf == nodeCount) {
      return 1;
    }
    return onReplicaSets(nodeCount, rf) ? new ReplicaSets(nodeCount, rf, 0).count() : nodeCount;
  }

  /**
   * The stride between replica sets, or 0 when the nodes do not divide into them. Sets of
   * {@code rf} consecutive nodes starting every {@code g = gcd(N, rf)} nodes cover each node
   * {@code rf / g} times with {@code N / g} sets: the fewest tablets that spread a table evenly.
   * With {@code g = 1} that is a tablet per node, the ordinary ring; with {@code rf >= N} every node
   * holds everything.
   */
  static int replicaSetStep(int nodeCount, int replicationFactor) {
    int rf = Math.max(1, Math.min(replicationFactor, nodeCount));
    int g = gcd(nodeCount, rf);
    return g > 1 && nodeCount > rf ? g : 0;
  }

  /**
   * Whether a table of this (capped) factor goes on replica sets: the ring drivers see is drawn for
   * one factor only, {@link #RING_REPLICATION_FACTOR}, so tables of other factors keep a tablet
   * per node, which the ordinary ring names for every factor.
   */
  private static boolean onReplicaSets(int nodeCount, int rf) {
    return rf == Math.min(RING_REPLICATION_FACTOR, nodeCount) && replicaSetStep(nodeCount, rf) > 0;
  }

  /**
   * The replica sets of {@code nodeCount} nodes for factor {@code rf} (which must divide into
   * sets, see {@link #onReplicaSets}) and the tablets a new table gets on them: a whole number per
   * set, at least as many as asked, tablet i on set i mod {@link #count}. The placement and the
   * ring drivers are shown both read replicas from {@link #node}, so they cannot disagree.
   */
  private record ReplicaSets(int nodeCount, int rf, int step, int count, int tablets) {
    ReplicaSets(int nodeCount, int rf, int tabletsPerTable) {
      this(nodeCount, rf, replicaSetStep(nodeCount, rf), nodeCount / replicaSetStep(nodeCount, rf),
          roundUp(Math.max(tabletsPerTable, 1), nodeCount / replicaSetStep(nodeCount, rf)));
    }

    /** The node index of tablet {@code tablet}'s {@code k}-th replica in set order. */
    int node(int tablet, int k) {
      return ((tablet % count) * step + k) % nodeCount;
    }

    private static int roundUp(int n, int multiple) {
      return (n + multiple - 1) / multiple * multiple;
    }
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  /**
   * The tokens node {@code nodeIndex} shows drivers, so a driver's ring (a token belongs to the
   * node with the next token up, its replicas follow on the ring) names the same replicas as the
   * placement. Ordinarily that is the last token of every tablet it leads under {@link #spread};
   * with more nodes than tablets the ring is drawn as if there were one tablet per node. When the
   * nodes divide into replica sets for {@link #RING_REPLICATION_FACTOR}, each tablet's replicas
   * show the last tokens of its range, one each in set order, so the walk from any other token of
   * the range names exactly that set (the last {@code rf - 1} tokens of each tablet route to a
   * mix, which a driver's request survives: any node forwards).
   */
  public static List<String> tokensOf(int nodeIndex, int nodeCount, int tabletsPerTable) {
    int rf = Math.min(RING_REPLICATION_FACTOR, nodeCount);
    if (onReplicaSets(nodeCount, rf)) {
      ReplicaSets sets = new ReplicaSets(nodeCount, rf, tabletsPerTable);
      List<TokenRange> split = TabletRanges.split(sets.tablets());
      List<String> tokens = new ArrayList<>();
      for (int i = 0; i < sets.tablets(); i++) {
        for (int k = 0; k < rf; k++) {
          if (sets.node(i, k) == nodeIndex) {
            tokens.add(Long.toString(split.get(i).end() - (rf - 1 - k)));
          }
        }
      }
      return tokens;
    }
    int ranges = Math.max(tabletsPerTable, nodeCount);
    List<TokenRange> split = TabletRanges.split(ranges);
    List<String> tokens = new ArrayList<>();
    for (int i = nodeIndex; i < ranges; i += nodeCount) {
      tokens.add(Long.toString(split.get(i).end()));
    }
    return tokens;
  }
}
