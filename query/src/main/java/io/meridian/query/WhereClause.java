package io.meridian.query;

import io.meridian.common.MeridianException;
import io.meridian.cql.ast.BindMarker;
import io.meridian.cql.ast.Operator;
import io.meridian.cql.ast.Relation;
import io.meridian.cql.ast.Term;
import io.meridian.schema.ClusteringOrder;
import io.meridian.schema.ColumnMetadata;
import io.meridian.schema.TableMetadata;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.TokenRange;
import io.meridian.types.CqlType;
import io.meridian.types.CqlTypes;
import io.meridian.types.ListType;
import io.meridian.types.UserType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A WHERE clause bound to a table and to values: which partitions (by key or token range), which
 * clustering ranges (byte-comparable, half-open), and which restrictions remain to be checked
 * row by row (filtering). Whether filtering is allowed is the caller's decision.
 */
final class WhereClause {
  /** Partition keys named by = / IN on every partition key column, sorted in ring order; null otherwise. */
  final List<PartitionKey> partitionKeys;
  /** Token range from token() relations (FULL when none). */
  final TokenRange tokenRange;
  /** Clustering ranges [start, end) in ascending byte order; one full range when unrestricted. */
  final List<byte[][]> clusteringRanges;
  /** True when the clustering ranges select single full rows (every clustering column by = / IN). */
  final boolean clusteringFullyRestricted;
  /** True when clustering columns were restricted at all through ranges. */
  final boolean clusteringRestricted;
  /** Restrictions checked per row. */
  final List<Filter> filters;
  /** Cassandra's error when clustering restrictions are not a prefix (legal only with ALLOW FILTERING); null if they are. */
  final String clusteringPrefixError;
  /** True when some but not all partition key columns are restricted (they become filters). */
  final boolean partitionKeyFiltered;

  /** A field of a user-defined type column, by position. */
  record UdtField(ColumnMetadata udt, int position) {}

  /**
   * One restriction checked per row. For a restriction on a field of a user-defined type
   * ({@code addr.city = ?}), {@code field} names it and {@code column} stands for the field: its
   * name is "column.field" and its type the field's.
   */
  record Filter(ColumnMetadata column, Operator op, List<ByteBuffer> values, LikePattern like, UdtField field) {
    Filter(ColumnMetadata column, Operator op, List<ByteBuffer> values) {
      this(column, op, values, null);
    }

    Filter(ColumnMetadata column, Operator op, List<ByteBuffer> values, UdtField field) {
      this(column, op, values, op == Operator.LIKE ? LikePattern.parse(values.get(0)) : null, field);
    }

    /** The value this restriction tests in {@code row}: the column's, or its field's. */
    ByteBuffer valueIn(RowView row) {
      if (field == null) {
        return row.value(column);
      }
      ByteBuffer whole = row.value(field.udt());
      if (whole == null) {
        return null;
      }
      List<ByteBuffer> fields = ((UserType) field.udt().type()).fields(whole);
      return field.position() < fields.size() ? fields.get(field.position()) : null;
    }

    boolean test(ByteBuffer actual) {
      if (actual == null) {
        return false;
      }
      return switch (op) {
        case EQ -> column.type().compare(actual, values.get(0)) == 0;
        case NEQ -> column.type().compare(actual, values.get(0)) != 0;
        case LT -> column.type().compare(actual, values.get(0)) < 0;
        case LTE -> column.type().compare(actual, values.get(0)) <= 0;
        case GT -> column.type().compare(actual, values.get(0)) > 0;
        case GTE -> column.type().compare(actual, values.get(0)) >= 0;
        case IN -> values.stream().anyMatch(v -> column.type().compare(actual, v) == 0);
        case CONTAINS, CONTAINS_KEY -> CollectionFilters.contains(column.type(), op == Operator.CONTAINS_KEY, actual, values.get(0));
        case LIKE -> like.matches(actual);
        default -> throw MeridianException.invalid(op.cql() + " is not supported on column " + column.name());
      };
    }
  }

