package io.meridian.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Decides the next tablet move, one at a time, from the agreed state alone (so any leader computes
 * the same plan and an interrupted plan resumes by asking again). In order of urgency:
 *
 * <ol>
 *   <li>a replica on a node that is leaving (or no longer a member) moves to an active node;
 *   <li>a tablet with more replicas than its keyspace asks for (an interrupted move) drops one;
 *       one with fewer (placed when the cluster had fewer nodes) gains one;
 *   <li>a tablet of a table placed by the token ring ({@link #followsRing}) that is not on the
 *       replicas drivers pick for it ({@link TokenRing}) swaps one replica for one of those (the
 *       splitter first cuts tablets that span two sections of the ring);
 *   <li>replica counts per node are evened out for the other tables, per table and then over all
 *       tables together (most loaded node to least loaded, never changing a count by more than
 *       needed), moving by preference a tablet that drivers' ring routes to the receiving node
 *       and not to the giving one;
 *   <li>preferred leaders (first replicas) are evened out the same way, by reordering only.
 * </ol>
 *
 * Every move changes one replica (or only the order), so a tablet never has more than one extra
 * replica and each move strictly reduces the imbalance: the number of moves is the least a
 * one-replica-at-a-time plan can do for the same counts.
 */
final class RebalancePlan {
  /** Tablet {@code tabletId} of {@code tableId} goes from {@code current} to {@code target} replicas. */
  record Move(UUID tableId, int tabletId, List<String> current, List<String> target) {
    Move {
      current = List.copyOf(current);
      target = List.copyOf(target);
    }

    List<String> added() {
      return target.stream().filter(p -> !current.contains(p)).toList();
    }

    List<String> removed() {
      return current.stream().filter(p -> !target.contains(p)).toList();
    }
  }

  private RebalancePlan() {}

  /**
   * @param replicationFactor replicas each table's keyspace asks for (capped here at the number of
   *     active nodes)
   */
  static Optional<Move> next(ClusterState state, ToIntFunction<UUID> replicationFactor) {
    return next(state, replicationFactor, peer -> true);
  }

  /**
   * @param live whether a member is up: a move never adds a replica on a member that is down, and
   *     leaves alone a tablet without a live majority (it could not commit the change)
   */
  static Optional<Move> next(ClusterState state, ToIntFunction<UUID> replicationFactor, Predicate<String> live) {
    List<NodeRecord> members = state.activeNodes();
    List<String> active = members.stream().map(NodeRecord::peerId).toList();
    if (active.isEmpty()) {
      return Optional.empty();
    }
    TokenRing ring = new TokenRing(members);
    Predicate<UUID> onRing = table -> followsRing(table, replicationFactor.applyAsInt(table), active.size());
    Map<String, Integer> global = counts(state, active, null, false);
    for (Map.Entry<UUID, TablePlacement> e : state.placements().entrySet()) {
      int rf = Math.min(Math.max(1, replicationFactor.applyAsInt(e.getKey())), active.size());
      Optional<Move> m = repair(e.getKey(), e.getValue(), active, global, rf, live,
          onRing.test(e.getKey()) ? ring : null);
      if (m.isPresent()) {
        return m;
      }
    }
    for (Map.Entry<UUID, TablePlacement> e : state.placements().entrySet()) {
      if (onRing.test(e.getKey())) {
        Optional<Move> m = followRing(e.getKey(), e.getValue(), ring, replicationFactor.applyAsInt(e.getKey()), live);
        if (m.isPresent()) {
          return m;
        }
      }
    }
    for (boolean leaders : new boolean[] {false, true}) {
      // Replicas of tables on the ring stay where the ring puts them; only their leaders move.
      List<UUID> tables = state.placements().keySet().stream().filter(t -> leaders || !onRing.test(t)).toList();
      for (UUID table : tables) {
        Optional<Move> m = even(state, active, table, leaders, counts(state, active, table, leaders),
            counts(state, active, null, leaders), false, live, ring, replicationFactor.applyAsInt(table));
        if (m.isPresent()) {
          return m;
        }
      }
      Map<String, Integer> all = counts(state, active, null, leaders);
      for (UUID table : tables) {
        Optional<Move> m = even(state, active, table, leaders, all, counts(state, active, table, leaders), true, live,
            ring, replicationFactor.applyAsInt(table));
        if (m.isPresent()) {
          return m;
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Whether a table's tablets are kept where the token ring says: a table at the ring's factor
   * on more nodes than that ({@link TablePlacement#onRing}), except the batch log, which has a
   * tablet per node so every node replays a share of it.
   */
  static boolean followsRing(UUID table, int replicationFactor, int activeNodes) {
    return !BatchLog.TABLE_ID.equals(table) && TablePlacement.onRing(activeNodes, replicationFactor);
  }

  /**
   * The first tablet (with a live majority and the right replica count, within one section of the
   * ring) not on the replicas the ring names for it: one of its replicas the ring does not name,
   * the last in its list so the preferred leader stays if it can, gives way to a live node the
   * ring names.
   */
  private static Optional<Move> followRing(UUID table, TablePlacement p, TokenRing ring, int replicationFactor,
                                           Predicate<String> live) {
    for (int i = 0; i < p.tabletCount(); i++) {
      List<String> current = p.replicas().get(i);
      List<String> wanted = ring.replicas(p.range(i), replicationFactor);
      if (current.size() != wanted.size() || current.containsAll(wanted) || !hasLiveMajority(current, live)
          || ring.boundaryInside(p.range(i), replicationFactor).isPresent()) {
        continue; // a tablet spanning two sections waits for the splitter to cut it
      }
      Optional<String> add = wanted.stream().filter(n -> !current.contains(n) && live.test(n)).findFirst();
      int drop = current.size() - 1;
      while (drop >= 0 && wanted.contains(current.get(drop))) {
        drop--;
      }
      if (add.isPresent() && drop >= 0) {
        List<String> target = new ArrayList<>(current);
        target.set(drop, add.get());
        return Optional.of(new Move(table, p.tablet(i).id(), current, target));
      }
    }
    return Optional.empty();
  }

  /**
   * Replicas on non-active nodes, and replica counts off the replication factor. With a
   * {@code ring} (the table follows it), a replica goes by preference to a node the ring names.
   */
  private static Optional<Move> repair(UUID table, TablePlacement p, List<String> active, Map<String, Integer> global,
                                       int rf, Predicate<String> live, TokenRing ring) {
    Map<String, Integer> tableLoad = tableCounts(p, active, false);
    for (int i = 0; i < p.tabletCount(); i++) {
      List<String> current = p.replicas().get(i);
      if (!hasLiveMajority(current, live)) {
        continue;
      }
      List<String> wanted = ring == null ? List.of() : ring.replicas(p.range(i), rf);
      Comparator<String> leastLoaded = Comparator.<String>comparingInt(n -> wanted.contains(n) ? 0 : 1)
          .thenComparingInt(tableLoad::get)
          .thenComparingInt(global::get).thenComparingInt(active::indexOf);
      Optional<String> candidate = active.stream().filter(n -> !current.contains(n) && live.test(n)).min(leastLoaded);
      for (int r = 0; r < current.size(); r++) {
        if (!active.contains(current.get(r))) {
          List<String> target = new ArrayList<>(current);
          if (candidate.isPresent()) {
            target.set(r, candidate.get());
          } else if (current.size() > 1) {
            target.remove(r);
          } else {
            continue;
          }
          return Optional.of(new Move(table, p.tablet(i).id(), current, target));
        }
      }
      if (current.size() > rf) {
        String drop = current.stream().max(Comparator.<String>comparingInt(tableLoad::get)
            .thenComparingInt(global::get).thenComparingInt(current::indexOf)).orElseThrow();
        List<String> target = new ArrayList<>(current);
        target.remove(drop);
        return Optional.of(new Move(table, p.tablet(i).id(), current, target));
      }
      if (current.size() < rf && candidate.isPresent()) {
        List<String> target = new ArrayList<>(current);
        target.add(candidate.get());
        return Optional.of(new Move(table, p.tablet(i).id(), current, target));
      }
    }
    return Optional.empty();
  }

  /**
   * One move from the most to the least loaded node by {@code load} if they differ by more than
   * one, taking a tablet of {@code table}. With {@code keepTableEven}, only a tablet whose move
   * keeps the table's own counts within one (the global pass must not undo the per-table one).
   * Of the tablets that can move, the one {@code ring} fits best after the move (see {@link #fit}).
   */
  private static Optional<Move> even(ClusterState state, List<String> active, UUID table, boolean leaders,
                                     Map<String, Integer> load, Map<String, Integer> tieBreak, boolean keepTableEven,
                                     Predicate<String> live, TokenRing ring, int replicationFactor) {
    TablePlacement p = state.placements().get(table);
    Map<String, Integer> own = tableCounts(p, active, leaders);
    // Between equals, leadership goes to the node holding fewer of the table's replicas.
    Map<String, Integer> held = leaders ? tableCounts(p, active, false) : own;
    Comparator<String> byLoad = Comparator.<String>comparingInt(load::get).thenComparingInt(tieBreak::get)
        .thenComparingInt(n -> leaders ? held.get(n) : 0).thenComparingInt(active::indexOf);
    Optional<String> lowLive = active.stream().filter(live).min(byLoad);
    if (lowLive.isEmpty()) {
      return Optional.empty();
    }
    String low = lowLive.get();
    // Most loaded first; a node whose tablets cannot move now (no live majority) yields to the next.
    for (String high : active.stream().sorted(byLoad.reversed()).toList()) {
      if (load.get(high) - load.get(low) <= 1) {
        break;
      }
      if (keepTableEven && own.get(high) <= own.get(low)) {
        continue;
      }
      Move best = null;
      int bestFit = Integer.MIN_VALUE;
      for (int i = 0; i < p.tabletCount(); i++) {
        List<String> current = p.replicas().get(i);
        if (!hasLiveMajority(current, live)) {
          continue;
        }
        List<String> target = new ArrayList<>(current);
        if (leaders) {
          // The least loaded node must already hold a replica: leadership moves by reordering only.
          int at = current.indexOf(low);
          if (current.get(0).equals(high) && at > 0) {
            target.set(0, low);
            target.set(at, high);
            return Optional.of(new Move(table, p.tablet(i).id(), current, target));
          }
        } else if (current.contains(high) && !current.contains(low)) {
          target.set(current.indexOf(high), low);
          int fit = fit(ring.replicas(p.range(i), replicationFactor), low, high);
          if (fit > bestFit) {
            best = new Move(table, p.tablet(i).id(), current, target);
            bestFit = fit;
          }
        }
      }
      if (best != null) {
        return Optional.of(best);
      }
    }
    return Optional.empty();
  }

  /**
   * How well moving a replica from {@code high} to {@code low} suits the nodes drivers route the
   * tablet to: one point for adding a node they route to, one for removing a node they do not.
   */
  private static int fit(List<String> routed, String low, String high) {
    return (routed.contains(low) ? 1 : 0) + (routed.contains(high) ? 0 : 1);
  }

  private static boolean hasLiveMajority(List<String> replicas, Predicate<String> live) {
    return replicas.stream().filter(live).count() > replicas.size() / 2;
  }

  /** Replicas (or preferred leaders) per active node, of one table or (null) of all tables. */
  private static Map<String, Integer> counts(ClusterState state, List<String> active, UUID table, boolean leaders) {
    Map<String, Integer> out = new HashMap<>();
    active.forEach(n -> out.put(n, 0));
    for (Map.Entry<UUID, TablePlacement> e : state.placements().entrySet()) {
      if (table == null || table.equals(e.getKey())) {
        tableCounts(e.getValue(), active, leaders).forEach((n, c) -> out.merge(n, c, Integer::sum));
      }
    }
    return out;
  }

  private static Map<String, Integer> tableCounts(TablePlacement p, List<String> active, boolean leaders) {
    Map<String, Integer> out = new HashMap<>();
    active.forEach(n -> out.put(n, 0));
    for (List<String> replicas : p.replicas()) {
      for (String peer : leaders ? replicas.subList(0, 1) : replicas) {
        out.computeIfPresent(peer, (k, c) -> c + 1);
      }
    }
    return out;
  }
}
