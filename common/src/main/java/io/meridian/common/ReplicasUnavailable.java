package io.meridian.common;

/**
 * A request refused before it started because too few replicas are alive to complete it. The query
 * layer turns it into the protocol's UNAVAILABLE with the request's consistency level.
 */
public final class ReplicasUnavailable extends MeridianException {
  private final int required;
  private final int alive;

  public ReplicasUnavailable(String message, int required, int alive) {
    super(CqlErrorCode.UNAVAILABLE, message);
    this.required = required;
    this.alive = alive;
  }

  public int required() {
    return required;
  }

  public int alive() {
    return alive;
  }
}
