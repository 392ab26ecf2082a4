package io.meridian.schema;

import java.util.Set;

/** Names of keyspaces that are built in and not user-modifiable. */
public final class SystemKeyspaceNames {
  public static final String SYSTEM = "system";
  public static final String SYSTEM_SCHEMA = "system_schema";
  public static final String SYSTEM_VIRTUAL_SCHEMA = "system_virtual_schema";
  public static final String SYSTEM_TRACES = "system_traces";
  public static final String SYSTEM_VIEWS = "system_views";

  /**
   * Names reserved for Cassandra's built-in keyspaces, including ones Meridian does not (yet)
   * expose, so a user keyspace can never take them.
   */
  public static final Set<String> RESERVED =
      Set.of(
          SYSTEM,
          SYSTEM_SCHEMA,
          SYSTEM_VIRTUAL_SCHEMA,
          SYSTEM_VIEWS,
          "system_auth",
          "system_distributed",
          SYSTEM_TRACES);

  private SystemKeyspaceNames() {}

  public static boolean isBuiltIn(String keyspace) {
    return RESERVED.contains(keyspace);
  }
}
