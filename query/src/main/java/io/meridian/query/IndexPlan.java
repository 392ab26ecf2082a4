package io.meridian.query;

import io.meridian.cql.ast.Operator;
import io.meridian.index.SchemaIndexing;
import io.meridian.schema.ColumnMetadata;
import io.meridian.schema.TableMetadata;
import io.meridian.storage.IndexTerms;
import io.meridian.storage.StorageEngine;
import io.meridian.storage.TermRange;
import io.meridian.storage.TokenRange;
import io.meridian.types.CqlType;
import io.meridian.types.ListType;
import io.meridian.types.MapType;
import io.meridian.types.SetType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a SELECT that names no partition reads through an index: the restriction that drives the
 * read (its column's term ranges, walked in order), chosen among the restrictions on columns
 * whose index is complete. With several, each is counted up to {@link #COUNT_CAP} entries and the
 * fewest wins, so the most selective restriction drives; the others, and the driving one again,
 * are checked on every row read (that check also skips entries a later change made stale).
 */
record IndexPlan(ColumnMetadata column, String predicate, List<TermRange> ranges) {
  /** Entries counted per candidate restriction when choosing the most selective one. */
  static final int COUNT_CAP = 1_000;

  /** The plan for {@code where}, or null when no restriction can use an index (the caller scans). */
  static IndexPlan choose(StorageEngine storage, TableMetadata table, WhereClause where) {
    if (where.partitionKeys != null || where.filters.isEmpty()) {
      return null;
    }
    List<IndexPlan> candidates = candidates(storage, table, where);
    if (candidates.size() <= 1) {
      return candidates.isEmpty() ? null : candidates.get(0);
    }
    IndexPlan best = null;
    long bestCount = Long.MAX_VALUE;
    for (IndexPlan p : candidates) {
      long n = p.countUpTo(storage, table, where.tokenRange, bestCount == Long.MAX_VALUE ? COUNT_CAP : bestCount);
      if (n < bestCount) {
        best = p;
        bestCount = n;
      }
    }
    return best;
  }

  /**
   * For a query naming its partitions: the plan that finds each partition's rows through the
   * index, one seek per distinct term (the entries of a term are in token order, and the index
   * scan skips to the partition's token in each): exact values (=, IN, CONTAINS, CONTAINS KEY)
   * first, which need one seek per value; null when no restriction can (the partitions are read
   * and filtered).
   */
  static IndexPlan chooseWithinPartitions(StorageEngine storage, TableMetadata table, WhereClause where) {
    if (where.partitionKeys == null || where.filters.isEmpty()) {
      return null;
    }
    IndexPlan range = null;
    for (IndexPlan p : candidates(storage, table, where)) {
      if (!p.ranges().isEmpty() && p.ranges().stream().allMatch(IndexPlan::exact)) {
        return p;
      }
      if (range == null) {
        range = p;
      }
    }
    return range;
  }

  static boolean exact(TermRange r) {
    return r.low() != null && r.high() != null && r.lowInclusive() && r.highInclusive() && Arrays.equals(r.low(), r.high());
  }

  private static List<IndexPlan> candidates(StorageEngine storage, TableMetadata table, WhereClause where) {
    Set<String> ready = storage.readyIndexes(table.id());
    if (ready.isEmpty()) {
      return List.of();
    }
    Map<String, List<WhereClause.Filter>> byColumn = new LinkedHashMap<>();
    for (WhereClause.Filter f : where.filters) {
      // A field's entries belong to its column's index; each field is a candidate of its own.
      String indexed = f.field() != null ? f.field().udt().name() : f.column().name();
      if (ready.contains(indexed)) {
        byColumn.computeIfAbsent(f.column().name(), k -> new ArrayList<>()).add(f);
      }
    }
    List<IndexPlan> candidates = new ArrayList<>();
    for (List<WhereClause.Filter> filters : byColumn.values()) {
      IndexPlan p = forColumn(filters);
      if (p != null) {
        candidates.add(p);
      }
    }
    return candidates;
  }

  /** Entries of this plan, counted until {@code cap}. */
  long countUpTo(StorageEngine storage, TableMetadata table, TokenRange tokens, long cap) {
    long n = 0;
    if (tokens.start() >= tokens.end()) {
      return 0;
    }
    for (TermRange r : ranges) {
      try (StorageEngine.IndexIterator it = storage.indexScan(table.id(), r, tokens, null)) {
        while (n < cap && it.hasNext()) {
          it.next();
          n++;
        }
      }
      if (n >= cap) {
        break;
      }
    }
    return n;
  }

  /** The term ranges one column's restrictions select: equality first, then IN, CONTAINS, a range. */
  private static IndexPlan forColumn(List<WhereClause.Filter> filters) {
    ColumnMetadata column = filters.get(0).column();
    CqlType type = column.type();
    String name = column.name();
    WhereClause.UdtField field = filters.get(0).field();
    if (!SchemaIndexing.indexable(field != null ? field.udt() : column)) {
      return null;
    }
    if (field != null || !type.isMultiCell()) {
      byte[] prefix = field != null ? IndexTerms.fieldPrefix(field.udt().name(), field.position())
          : IndexTerms.partPrefix(name, IndexTerms.PART_VALUE);
      for (WhereClause.Filter f : filters) {
        if (f.op() == Operator.EQ && f.values().get(0) != null) {
          return new IndexPlan(column, name + " = ?", List.of(TermRange.exactly(prefix, comparable(type, f.values().get(0)))));
        }
      }
      for (WhereClause.Filter f : filters) {
        if (f.op() == Operator.IN) {
          TreeSet<byte[]> terms = new TreeSet<>(Arrays::compareUnsigned);
          for (ByteBuffer v : f.values()) {
            if (v != null) {
              terms.add(comparable(type, v));
            }
          }
          List<TermRange> ranges = new ArrayList<>();
          terms.forEach(t -> ranges.add(TermRange.exactly(prefix, t)));
          return new IndexPlan(column, name + " IN (...)", ranges);
        }
      }
      return range(column, prefix, filters);
    }
    for (WhereClause.Filter f : filters) {
      ByteBuffer v = f.values().isEmpty() ? null : f.values().get(0);
      if (v == null) {
        continue;
      }
      if (f.op() == Operator.CONTAINS) {
        CqlType element = type instanceof SetType s ? s.elementType()
            : type instanceof ListType l ? l.elementType()
            : type instanceof MapType m ? m.valueType() : null;
        if (element != null) {
          return new IndexPlan(column, name + " CONTAINS ?", List.of(
              TermRange.exactly(IndexTerms.partPrefix(name, IndexTerms.PART_ELEMENT), comparable(element, v))));
        }
      }
      if (f.op() == Operator.CONTAINS_KEY && type instanceof MapType m) {
        return new IndexPlan(column, name + " CONTAINS KEY ?", List.of(
            TermRange.exactly(IndexTerms.partPrefix(name, IndexTerms.PART_KEY), comparable(m.keyType(), v))));
      }
    }
    return null;
  }

  /** <, <=, >, >= on one column, combined into the tightest range; null when there are none. */
  private static IndexPlan range(ColumnMetadata column, byte[] prefix, List<WhereClause.Filter> filters) {
    byte[] low = null;
    boolean lowInclusive = true;
    byte[] high = null;
    boolean highInclusive = true;
    for (WhereClause.Filter f : filters) {
      if (f.values().isEmpty() || f.values().get(0) == null) {
        continue;
      }
      byte[] v;
      switch (f.op()) {
        case GT, GTE -> {
          v = comparable(column.type(), f.values().get(0));
          boolean inclusive = f.op() == Operator.GTE;
          int c = low == null ? 1 : Arrays.compareUnsigned(v, low);
          if (c > 0 || (c == 0 && !inclusive)) {
            low = v;
            lowInclusive = inclusive;
          }
        }
        case LT, LTE -> {
          v = comparable(column.type(), f.values().get(0));
          boolean inclusive = f.op() == Operator.LTE;
          int c = high == null ? -1 : Arrays.compareUnsigned(v, high);
          if (c < 0 || (c == 0 && !inclusive)) {
            high = v;
            highInclusive = inclusive;
          }
        }
        default -> { }
      }
    }
    if (low == null && high == null) {
      return null;
    }
    if (low != null && high != null) {
      int c = Arrays.compareUnsigned(low, high);
      if (c > 0 || (c == 0 && !(lowInclusive && highInclusive))) {
        return new IndexPlan(column, column.name() + " in an empty range", List.of());
      }
    }
    return new IndexPlan(column, column.name() + " in a range", List.of(new TermRange(prefix, low, lowInclusive, high, highInclusive)));
  }

  private static byte[] comparable(CqlType type, ByteBuffer value) {
    return SchemaIndexing.comparable(type, value);
  }
}
