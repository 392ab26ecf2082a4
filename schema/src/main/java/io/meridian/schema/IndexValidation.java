package io.meridian.schema;

import io.meridian.common.MeridianException;
import io.meridian.schema.ColumnMetadata.Kind;
import io.meridian.schema.IndexMetadata.TargetType;
import io.meridian.types.CollectionType;
import io.meridian.types.CqlType;
import io.meridian.types.MapType;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Cassandra 5.0's rules for CREATE INDEX, with its messages: which implementation a USING clause
 * names, which targets a column's type allows, which options a storage-attached index accepts,
 * and the default index name. Pure functions over the table; {@link SchemaManager} applies them
 * under its write lock.
 */
final class IndexValidation {
  private IndexValidation() {}

  static final String LEGACY_ALIAS = "legacy_local_table";
  private static final Set<String> SAI_ALIASES =
      Set.of("sai", "storageattachedindex", IndexMetadata.SAI_CLASS.toLowerCase(Locale.ROOT));
  private static final Set<String> SASI_ALIASES =
      Set.of("sasi", "sasiindex", "org.apache.cassandra.index.sasi.sasiindex");
  private static final Pattern VALID_NAME = Pattern.compile("\\w+");

  /** SAI options that only change how text is matched (case, Unicode normalization, ASCII folding, analyzers). */
  private static final Set<String> SAI_TEXT_OPTIONS =
      Set.of("case_sensitive", "normalize", "ascii", "index_analyzer", "query_analyzer");
  /** SAI options that only apply to vector columns. */
  private static final Set<String> SAI_VECTOR_OPTIONS = Set.of("similarity_function", "source_model", "optimize_for");
  /** Tuning options of numeric SAI indexes: accepted and recorded, without effect here. */
  private static final Set<String> SAI_TUNING_OPTIONS = Set.of("bkd_postings_skip", "bkd_postings_min_leaves");

  /** The implementation and kind a CREATE INDEX names, checked as Cassandra's IndexAttributes does. */
  record Implementation(IndexMetadata.Kind kind, String className) {
    boolean storageAttached() {
      return IndexMetadata.SAI_CLASS.equals(className);
    }
  }

  static Implementation implementation(IndexRequest request) {
    if (request.custom() && request.usingClass() == null) {
      throw MeridianException.invalid("CUSTOM index requires specifiying the index class");
    }
    Implementation impl;
    String using = request.usingClass();
    if (using == null || using.equalsIgnoreCase(LEGACY_ALIAS)) {
      impl = new Implementation(IndexMetadata.Kind.COMPOSITES, null);
    } else {
      String key = using.toLowerCase(Locale.ROOT);
      if (SAI_ALIASES.contains(key)) {
        impl = new Implementation(IndexMetadata.Kind.CUSTOM, IndexMetadata.SAI_CLASS);
      } else if (SASI_ALIASES.contains(key)) {
        throw MeridianException.invalid("SASI indexes are disabled. Enable in cassandra.yaml to use.");
      } else {
        throw MeridianException.configError("Unable to find custom indexer class '" + using + "'");
      }
    }
    Map<String, String> options = request.options();
    if (options != null) {
      if (impl.kind() != IndexMetadata.Kind.CUSTOM) {
        throw MeridianException.invalid("Cannot specify options for a non-CUSTOM index");
      }
      for (String reserved : List.of(IndexMetadata.OPTION_CLASS_NAME, IndexMetadata.OPTION_TARGET)) {
        if (options.containsKey(reserved)) {
          throw MeridianException.invalid("Cannot specify " + reserved + " as a CUSTOM option");
        }
      }
    }
    return impl;
  }

  /** Checks the targets against the table and returns the one indexed target, with SIMPLE on a collection made VALUES. */
  static IndexRequest.Target target(TableMetadata table, IndexRequest request, Implementation impl) {
    List<IndexRequest.Target> targets = request.targets();
    if (targets.size() > 1) {
      if (impl.kind() != IndexMetadata.Kind.CUSTOM) {
        throw MeridianException.invalid("Only CUSTOM indexes support multiple columns");
      }
      Set<String> seen = new HashSet<>();
      for (IndexRequest.Target t : targets) {
        if (!seen.add(t.column())) {
          throw MeridianException.invalid("Duplicate column '" + t.column() + "' in index target list");
        }
      }
      throw MeridianException.invalid("Storage-attached indexes index a single column; "
          + targets.size() + " target columns were given");
    }
    IndexRequest.Target raw = targets.get(0);
    ColumnMetadata column = table.column(raw.column())
        .orElseThrow(() -> MeridianException.invalid("Column '" + raw.column() + "' doesn't exist"));
    CqlType type = column.type();
    TargetType targetType = raw.type();
    boolean collection = type instanceof CollectionType;
    if (targetType == TargetType.SIMPLE && collection) {
      // Cassandra indexes a collection named bare by its values.
      targetType = TargetType.VALUES;
    }
    String name = column.name();
    if (type.cqlName().contains("duration")) {
      if (Types.isDuration(type)) {
        throw MeridianException.invalid("Secondary indexes are not supported on duration columns");
      }
      throw MeridianException.invalid(collection
          ? "Secondary indexes are not supported on collections containing durations"
          : "Secondary indexes are not supported on tuples containing durations");
    }
    if (column.kind() == Kind.PARTITION_KEY && table.partitionKey().size() == 1) {
      throw MeridianException.invalid("Cannot create secondary index on the only partition key column " + name);
    }
    boolean frozenCollection = collection && !type.isMultiCell();
    if (frozenCollection && targetType != TargetType.FULL) {
      throw MeridianException.invalid("Cannot create " + targetType.cqlName() + "() index on frozen column " + name
          + ". Frozen collections are immutable and must be fully indexed by using the 'full(" + name + ")' modifier");
    }
    if (!frozenCollection && targetType == TargetType.FULL) {
      throw MeridianException.invalid("full() indexes can only be created on frozen collections");
    }
    if (!collection && targetType != TargetType.SIMPLE) {
      throw MeridianException.invalid("Cannot create " + targetType.cqlName() + "() index on " + name
          + ". Non-collection columns only support simple indexes");
    }
    if ((targetType == TargetType.KEYS || targetType == TargetType.ENTRIES) && !(type instanceof MapType && type.isMultiCell())) {
      throw MeridianException.invalid("Cannot create index on " + targetType.cqlName() + " of column " + name
          + " with non-map type");
    }
    return new IndexRequest.Target(name, targetType);
  }