  private WhereClause(List<PartitionKey> partitionKeys, TokenRange tokenRange, List<byte[][]> clusteringRanges,
                      boolean clusteringFullyRestricted, boolean clusteringRestricted, List<Filter> filters,
                      String clusteringPrefixError, boolean partitionKeyFiltered) {
    this.partitionKeys = partitionKeys;
    this.tokenRange = tokenRange;
    this.clusteringRanges = clusteringRanges;
    this.clusteringFullyRestricted = clusteringFullyRestricted;
    this.clusteringRestricted = clusteringRestricted;
    this.filters = filters;
    this.clusteringPrefixError = clusteringPrefixError;
    this.partitionKeyFiltered = partitionKeyFiltered;
  }

  boolean needsFiltering() {
    return !filters.isEmpty();
  }

  /** A restriction on a field of a user-defined type column (Meridian's extension of CQL). */
  private static Filter fieldFilter(ColumnMetadata column, Relation.ColumnRelation r, Terms terms) {
    if (!(column.type() instanceof UserType udt)) {
      throw MeridianException.invalid("Field selection " + column.name() + "." + r.field()
          + " needs a column of a user-defined type, but " + column.name() + " is of type " + column.type().cqlName());
    }
    if (column.isPrimaryKey()) {
      throw MeridianException.invalid("Restrictions on a field of primary key column " + column.name() + " are not supported");
    }
    int position = udt.fieldPosition(r.field());
    if (position < 0) {
      throw MeridianException.invalid("Type " + udt.typeName() + " of column " + column.name() + " has no field " + r.field());
    }
    ColumnMetadata field = new ColumnMetadata(column.name() + "." + r.field(), udt.fieldTypes().get(position),
        column.kind(), -1, ClusteringOrder.NONE);
    switch (r.op()) {
      case EQ, IN, LT, LTE, GT, GTE, NEQ -> { }
      case LIKE -> {
        if (!isText(field)) {
          throw MeridianException.invalid("LIKE restrictions are only supported on text and ascii columns, but "
              + field.name() + " is of type " + field.type().cqlName());
        }
      }
      default -> throw MeridianException.invalid(r.op().cql() + " restrictions are not supported on field " + field.name());
    }
    return new Filter(field, r.op(), relationValues(field, r.op(), r.value(), terms), new UdtField(column, position));
  }

  /** Values bound to one column by = or IN (in relation order). */
  private record ColumnValues(Operator op, List<ByteBuffer> values) {}

  private record Bound(ByteBuffer value, boolean inclusive) {}

