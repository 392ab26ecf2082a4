package io.meridian.common;

/**
 * Marks a failure where replicas did not answer in time (the outcome of a write is unknown). The
 * query layer turns it into the protocol's READ_TIMEOUT or WRITE_TIMEOUT with the request's
 * consistency level and replica counts, which only it knows.
 */
public interface ReplicaTimeout {
  /** Whether a write timed out (else a read). */
  boolean isWrite();

  /** The protocol's write type (SIMPLE, BATCH, CAS, ...) for a write. */
  String protocolWriteType();
}