  /** The custom options recorded for the index: class_name plus the checked WITH OPTIONS. */
  static Map<String, String> customOptions(Implementation impl, ColumnMetadata column, Map<String, String> requested) {
    if (impl.kind() != IndexMetadata.Kind.CUSTOM) {
      return Map.of();
    }
    Map<String, String> options = new TreeMap<>();
    if (requested != null) {
      checkSaiOptions(column, requested);
      options.putAll(requested);
    }
    options.put(IndexMetadata.OPTION_CLASS_NAME, impl.className());
    return options;
  }

  private static void checkSaiOptions(ColumnMetadata column, Map<String, String> requested) {
    Set<String> unknown = new TreeSet<>();
    for (String key : requested.keySet()) {
      if (!SAI_TEXT_OPTIONS.contains(key) && !SAI_VECTOR_OPTIONS.contains(key) && !SAI_TUNING_OPTIONS.contains(key)) {
        unknown.add(key);
      }
    }
    if (!unknown.isEmpty()) {
      throw MeridianException.configError("Properties specified " + unknown + " are not understood by StorageAttachedIndex");
    }
    boolean text = isText(column.type());
    Map<String, String> sorted = new LinkedHashMap<>(new TreeMap<>(requested));
    for (Map.Entry<String, String> e : sorted.entrySet()) {
      String key = e.getKey();
      String value = e.getValue();
      if (SAI_VECTOR_OPTIONS.contains(key)) {
        throw MeridianException.invalid("Option '" + key + "' is only supported on vector columns, and " + column.name()
            + " is of type " + column.type().cqlName());
      }
      if (SAI_TEXT_OPTIONS.contains(key)) {
        if (!text) {
          throw MeridianException.invalid("Option '" + key + "' is only supported on text and ascii columns, and "
              + column.name() + " is of type " + column.type().cqlName());
        }
        if (key.endsWith("_analyzer")) {
          throw MeridianException.invalid("Option '" + key + "' (text analysis) is not supported by Meridian yet");
        }
        String normalized = value.trim().toLowerCase(Locale.ROOT);
        if (!normalized.equals("true") && !normalized.equals("false")) {
          throw MeridianException.configError("Illegal value for boolean option '" + key + "': " + value);
        }
        // Only the defaults (case-sensitive, unnormalized, no ASCII folding) match how queries compare text here.
        boolean isDefault = key.equals("case_sensitive") == normalized.equals("true");
        if (!isDefault) {
          throw MeridianException.invalid("Option '" + key + "' = " + value
              + " is not supported by Meridian yet: text is matched exactly (case-sensitive, unnormalized)");
        }
      }
    }
  }

  static boolean isText(CqlType type) {
    String name = type.cqlName();
    return name.equals("text") || name.equals("ascii") || name.equals("varchar");
  }

  static void checkName(String name) {
    if (name.isEmpty() || !VALID_NAME.matcher(name).matches()) {
      throw MeridianException.configError("Illegal index name " + name);
    }
  }

  /** Cassandra's findAvailableIndexName: the base name, else base_1, base_2, ... the first free in the keyspace. */
  static String availableName(KeyspaceMetadata keyspace, String base) {
    if (!hasIndex(keyspace, base)) {
      return base;
    }
    for (int i = 1; ; i++) {
      String candidate = base + "_" + i;
      if (!hasIndex(keyspace, candidate)) {
        return candidate;
      }
    }
  }

  static boolean hasIndex(KeyspaceMetadata keyspace, String indexName) {
    return indexedTable(keyspace, indexName) != null;
  }

  /** The table holding the index of that name in the keyspace, or null. */
  static TableMetadata indexedTable(KeyspaceMetadata keyspace, String indexName) {
    for (TableMetadata t : keyspace.tables().values()) {
      if (t.index(indexName).isPresent()) {
        return t;
      }
    }
    return null;
  }
}