  static WhereClause analyze(TableMetadata table, List<Relation> relations, Terms terms) {
    Map<String, ColumnValues> eqOrIn = new LinkedHashMap<>();
    Map<String, Bound[]> slices = new HashMap<>();
    List<Filter> filters = new ArrayList<>();
    long tokenStart = Long.MIN_VALUE;
    long tokenEnd = Long.MAX_VALUE;
    boolean tokenRestricted = false;
    // Multi-column relations: the intersection of each relation's clustering ranges (null if none).
    List<byte[][]> multiRanges = null;
    boolean multiFull = false;

    for (Relation relation : relations) {
      if (relation instanceof Relation.ColumnRelation r) {
        if (r.key() != null) {
          throw MeridianException.invalid("Restrictions on collection elements are not supported yet");
        }
        ColumnMetadata column = column(table, r.column());
        if (r.field() != null) {
          filters.add(fieldFilter(column, r, terms));
          continue;
        }
        if (r.op() == Operator.LIKE && !isText(column)) {
          throw MeridianException.invalid("LIKE restrictions are only supported on text and ascii columns, but "
              + column.name() + " is of type " + column.type().cqlName());
        }
        List<ByteBuffer> values = relationValues(column, r.op(), r.value(), terms);
        switch (r.op()) {
          case EQ, IN -> {
            if (column.kind() == ColumnMetadata.Kind.REGULAR || column.kind() == ColumnMetadata.Kind.STATIC) {
              filters.add(new Filter(column, r.op(), values));
            } else if (eqOrIn.putIfAbsent(column.name(), new ColumnValues(r.op(), values)) != null) {
              throw MeridianException.invalid(column.name() + " cannot be restricted by more than one relation if it includes an Equal");
            }
          }
          case LT, LTE, GT, GTE -> {
            if (column.kind() == ColumnMetadata.Kind.CLUSTERING) {
              Bound[] b = slices.computeIfAbsent(column.name(), k -> new Bound[2]);
              boolean lower = r.op() == Operator.GT || r.op() == Operator.GTE;
              boolean inclusive = r.op() == Operator.GTE || r.op() == Operator.LTE;
              if (b[lower ? 0 : 1] != null) {
                throw MeridianException.invalid("More than one restriction was found for the "
                    + (lower ? "start" : "end") + " bound on " + column.name());
              }
              b[lower ? 0 : 1] = new Bound(values.get(0), inclusive);
            } else {
              filters.add(new Filter(column, r.op(), values));
            }
          }
          case NEQ -> filters.add(new Filter(column, r.op(), values));
          case CONTAINS, CONTAINS_KEY, LIKE -> filters.add(new Filter(column, r.op(), values));
          default -> throw MeridianException.invalid(r.op().cql() + " restrictions are not supported on column "
              + column.name() + " of type " + column.type().cqlName());
        }
      } else if (relation instanceof Relation.TokenRelation t) {
        checkTokenColumns(table, t.columns());
        ByteBuffer v = terms.evaluate(t.value(), CqlTypes.BIGINT, "partition key token");
        if (v == null || BoundValues.isUnset(v)) {
          throw MeridianException.invalid("Invalid null value for partition key token");
        }
        long token = (Long) CqlTypes.BIGINT.decode(v);
        tokenRestricted = true;
        switch (t.op()) {
          case GT -> tokenStart = Math.max(tokenStart, token);
          case GTE -> tokenStart = Math.max(tokenStart, token == Long.MIN_VALUE ? token : token - 1);
          // The minimum token as an upper bound means "to the end of the ring", as in Cassandra.
          case LTE -> tokenEnd = Math.min(tokenEnd, token == Long.MIN_VALUE ? Long.MAX_VALUE : token);
          case LT -> tokenEnd = Math.min(tokenEnd, token == Long.MIN_VALUE ? Long.MAX_VALUE : token - 1);
          case EQ -> {
            tokenStart = Math.max(tokenStart, token - 1);
            tokenEnd = Math.min(tokenEnd, token);
          }
          default -> throw MeridianException.invalid("Operator " + t.op().cql() + " is not supported on token()");
        }
      } else if (relation instanceof Relation.MultiColumnRelation m) {
        List<ColumnMetadata> cols = multiColumns(table, m.columns());
        List<byte[][]> pieces = new ArrayList<>();
        switch (m.op()) {
          case IN -> {
            if (!(m.value() instanceof Term.InValues in)) {
              throw MeridianException.invalid("Multi-column IN with a single bind marker is not supported yet");
            }
            for (Term tuple : in.values()) {
              byte[] p = KeyEncoder.clustering(table, tupleValues(cols, tuple, terms));
              pieces.add(new byte[][] {p, KeyEncoder.prefixEnd(p)});
            }
          }
          case EQ -> {
            byte[] p = KeyEncoder.clustering(table, tupleValues(cols, m.value(), terms));
            pieces.add(new byte[][] {p, KeyEncoder.prefixEnd(p)});
          }
          case GT, GTE, LT, LTE -> pieces = tupleSlice(table, cols, tupleValues(cols, m.value(), terms), m.op());
          default -> throw MeridianException.invalid("Operator " + m.op().cql() + " is not supported on multi-column relations");
        }
        multiFull |= (m.op() == Operator.IN || m.op() == Operator.EQ) && cols.size() == table.clusteringColumns().size();
        List<byte[][]> normalized = normalize(pieces);
        multiRanges = multiRanges == null ? normalized : intersect(multiRanges, normalized);
      } else if (relation instanceof Relation.IsNotNull) {
        throw MeridianException.invalid("IS NOT NULL is only supported in materialized view definitions");
      }
    }

    // Partition key: all columns by = / IN gives keys; otherwise each restriction becomes a filter.
    List<ColumnMetadata> pkColumns = table.partitionKey();
    List<PartitionKey> keys = null;
    boolean allPk = pkColumns.stream().allMatch(c -> eqOrIn.containsKey(c.name()));
    if (allPk) {
      if (tokenRestricted) {
        throw MeridianException.invalid("Only EQ and IN relation are supported on the partition key (unless you use the token() function)");
      }
      keys = partitionKeys(table, pkColumns, eqOrIn);
    } else {
      for (ColumnMetadata c : pkColumns) {
        ColumnValues cv = eqOrIn.get(c.name());
        if (cv != null) {
          filters.add(new Filter(c, cv.op(), cv.values()));
        }
      }
    }

    // Clustering: a prefix of = / IN, then at most one slice; anything after a gap is filtered.
    List<ColumnMetadata> ckColumns = table.clusteringColumns();
    List<List<ByteBuffer>> prefixValues = new ArrayList<>();
    Bound[] slice = null;
    ColumnMetadata sliceColumn = null;
    boolean gap = false;
    for (ColumnMetadata c : ckColumns) {
      ColumnValues cv = eqOrIn.get(c.name());
      Bound[] s = slices.get(c.name());
      if (gap || keys == null) {
        if (cv != null) {
          filters.add(new Filter(c, cv.op(), cv.values()));
        }
        if (s != null) {
          addSliceFilters(filters, c, s);
        }
        continue;
      }
      if (cv != null && s == null) {
        prefixValues.add(cv.values());
      } else if (s != null && cv == null) {
        slice = s;
        sliceColumn = c;
        gap = true;
      } else if (s != null) {
        throw MeridianException.invalid(c.name() + " cannot be restricted by both an equality and an inequality relation");
      } else {
        gap = true;
      }
    }
    boolean fully = prefixValues.size() == ckColumns.size() || (multiFull && eqOrIn.keySet().stream().noneMatch(
        n -> table.column(n).map(c -> c.kind() == ColumnMetadata.Kind.CLUSTERING).orElse(false)));
    String clusteringError = clusteringPrefixError(ckColumns, eqOrIn, slices);
    boolean partitionKeyFiltered = !allPk && pkColumns.stream().anyMatch(c -> eqOrIn.containsKey(c.name()));

    List<byte[][]> ranges = new ArrayList<>();
    boolean restricted = !prefixValues.isEmpty() || slice != null;
    if (multiRanges != null) {
      if (restricted) {
        throw MeridianException.invalid("Mixing single column relations and multi-column relations on clustering columns is not allowed");
      }
      restricted = true;
      ranges.addAll(multiRanges);
    } else {
      for (List<ByteBuffer> prefix : cartesian(prefixValues)) {
        byte[] p = KeyEncoder.clustering(table, prefix);
        byte[] start = p;
        byte[] end = KeyEncoder.prefixEnd(p);
        if (slice != null) {
          boolean desc = sliceColumn.order() == ClusteringOrder.DESC;
          Bound low = desc ? slice[1] : slice[0];
          Bound high = desc ? slice[0] : slice[1];
          if (low != null) {
            byte[] b = concat(p, encodeOne(table, prefix, low.value()));
            start = low.inclusive() ? b : KeyEncoder.prefixEnd(b);
          }
          if (high != null) {
            byte[] b = concat(p, encodeOne(table, prefix, high.value()));
            end = high.inclusive() ? KeyEncoder.prefixEnd(b) : b;
          }
        }
        ranges.add(new byte[][] {start, end});
      }
      ranges.sort((a, b) -> Arrays2.compareUnsigned(a[0], b[0]));
      // Contradictory bounds (c > 3 AND c < 4 on ints) select nothing; storage rejects empty ranges.
      ranges.removeIf(r -> r[1] != null && Arrays2.compareUnsigned(r[0], r[1]) >= 0);
    }
    TokenRange tokens = new TokenRange(tokenStart, tokenEnd);
    return new WhereClause(keys, tokens, ranges, fully, restricted, filters, clusteringError, partitionKeyFiltered);
  }

