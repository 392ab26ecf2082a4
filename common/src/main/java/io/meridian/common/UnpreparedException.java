package io.meridian.common;

/** UNPREPARED carries the statement id the client sent, so the driver can re-prepare it. */
public final class UnpreparedException extends MeridianException {
  private final byte[] statementId;

  public UnpreparedException(byte[] statementId, String hexId) {
    super(CqlErrorCode.UNPREPARED, "Prepared query with ID " + hexId + " not found"
        + " (either the query was not prepared on this host or it was evicted from the cache)");
    this.statementId = statementId.clone();
  }

  public byte[] statementId() {
    return statementId.clone();
  }
}
