package io.meridian.schema;

import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;

/**
 * A schema change computed from a version another node has meanwhile replaced. Nothing was
 * changed; the statement can be computed again from the new schema (the DDL executor does so a few
 * times before passing this on to the client as an Invalid request).
 */
public final class SchemaConflictException extends MeridianException {
  public SchemaConflictException(String message) {
    super(CqlErrorCode.INVALID, message);
  }
}
