package io.meridian.replication;

import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;

/**
 * The tablet was sealed for a split: it refused the request without acting on it, and the two
 * tablets that replace it serve it instead. The cluster's routing retries on them once the split
 * is in the placement; a client only sees this (as OVERLOADED, "try again") if that takes too long.
 */
public final class TabletSealedException extends MeridianException {
  public TabletSealedException(String message) {
    super(CqlErrorCode.OVERLOADED, message, null);
  }
}
