package io.meridian.storage;

/**
 * How fresh a read must be. A single node always reads its latest state; on a cluster the
 * difference is whether any replica may answer.
 */
public enum ReadConsistency {
  /** Any replica's applied state: may miss the latest writes for a moment (CQL ONE, LOCAL_ONE). */
  ANY_REPLICA,
  /** Sees every write acknowledged before the read began (CQL QUORUM, ALL, SERIAL and the rest). */
  LINEARIZABLE
}