  /**
   * Cassandra's rule for clustering restrictions without ALLOW FILTERING: they must form a prefix
   * of the clustering columns, with at most the last one restricted by a slice. Returns the error
   * Cassandra gives for the first violation, or null.
   */
  private static String clusteringPrefixError(List<ColumnMetadata> ckColumns, Map<String, ColumnValues> eqOrIn,
                                              Map<String, Bound[]> slices) {
    ColumnMetadata unrestricted = null;
    ColumnMetadata sliced = null;
    for (ColumnMetadata c : ckColumns) {
      boolean restricted = eqOrIn.containsKey(c.name()) || slices.containsKey(c.name());
      if (!restricted) {
        if (unrestricted == null && sliced == null) {
          unrestricted = c;
        }
        continue;
      }
      if (sliced != null) {
        return "Clustering column \"" + c.name() + "\" cannot be restricted (preceding column \"" + sliced.name()
            + "\" is restricted by a non-EQ relation)";
      }
      if (unrestricted != null) {
        return "PRIMARY KEY column \"" + c.name() + "\" cannot be restricted as preceding column \"" + unrestricted.name()
            + "\" is not restricted";
      }
      if (slices.containsKey(c.name())) {
        sliced = c;
      }
    }
    return null;
  }

  /**
   * The clustering ranges where (c1..cn) op (v1..vn) holds, lexicographically over the columns'
   * own orders: for each i, the keys with prefix v1..v(i-1) whose column i is strictly beyond v(i),
   * plus the keys starting with v1..vn when inclusive. Works for any mix of ASC and DESC columns.
   */
  private static List<byte[][]> tupleSlice(TableMetadata table, List<ColumnMetadata> cols, List<ByteBuffer> values, Operator op) {
    boolean greater = op == Operator.GT || op == Operator.GTE;
    List<byte[][]> out = new ArrayList<>();
    for (int i = 0; i < cols.size(); i++) {
      byte[] p = KeyEncoder.clustering(table, values.subList(0, i));
      byte[] e = KeyEncoder.clustering(table, values.subList(0, i + 1));
      // In storage order, "beyond v(i)" is after e when looking for greater values of an ASC column
      // (or smaller values of a DESC one), and before e otherwise.
      boolean after = greater != (cols.get(i).order() == ClusteringOrder.DESC);
      out.add(after ? new byte[][] {KeyEncoder.prefixEnd(e), KeyEncoder.prefixEnd(p)} : new byte[][] {p, e});
    }
    if (op == Operator.GTE || op == Operator.LTE) {
      byte[] all = KeyEncoder.clustering(table, values);
      out.add(new byte[][] {all, KeyEncoder.prefixEnd(all)});
    }
    return out;
  }

