package io.meridian.schema;

import io.meridian.common.MeridianException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Validation and normalization of a keyspace's {@code replication} map. The result always has a
 * fully qualified "class"; SimpleStrategy carries "replication_factor"; NetworkTopologyStrategy
 * carries one entry per data center (a bare "replication_factor" is expanded to every known data
 * center, as Cassandra 4+ does).
 */
public final class ReplicationParams {
  public static final String CLASS = "class";
  public static final String REPLICATION_FACTOR = "replication_factor";
  public static final String LOCATOR_PACKAGE = "org.apache.cassandra.locator.";
  public static final String SIMPLE = LOCATOR_PACKAGE + "SimpleStrategy";
  public static final String NETWORK_TOPOLOGY = LOCATOR_PACKAGE + "NetworkTopologyStrategy";
  public static final String LOCAL = LOCATOR_PACKAGE + "LocalStrategy";

  /** Replication of the node-local system keyspaces, as Cassandra shows it. */
  public static final Map<String, String> LOCAL_REPLICATION = Map.of(CLASS, LOCAL);

  private ReplicationParams() {}

  /**
   * Replicas a keyspace asks for in all data centers together (1 for LocalStrategy). Values are
   * normalized replica counts (a "3/1" transient form counts its full replicas).
   */
  public static int totalReplicas(Map<String, String> replication) {
    int rf = 0;
    for (Map.Entry<String, String> e : replication.entrySet()) {
      if (e.getKey().equals(CLASS)) {
        continue;
      }
      String v = e.getValue().trim();
      int slash = v.indexOf('/');
      try {
        rf += Integer.parseInt(slash < 0 ? v : v.substring(0, slash));
      } catch (NumberFormatException ignored) {
        // not a replica count
      }
    }
    return Math.max(1, rf);
  }

  /**
   * @param keyspace for messages
   * @param options the map from {@code WITH replication = {...}}
   * @param knownDatacenters the data centers NetworkTopologyStrategy may name
   */
  public static Map<String, String> normalize(
      String keyspace, Map<String, String> options, Set<String> knownDatacenters) {
    String klass = options.get(CLASS);
    if (klass == null) {
      throw MeridianException.configError("Missing replication strategy class");
    }
    String qualified = klass.contains(".") ? klass : LOCATOR_PACKAGE + klass;
    Map<String, String> result = new TreeMap<>();
    switch (qualified) {
      case SIMPLE:
        for (Map.Entry<String, String> e : options.entrySet()) {
          if (e.getKey().equals(CLASS)) {
            continue;
          }
          if (!e.getKey().equals(REPLICATION_FACTOR)) {
            throw MeridianException.configError(
                "Unrecognized strategy option {" + e.getKey() + "} passed to SimpleStrategy for keyspace " + keyspace);
          }
          result.put(REPLICATION_FACTOR, replicationFactor(e.getValue()));
        }
        if (!result.containsKey(REPLICATION_FACTOR)) {
          throw MeridianException.configError("SimpleStrategy requires a replication_factor strategy option.");
        }
        break;
      case NETWORK_TOPOLOGY:
        String everywhere = options.get(REPLICATION_FACTOR);
        if (everywhere != null) {
          String rf = replicationFactor(everywhere);
          for (String dc : knownDatacenters) {
            result.put(dc, rf);
          }
        }
        for (Map.Entry<String, String> e : options.entrySet()) {
          String key = e.getKey();
          if (key.equals(CLASS) || key.equals(REPLICATION_FACTOR)) {
            continue;
          }
          if (!knownDatacenters.contains(key)) {
            throw MeridianException.configError(
                "Unrecognized strategy option {" + key + "} passed to NetworkTopologyStrategy for keyspace " + keyspace);
          }
          result.put(key, replicationFactor(e.getValue()));
        }
        break;
      case LOCAL:
        throw MeridianException.configError(
            "Unable to use given strategy class: LocalStrategy is reserved for internal use.");
      default:
        throw MeridianException.configError("Unable to find replication strategy class '" + qualified + "'");
    }
    result.put(CLASS, qualified);
    return Map.copyOf(result);
  }

  private static String replicationFactor(String value) {
    int rf;
    try {
      rf = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw MeridianException.configError("Replication factor must be numeric; found " + value);
    }
    if (rf < 0) {
      throw MeridianException.configError("Replication factor must be non-negative; found " + value);
    }
    return Integer.toString(rf);
  }
}
