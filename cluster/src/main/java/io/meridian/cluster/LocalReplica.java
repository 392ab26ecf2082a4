package io.meridian.cluster;

import io.meridian.replication.TabletStateMachine;

/**
 * This node's replica of a tablet, judged able to answer a leader read from the local engine,
 * with its rows' epoch at that moment. A local read made after the judgement counts only if
 * {@link #stillSame} holds after it: a snapshot install in between may have replaced the rows the
 * read saw halfway (see {@link TabletStateMachine#rowsEpoch}), and the read is then made again
 * through the leader.
 */
record LocalReplica(TabletStateMachine replica, long epoch) {
  static LocalReplica of(TabletStateMachine replica) {
    return new LocalReplica(replica, replica.rowsEpoch());
  }

  boolean stillSame() {
    return replica.sameRowsSince(epoch);
  }
}
