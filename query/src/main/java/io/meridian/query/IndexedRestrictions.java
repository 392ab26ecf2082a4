package io.meridian.query;

import io.meridian.common.MeridianException;
import io.meridian.cql.ast.Operator;
import io.meridian.index.SchemaIndexing;
import io.meridian.schema.ColumnMetadata;
import io.meridian.schema.IndexMetadata;
import io.meridian.schema.TableMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a SELECT without ALLOW FILTERING may run, taking the table's secondary indexes
 * into account as Cassandra 5.0 does:
 *
 * <ul>
 *   <li>a legacy index (plain CREATE INDEX) serves one restriction: {@code =} on the column,
 *       {@code CONTAINS} on a values() index, {@code CONTAINS KEY} on a keys() index, {@code =} on a
 *       full() index; a second restriction of any kind then needs ALLOW FILTERING;
 *   <li>storage-attached indexes also serve ranges on non-literal types, and any number of
 *       restrictions as long as each one is served by an SAI index;
 *   <li>clustering restrictions that form a valid prefix ride along with an index query;
 *   <li>LIKE (Meridian's choice; Cassandra needs a SASI index, disabled by default) is served by any
 *       index on the text column, and is otherwise allowed only with ALLOW FILTERING.
 * </ul>
 *
 * <p>On top of Cassandra's rules, every regular and static column is indexed automatically (see
 * {@link #servedAutomatically}). Whether a query then reads through an index or scans is decided
 * by {@link IndexPlan}, not here.
 */
final class IndexedRestrictions {
  /** Types a storage-attached index can answer range queries on (the rest are equality only). */
  private static final Set<String> SAI_RANGE_TYPES = Set.of("tinyint", "smallint", "int", "bigint", "varint", "float",
      "double", "decimal", "date", "time", "timestamp", "timeuuid", "inet");

  private IndexedRestrictions() {}

  /** Throws Cassandra's error when {@code where} needs ALLOW FILTERING on {@code table}. */
  static void checkWithoutFiltering(TableMetadata table, WhereClause where) {
    SchemaIndexing indexing = SchemaIndexing.of(table);
    List<WhereClause.Filter> unserved = new ArrayList<>();
    int served = 0;
    boolean allStorageAttached = true;
    boolean clusteringRidesAlong = where.partitionKeys == null && where.clusteringPrefixError == null;
    for (WhereClause.Filter f : where.filters) {
      if (clusteringRidesAlong && isClusteringPrefixRestriction(f)) {
        continue;
      }
      if (servedAutomatically(indexing, f)) {
        served++; // like a storage-attached index: combines with any other served restriction
        continue;
      }
      IndexMetadata index = supportingIndex(table, f);
      if (index == null) {
        unserved.add(f);
      } else {
        served++;
        allStorageAttached &= index.isStorageAttached();
      }
    }
    for (WhereClause.Filter f : unserved) {
      if (f.op() == Operator.LIKE) {
        throw MeridianException.invalid("LIKE restriction is only supported on properly indexed columns. "
            + f.column().name() + " LIKE '" + f.like().source() + "' is not valid (index the column, or use ALLOW FILTERING)");
      }
    }
    if (served == 0) {
      // No index involved: Cassandra checks the partition key first, then the clustering prefix.
      if (where.partitionKeyFiltered) {
        throw MeridianException.invalid(SelectExecutor.FILTERING_MESSAGE);
      }
      if (where.clusteringPrefixError != null) {
        throw MeridianException.invalid(where.clusteringPrefixError);
      }
      if (where.needsFiltering()) {
        throw MeridianException.invalid(SelectExecutor.FILTERING_MESSAGE);
      }
      return;
    }
    if (!unserved.isEmpty() || (served > 1 && !allStorageAttached)) {
      throw MeridianException.invalid(SelectExecutor.FILTERING_MESSAGE);
    }
  }

  /**
   * Meridian indexes every regular and static column its indexing policy covers ({@link
   * SchemaIndexing}; all of them by default): these restrictions need no explicit index. Ranges on a non-frozen collection and {@code !=} still
   * need ALLOW FILTERING, as does LIKE other than on text.
   */
  static boolean servedAutomatically(SchemaIndexing indexing, WhereClause.Filter f) {
    ColumnMetadata column = f.column();
    if (f.field() != null) {
      // A field of a user-defined type: indexed with its column, served like a simple value.
      return indexing.indexes(f.field().udt().name()) && switch (f.op()) {
        case EQ, IN, LT, LTE, GT, GTE, LIKE -> true;
        default -> false;
      };
    }
    if (!indexing.indexes(column.name())) {
      return false;
    }
    boolean multiCell = column.type().isMultiCell();
    return switch (f.op()) {
      case EQ, IN, LT, LTE, GT, GTE, LIKE -> !multiCell;
      case CONTAINS -> multiCell;
      case CONTAINS_KEY -> multiCell && column.type() instanceof io.meridian.types.MapType;
      default -> false;
    };
  }

  private static boolean isClusteringPrefixRestriction(WhereClause.Filter f) {
    if (f.column().kind() != ColumnMetadata.Kind.CLUSTERING) {
      return false;
    }
    return switch (f.op()) {
      case EQ, IN, LT, LTE, GT, GTE -> true;
      default -> false;
    };
  }

  /** An index of the table that answers this restriction (an SAI index preferred), or null. */
  static IndexMetadata supportingIndex(TableMetadata table, WhereClause.Filter f) {
    IndexMetadata found = null;
    for (IndexMetadata index : table.indexesOn(f.column().name())) {
      if (supports(index, f.column(), f.op()) && (found == null || index.isStorageAttached())) {
        found = index;
      }
    }
    return found;
  }

  static boolean supports(IndexMetadata index, ColumnMetadata column, Operator op) {
    boolean sai = index.isStorageAttached();
    return switch (index.targetType()) {
      case SIMPLE -> switch (op) {
        case EQ, LIKE -> true;
        case LT, LTE, GT, GTE -> sai && SAI_RANGE_TYPES.contains(column.type().cqlName());
        default -> false;
      };
      case VALUES -> op == Operator.CONTAINS;
      case KEYS -> op == Operator.CONTAINS_KEY;
      case FULL -> op == Operator.EQ;
      // entries() serves m[key] = value, which WHERE does not accept yet.
      case ENTRIES -> false;
    };
  }

}