  /** Sorts ranges [start, end) (null end = unbounded; null start = nothing), drops empty ones and merges touching ones. */
  private static List<byte[][]> normalize(List<byte[][]> ranges) {
    List<byte[][]> sorted = new ArrayList<>();
    for (byte[][] r : ranges) {
      if (r[0] != null && (r[1] == null || Arrays2.compareUnsigned(r[0], r[1]) < 0)) {
        sorted.add(r);
      }
    }
    sorted.sort((a, b) -> Arrays2.compareUnsigned(a[0], b[0]));
    List<byte[][]> out = new ArrayList<>();
    for (byte[][] r : sorted) {
      byte[][] last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && (last[1] == null || Arrays2.compareUnsigned(r[0], last[1]) <= 0)) {
        if (last[1] != null && (r[1] == null || Arrays2.compareUnsigned(r[1], last[1]) > 0)) {
          last[1] = r[1];
        }
      } else {
        out.add(new byte[][] {r[0], r[1]});
      }
    }
    return out;
  }

  /** Intersection of two normalized range lists. */
  private static List<byte[][]> intersect(List<byte[][]> a, List<byte[][]> b) {
    List<byte[][]> out = new ArrayList<>();
    for (byte[][] x : a) {
      for (byte[][] y : b) {
        byte[] start = Arrays2.compareUnsigned(x[0], y[0]) >= 0 ? x[0] : y[0];
        byte[] end = x[1] == null ? y[1] : y[1] == null ? x[1] : Arrays2.compareUnsigned(x[1], y[1]) <= 0 ? x[1] : y[1];
        out.add(new byte[][] {start, end});
      }
    }
    return normalize(out);
  }

  private static byte[] encodeOne(TableMetadata table, List<ByteBuffer> prefix, ByteBuffer value) {
    List<ByteBuffer> withValue = new ArrayList<>(prefix);
    withValue.add(value);
    byte[] all = KeyEncoder.clustering(table, withValue);
    byte[] p = KeyEncoder.clustering(table, prefix);
    return java.util.Arrays.copyOfRange(all, p.length, all.length);
  }

  private static void addSliceFilters(List<Filter> filters, ColumnMetadata c, Bound[] s) {
    if (s[0] != null) {
      filters.add(new Filter(c, s[0].inclusive() ? Operator.GTE : Operator.GT, List.of(s[0].value())));
    }
    if (s[1] != null) {
      filters.add(new Filter(c, s[1].inclusive() ? Operator.LTE : Operator.LT, List.of(s[1].value())));
    }
  }

  private static List<PartitionKey> partitionKeys(TableMetadata table, List<ColumnMetadata> pk, Map<String, ColumnValues> eqOrIn) {
    List<List<ByteBuffer>> perColumn = new ArrayList<>();
    for (ColumnMetadata c : pk) {
      perColumn.add(eqOrIn.get(c.name()).values());
    }
    List<PartitionKey> keys = new ArrayList<>();
    java.util.Set<PartitionKey> seen = new java.util.HashSet<>();
    for (List<ByteBuffer> combination : cartesian(perColumn)) {
      PartitionKey key = KeyEncoder.partitionKey(table, combination);
      if (seen.add(key)) {
        keys.add(key);
      }
    }
    keys.sort(Comparator.comparingLong(PartitionKey::token).thenComparing(PartitionKey::serialized, Arrays2::compareUnsigned));
    return keys;
  }

  static List<List<ByteBuffer>> cartesian(List<List<ByteBuffer>> lists) {
    List<List<ByteBuffer>> out = new ArrayList<>();
    out.add(List.of());
    for (List<ByteBuffer> options : lists) {
      List<List<ByteBuffer>> next = new ArrayList<>();
      for (List<ByteBuffer> partial : out) {
        for (ByteBuffer option : options) {
          List<ByteBuffer> extended = new ArrayList<>(partial);
          extended.add(option);
          next.add(extended);
        }
      }
      out = next;
      if (out.size() > 10_000) {
        throw MeridianException.invalid("IN restrictions select " + out.size() + " combinations; the limit is 10000");
      }
    }
    return out;
  }

  private static List<ByteBuffer> relationValues(ColumnMetadata column, Operator op, Term value, Terms terms) {
    List<ByteBuffer> values = new ArrayList<>();
    if (op == Operator.IN) {
      if (value instanceof BindMarker marker) {
        // IN ? binds the whole list at once (a list of the column's type, as in Cassandra).
        ListType listType = inListType(column);
        ByteBuffer list = nonNull(column, terms.evaluate(marker, listType, "in(" + column.name() + ")"));
        for (ByteBuffer element : listType.elements(list)) {
          values.add(element);
        }
        return values;
      }
      if (!(value instanceof Term.InValues in)) {
        throw MeridianException.invalid("Invalid IN restriction on " + column.name() + ": expected (value, ...) or a single bind marker");
      }
      for (Term t : in.values()) {
        values.add(nonNull(column, terms.evaluate(t, column.type(), column.name())));
      }
    } else if (op == Operator.CONTAINS || op == Operator.CONTAINS_KEY) {
      CqlType elementType = CollectionFilters.elementType(column, op == Operator.CONTAINS_KEY);
      values.add(nonNull(column, terms.evaluate(value, elementType, column.name())));
    } else {
      values.add(nonNull(column, terms.evaluate(value, column.type(), column.name())));
    }
    return values;
  }

  /** The type a single IN bind marker carries: a list of the column's values. */
  static ListType inListType(ColumnMetadata column) {
    return new ListType(column.type().freeze(), false);
  }

  private static ByteBuffer nonNull(ColumnMetadata column, ByteBuffer v) {
    if (v == null) {
      throw MeridianException.invalid("Invalid null value in condition for column " + column.name());
    }
    if (BoundValues.isUnset(v)) {
      throw MeridianException.invalid("Invalid unset value for column " + column.name());
    }
    return v;
  }

  private static List<ByteBuffer> tupleValues(List<ColumnMetadata> cols, Term tuple, Terms terms) {
    if (cols.size() == 1 && !(tuple instanceof Term.TupleLiteral)) {
      // "(c1) > (2)": a one-element tuple parses as a parenthesized value.
      return List.of(nonNull(cols.get(0), terms.evaluate(tuple, cols.get(0).type(), cols.get(0).name())));
    }
    if (!(tuple instanceof Term.TupleLiteral t) || t.elements().size() != cols.size()) {
      throw MeridianException.invalid("Expected a tuple of " + cols.size() + " values for the multi-column relation on "
          + cols.stream().map(ColumnMetadata::name).toList());
    }
    List<ByteBuffer> out = new ArrayList<>();
    for (int i = 0; i < cols.size(); i++) {
      out.add(nonNull(cols.get(i), terms.evaluate(t.elements().get(i), cols.get(i).type(), cols.get(i).name())));
    }
    return out;
  }

  private static List<ColumnMetadata> multiColumns(TableMetadata table, List<String> names) {
    List<ColumnMetadata> ck = table.clusteringColumns();
    List<ColumnMetadata> cols = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      ColumnMetadata c = column(table, names.get(i));
      if (c.kind() != ColumnMetadata.Kind.CLUSTERING) {
        throw MeridianException.invalid("Multi-column relations can only be applied to clustering columns but was applied to: " + c.name());
      }
      if (i >= ck.size() || !ck.get(i).name().equals(c.name())) {
        throw MeridianException.invalid("Clustering columns must appear in the PRIMARY KEY order in multi-column relations: "
            + String.join(", ", names));
      }
      cols.add(c);
    }
    return cols;
  }

  private static void checkTokenColumns(TableMetadata table, List<String> columns) {
    List<String> pk = table.partitionKey().stream().map(ColumnMetadata::name).toList();
    if (!pk.equals(columns)) {
      throw MeridianException.invalid("The token function arguments must be in the partition key order: "
          + String.join(", ", pk));
    }
  }

  private static boolean isText(ColumnMetadata column) {
    String type = column.type().cqlName();
    return type.equals("text") || type.equals("ascii") || type.equals("varchar");
  }

  static ColumnMetadata column(TableMetadata table, String name) {
    return table.column(name).orElseThrow(() ->
        MeridianException.invalid("Undefined column name " + name + " in table " + table.keyspace() + "." + table.name()));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
