package io.meridian.replication;

/** How a read through a tablet's Raft group is served. */
public enum ReadMode {
  /**
   * Sees every write acknowledged before the read started: Ratis' read index (answered by the
   * leader without a round trip while its lease holds), then the local state machine once it has
   * applied up to that index.
   */
  LINEARIZABLE,
  /**
   * The leader's applied state, without confirming it still leads (no read index): it holds every
   * write the leader acknowledged, so a client reads its own writes, except just after a leader
   * change, when the new leader may not have applied the newest entries yet.
   */
  LEADER,
  /**
   * Whatever one replica has applied, without asking the leader: may miss recent writes (the
   * replica catches up shortly after). For consistency level ONE.
   */
  ANY_REPLICA
}
