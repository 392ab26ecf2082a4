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
   * Whatever one replica has applied, without asking the leader: may miss recent writes (the
   * replica catches up shortly after). For consistency level ONE.
   */
  ANY_REPLICA
}
