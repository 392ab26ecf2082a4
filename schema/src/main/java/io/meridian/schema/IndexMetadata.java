package io.meridian.schema;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A secondary index of a table: its name (unique in the keyspace), the one column it indexes and
 * what of that column (the value, or a collection's keys, values or entries, or a frozen value as
 * a whole), its kind, and the options shown in system_schema.indexes.
 *
 * <p>Two implementations exist, as in Cassandra 5.0: the legacy local-table index ({@link
 * Kind#COMPOSITES}, what a plain CREATE INDEX makes) and the storage-attached index ({@link
 * Kind#CUSTOM} with {@link #SAI_CLASS}). Meridian records both and uses them to decide which
 * queries are allowed without ALLOW FILTERING; the lookup itself is still a filtered scan.
 *
 * @param name the index name
 * @param column the indexed column
 * @param targetType what of the column is indexed
 * @param kind COMPOSITES (legacy) or CUSTOM
 * @param customOptions for CUSTOM indexes: {@code class_name} and the WITH OPTIONS entries; empty otherwise
 */
public record IndexMetadata(String name, String column, TargetType targetType, Kind kind, Map<String, String> customOptions) {

  /** The class name Cassandra records for storage-attached indexes. */
  public static final String SAI_CLASS = "org.apache.cassandra.index.sai.StorageAttachedIndex";
  public static final String OPTION_TARGET = "target";
  public static final String OPTION_CLASS_NAME = "class_name";

  private static final Pattern NON_WORD = Pattern.compile("\\W");

  /** system_schema.indexes.kind. */
  public enum Kind { KEYS, COMPOSITES, CUSTOM }

  /** What of the column an index covers; the lower-case name is the target function in CQL. */
  public enum TargetType {
    SIMPLE, KEYS, VALUES, ENTRIES, FULL;

    public String cqlName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public IndexMetadata {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(targetType, "targetType");
    Objects.requireNonNull(kind, "kind");
    customOptions = java.util.Collections.unmodifiableMap(new TreeMap<>(customOptions));
  }

  /** The target as Cassandra writes it: {@code v}, {@code keys(m)}, {@code values(l)}, {@code entries(m)}, {@code full(f)}. */
  public String target() {
    String col = quoteIfNeeded(column);
    return targetType == TargetType.SIMPLE ? col : targetType.cqlName() + "(" + col + ")";
  }

  /** system_schema.indexes.options: the target, plus class_name and the custom options for CUSTOM indexes. */
  public Map<String, String> schemaOptions() {
    Map<String, String> options = new TreeMap<>(customOptions);
    options.put(OPTION_TARGET, target());
    return options;
  }

  public boolean isStorageAttached() {
    return kind == Kind.CUSTOM && SAI_CLASS.equals(customOptions.get(OPTION_CLASS_NAME));
  }

  public boolean dependsOn(String columnName) {
    return column.equals(columnName);
  }

  /** Same index in all but name (Cassandra refuses such duplicates). */
  public boolean equalsWithoutName(IndexMetadata other) {
    return column.equals(other.column) && targetType == other.targetType && kind == other.kind
        && customOptions.equals(other.customOptions);
  }

  /** Cassandra's default index name: {@code <table>_<column>_idx} without non-word characters. */
  public static String defaultName(String table, String column) {
    return NON_WORD.matcher(table + "_" + column + "_idx").replaceAll("");
  }

  private static String quoteIfNeeded(String identifier) {
    if (identifier.matches("[a-z][a-z0-9_]*")) {
      return identifier;
    }
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
