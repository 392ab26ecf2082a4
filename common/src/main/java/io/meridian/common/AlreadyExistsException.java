package io.meridian.common;

/** ALREADY_EXISTS carries the keyspace and table (empty for a keyspace) that already exist. */
public final class AlreadyExistsException extends MeridianException {
  private final String keyspace;
  private final String table;

  public AlreadyExistsException(String keyspace, String table) {
    super(
        CqlErrorCode.ALREADY_EXISTS,
        table.isEmpty()
            ? "Cannot add existing keyspace \"" + keyspace + "\""
            : "Cannot add already existing table \"" + table + "\" to keyspace \"" + keyspace + "\"");
    this.keyspace = keyspace;
    this.table = table;
  }

  public String keyspace() {
    return keyspace;
  }

  public String table() {
    return table;
  }
}
