package io.meridian.query;

import com.datastax.oss.protocol.internal.ProtocolConstants.ConsistencyLevel;
import io.meridian.common.ReplicaTimeout;
import io.meridian.common.ReplicasUnavailable;
import io.meridian.protocol.error.UnavailableException;
import io.meridian.protocol.error.ReadTimeoutException;
import io.meridian.protocol.error.WriteTimeoutException;
import io.meridian.schema.KeyspaceMetadata;
import io.meridian.schema.ReplicationParams;
import java.util.concurrent.CompletionException;

/**
 * Turns too few live replicas into the protocol's UNAVAILABLE, and replicas that did not answer in
 * time into READ_TIMEOUT / WRITE_TIMEOUT, with
 * the fields drivers read: the request's consistency level, how many replicas it waits for, how
 * many answered (reported 0: a Raft write is confirmed by its leader, not counted per replica), and
 * the write type. Drivers decide retries from these (a SIMPLE write timeout is not retried unless
 * the statement is idempotent; a CAS one is unknown-outcome).
 */
final class ReplicationErrors {
  private ReplicationErrors() {}

  /** {@code failure} as the typed protocol error when it is a replica timeout, else unchanged. */
  static Throwable typed(Throwable failure, int consistency, KeyspaceMetadata keyspace, boolean counter) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof ReplicasUnavailable u) {
      UnavailableException e = new UnavailableException(consistency, u.required(), u.alive());
      e.initCause(cause);
      return e;
    }
    if (!(cause instanceof ReplicaTimeout timeout)) {
      return failure;
    }
    int blockFor = blockFor(consistency, replicationFactor(keyspace));
    if (timeout.isWrite()) {
      String type = counter ? "COUNTER" : timeout.protocolWriteType();
      WriteTimeoutException e = new WriteTimeoutException(consistency, 0, blockFor, type == null ? "SIMPLE" : type);
      e.initCause(cause);
      return e;
    }
    ReadTimeoutException e = new ReadTimeoutException(consistency, 0, blockFor, false);
    e.initCause(cause);
    return e;
  }

  /** Replicas the consistency level waits for, as Cassandra counts them. */
  static int blockFor(int consistency, int replicationFactor) {
    return switch (consistency) {
      case ConsistencyLevel.ANY, ConsistencyLevel.ONE, ConsistencyLevel.LOCAL_ONE -> 1;
      case ConsistencyLevel.TWO -> 2;
      case ConsistencyLevel.THREE -> 3;
      case ConsistencyLevel.ALL -> replicationFactor;
      default -> replicationFactor / 2 + 1; // QUORUM, LOCAL_QUORUM, EACH_QUORUM, SERIAL, LOCAL_SERIAL
    };
  }

  static int replicationFactor(KeyspaceMetadata keyspace) {
    return keyspace == null ? 1 : ReplicationParams.totalReplicas(keyspace.replication());
  }
}
