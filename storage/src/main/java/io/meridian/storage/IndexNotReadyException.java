package io.meridian.storage;

import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;

/**
 * An index read reached a replica whose entries for the column are not complete (being built, or
 * to be built). A query that has not returned a page yet reads by scanning instead.
 */
public final class IndexNotReadyException extends MeridianException {
  public IndexNotReadyException(String column, String where) {
    super(CqlErrorCode.SERVER_ERROR, "the index of column " + column + " is being built on " + where
        + "; run the query again from its first page, which then reads without it");
  }
}
