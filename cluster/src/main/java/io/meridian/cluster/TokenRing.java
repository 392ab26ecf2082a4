package io.meridian.cluster;

import io.meridian.storage.TokenRange;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The token ring drivers are shown: each member's {@link NodeRecord#tokens}, walked the way
 * drivers walk it. A token belongs to the node with the next token up (wrapping around), and its
 * replicas are that node and the next distinct nodes after it.
 *
 * <p>A node's tokens are given once, when it joins ({@link #nextToken}), and never change, so a
 * driver that learnt them when it connected (the Java driver reads only a new node's row when one
 * joins) still routes right after any number of joins. Tablets of tables at
 * {@link #SET_SIZE} replicas are placed where this ring says ({@link #sections}), not the other way
 * round. Tokens are handed out in runs of {@code SET_SIZE} adjacent values: the walk from any
 * token below a run names exactly the run's nodes, so each run is a replica set whose nodes hold
 * one range together, and a cluster of S complete runs keeps each table in S tablets, one Raft
 * group per node per table (see {@link TablePlacement#spread}).
 */
public final class TokenRing {
  /** Adjacent tokens per run: the replication factor the ring is drawn for. */
  static final int SET_SIZE = TablePlacement.RING_REPLICATION_FACTOR;
  /** The last token of the first run; the first node's token is {@code SET_SIZE - 1} below it. */
  static final long FIRST_RUN_END = -1;
  /**
   * A stretch of ring narrower than this (the gaps inside a run) is not a section of its own: its
   * few tokens go with the section below it, where a driver's request is forwarded.
   */
  static final long NARROW = 1L << 20;

  /** A stretch of the ring that one replica set serves: tokens above the previous section's last. */
  record Section(long lastToken, List<String> replicas) {
    Section {
      replicas = List.copyOf(replicas);
    }
  }

  private final TreeMap<Long, String> owners = new TreeMap<>();
  private final int nodes;

  /** The ring of {@code members}' tokens (members without tokens have no place on it). */
  TokenRing(List<NodeRecord> members) {
    for (NodeRecord n : members) {
      for (long token : n.tokens()) {
        String previous = owners.put(token, n.peerId());
        if (previous != null) {
          throw new IllegalStateException("token " + token + " belongs to both " + previous + " and " + n.peerId());
        }
      }
    }
    nodes = new HashSet<>(owners.values()).size();
  }

  /** The replicas a driver picks for {@code token} in a keyspace of this factor (capped at the ring's nodes). */
  List<String> replicas(long token, int replicationFactor) {
    int rf = Math.min(replicationFactor, nodes);
    List<String> out = new ArrayList<>(rf);
    Map.Entry<Long, String> at = owners.ceilingEntry(token);
    for (int seen = 0; out.size() < rf && seen < owners.size(); seen++) {
      if (at == null) {
        at = owners.firstEntry();
      }
      if (!out.contains(at.getValue())) {
        out.add(at.getValue());
      }
      at = owners.higherEntry(at.getKey());
    }
    return out;
  }

  /** The replicas a driver picks for the middle of {@code range}, the tokens most of its keys have. */
  List<String> replicas(TokenRange range, int replicationFactor) {
    return replicas(middle(range), replicationFactor);
  }

  /**
   * The ring from {@code Long.MIN_VALUE} (exclusive) to {@code Long.MAX_VALUE} cut where the
   * replicas a driver picks for this factor change, ignoring {@link #NARROW} stretches: the tablets
   * a table at this factor needs so that every driver request goes straight to a replica.
   */
  List<Section> sections(int replicationFactor) {
    if (owners.isEmpty()) {
      throw new IllegalStateException("no member has tokens yet");
    }
    List<Section> out = new ArrayList<>();
    long start = Long.MIN_VALUE;
    List<Long> ends = new ArrayList<>(owners.keySet());
    if (ends.get(ends.size() - 1) != Long.MAX_VALUE) {
      ends.add(Long.MAX_VALUE); // above the last token the walk wraps to the first
    }
    List<String> pending = null; // replicas of a narrow first stretch, taken over by the next wide one
    for (long end : ends) {
      List<String> replicas = replicas(end, replicationFactor);
      boolean narrow = Long.compareUnsigned(end - start, NARROW) < 0;
      if (narrow && !out.isEmpty()) {
        Section below = out.remove(out.size() - 1);
        out.add(new Section(end, below.replicas()));
      } else if (narrow) {
        pending = replicas;
      } else if (!out.isEmpty() && sameSet(out.get(out.size() - 1).replicas(), replicas)) {
        Section below = out.remove(out.size() - 1);
        out.add(new Section(end, below.replicas()));
      } else {
        out.add(new Section(end, replicas));
      }
      start = end;
    }
    if (out.isEmpty()) {
      out.add(new Section(Long.MAX_VALUE, pending));
    }
    return out;
  }

  /**
   * A token strictly inside {@code range} where the sections for this factor change, with a
   * stretch at least {@link #NARROW} wide on both sides: where a tablet spanning two replica sets
   * splits so each half can move to its own set. Empty when the range lies within one section.
   */
  Optional<Long> boundaryInside(TokenRange range, int replicationFactor) {
    for (Section s : sections(replicationFactor)) {
      long b = s.lastToken();
      if (b > range.start() && b < range.end()
          && Long.compareUnsigned(b - range.start(), NARROW) >= 0
          && Long.compareUnsigned(range.end() - b, NARROW) >= 0) {
        return Optional.of(b);
      }
    }
    return Optional.empty();
  }

  /**
   * The token a node joining {@code members} gets: the next place in the lowest run that is not
   * complete (a run of fewer than {@link #SET_SIZE} adjacent tokens, after joins that did not
   * complete it or a node that left), else the start of a new run ending at the middle of the
   * widest stretch between runs, so the walk gives the lower half of that stretch to the new run
   * once it is complete. The first node's token is {@code FIRST_RUN_END - (SET_SIZE - 1)}.
   * Deterministic: every member computes the same token from the same members.
   */
  static long nextToken(List<NodeRecord> members) {
    TreeSet<Long> taken = new TreeSet<>();
    members.forEach(n -> taken.addAll(n.tokens()));
    if (taken.isEmpty()) {
      return FIRST_RUN_END - (SET_SIZE - 1);
    }
    List<long[]> runs = new ArrayList<>(); // {first, last} of each run of adjacent tokens
    for (long t : taken) {
      long[] last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
      if (last != null && last[1] != Long.MAX_VALUE && last[1] + 1 == t) {
        last[1] = t;
      } else {
        runs.add(new long[] {t, t});
      }
    }
    for (long[] run : runs) {
      if (run[1] - run[0] + 1 < SET_SIZE) {
        if (run[1] != Long.MAX_VALUE) {
          return run[1] + 1; // free: the run would be longer otherwise
        }
        if (run[0] - 1 != Long.MIN_VALUE) {
          return run[0] - 1;
        }
      }
    }
    long gapStart = 0;
    long gapWidth = 0;
    for (int i = 0; i < runs.size(); i++) { // the stretch after run i, up to the next (wrapping)
      long start = runs.get(i)[1];
      long width = runs.get((i + 1) % runs.size())[0] - start; // unsigned
      if (i == 0 || Long.compareUnsigned(width, gapWidth) > 0) {
        gapStart = start;
        gapWidth = width;
      }
    }
    long first = gapStart + Long.divideUnsigned(gapWidth, 2) - (SET_SIZE - 1);
    return first == Long.MIN_VALUE ? first + 1 : first;
  }

  private static long middle(TokenRange range) {
    return range.start() + Long.divideUnsigned(range.end() - range.start(), 2);
  }

  private static boolean sameSet(List<String> a, List<String> b) {
    return a.size() == b.size() && new HashSet<>(a).equals(new HashSet<>(b));
  }
}
