package io.meridian.query;

import io.meridian.schema.TableMetadata;
import io.meridian.storage.Mutation;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** Texts of the trace events that say what a write did; built only for traced requests. */
final class TraceEvents {
  private TraceEvents() {}

  /** "Writing 2 partitions (3 row updates) of ks.t for an UPDATE". */
  static String mutations(String statementKind, TableMetadata table, List<Mutation> mutations) {
    return "Writing " + count(partitions(mutations), "partition") + " (" + count(rowUpdates(mutations), "row update")
        + ") of " + table.keyspace() + "." + table.name() + " for " + article(statementKind) + " " + statementKind;
  }

  static String batch(boolean logged, int statements, List<Mutation> mutations, Map<UUID, TableMetadata> tables) {
    Set<String> names = new TreeSet<>();
    for (TableMetadata t : tables.values()) {
      names.add(t.keyspace() + "." + t.name());
    }
    return (logged ? "Logged" : "Unlogged") + " batch of " + count(statements, "statement") + ": writing "
        + count(partitions(mutations), "partition") + " (" + count(rowUpdates(mutations), "row update") + ") of "
        + names + (logged ? ", all or nothing" : ", each partition atomically");
  }

  private static int partitions(List<Mutation> mutations) {
    Set<List<Object>> keys = new HashSet<>();
    for (Mutation m : mutations) {
      keys.add(List.<Object>of(m.tableId(), m.key()));
    }
    return keys.size();
  }

  private static int rowUpdates(List<Mutation> mutations) {
    int rows = 0;
    for (Mutation m : mutations) {
      rows += m.rows().size();
    }
    return rows;
  }

  static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static String article(String word) {
    return !word.isEmpty() && "AEIOU".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
  }
}
