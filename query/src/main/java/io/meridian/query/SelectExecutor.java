package io.meridian.query;

import com.datastax.oss.protocol.internal.response.result.DefaultRows;
import com.datastax.oss.protocol.internal.response.result.Rows;
import com.datastax.oss.protocol.internal.response.result.RowsMetadata;
import io.meridian.common.MeridianException;
import io.meridian.cql.ast.Ordering;
import io.meridian.cql.ast.Select;
import io.meridian.schema.ColumnMetadata;
import io.meridian.schema.ClusteringOrder;
import io.meridian.schema.TableMetadata;
import io.meridian.storage.IndexHit;
import io.meridian.storage.IndexNotReadyException;
import io.meridian.storage.PartitionData;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.ReadConsistency;
import io.meridian.storage.ReadRange;
import io.meridian.storage.StorageEngine;
import io.meridian.storage.StoredRow;
import io.meridian.storage.TokenRange;
import io.meridian.types.CqlTypes;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Executes a SELECT on a user table: picks partitions (by key or by token range), reads clustering
 * ranges in the requested order, filters, applies PER PARTITION LIMIT and LIMIT, projects, and
 * pages with a self-contained paging state.
 */
final class SelectExecutor {
  static final String FILTERING_MESSAGE = "Cannot execute this query as it might involve data filtering and thus may have "
      + "unpredictable performance. If you want to execute this query despite the performance unpredictability, "
      + "use ALLOW FILTERING";

  private final StorageEngine storage;

  SelectExecutor(StorageEngine storage) {
    this.storage = storage;
  }

  /** Query-time parameters of one execution. */
  record Page(int pageSize, ByteBuffer pagingState, int fingerprint, boolean skipMetadata, byte[] resultMetadataId,
              ReadConsistency consistency) {}

  /**
   * Runs the query and gives one page of rows. A query reading partitions by key (the most common
   * read: one partition, or an IN list) does not hold the calling thread while the storage answers:
   * it starts every read at once, and the rows are collected on the thread that completes the last.
   * Other queries (scans, index reads) run on the calling thread.
   */
  CompletableFuture<Rows> execute(TableMetadata table, Select select, Selection selection, Terms terms, Page page,
                                  int nowSeconds) {
    CompletableFuture<Rows> rows;
    try {
      rows = execute(table, select, selection, terms, page, nowSeconds, true);
    } catch (IndexNotReadyException e) {
      rows = CompletableFuture.failedFuture(e);
    }
    RequestContext context = RequestContext.current();
    return rows.exceptionallyCompose(error -> {
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (!(cause instanceof IndexNotReadyException) || page.pagingState() != null) {
        // Later pages continue in index order, which only the index gives.
        return CompletableFuture.failedFuture(cause);
      }
      return RequestContext.runIn(context, () -> {
        RequestContext.trace("An index is being built on a replica; reading without indexes");
        return execute(table, select, selection, terms, page, nowSeconds, false);
      });
    });
  }

  private CompletableFuture<Rows> execute(TableMetadata table, Select select, Selection selection, Terms terms, Page page,
                                          int nowSeconds, boolean useIndexes) {
    PageRead read = new PageRead(table, select, selection, terms, page, nowSeconds, useIndexes);
    Source source = read.open();
    CompletableFuture<Void> ready;
    try {
      source.rowLimit = read.rowLimit(read.remaining, 0);
      ready = source.readAhead();
    } catch (RuntimeException e) {
      source.close();
      throw e;
    }
    RequestContext context = RequestContext.current();
    return ready.handle((v, error) -> {
      if (error != null) {
        source.close();
        throw error instanceof CompletionException ce ? ce : new CompletionException(error);
      }
      return RequestContext.runIn(context, () -> read.collect(source));
    });
  }

  /** One execution of a query: its plan, made when created, and the page it collects from a source. */
  private final class PageRead {
    private final TableMetadata table;
    private final Select select;
    private final Selection selection;
    private final Terms terms;
    private final Page page;
    private final int nowSeconds;
    private final WhereClause where;
    private final boolean reversed;
    private final PagingState resume;
    private final IndexPlan indexPlan;
    private final IndexPlan partitionPlan;
    private final boolean grouping;
    /** LIMIT on rows (unlimited when the rows are folded), and on groups. */
    private final int limit;
    private final int groupLimit;
    private final int perPartitionLimit;
    private final int groupsPerPartitionLimit;
    private final int pageSize;
    private final int groupPageSize;
    private final boolean sortAcrossPartitions;
    /** Rows this page may still return when it starts. */
    private final int remaining;

    PageRead(TableMetadata table, Select select, Selection selection, Terms terms, Page page, int nowSeconds,
             boolean useIndexes) {
      this.table = table;
      this.select = select;
      this.selection = selection;
      this.terms = terms;
      this.page = page;
      this.nowSeconds = nowSeconds;
      where = WhereClause.analyze(table, select.where(), terms);
      if (!select.allowFiltering()) {
        IndexedRestrictions.checkWithoutFiltering(table, where);
      }
      reversed = reversed(table, select, where);
      resume = page.pagingState() == null ? null : PagingState.decode(page.pagingState(), page.fingerprint());
      // A query goes on the way its first page read: a scan's paging state resumes a scan even if an
      // index became ready since, and an index's resumes only through that index.
      boolean resumingScan = resume != null && resume.indexTerm() == null;
      indexPlan = select.distinct() || !useIndexes || resumingScan ? null : IndexPlan.choose(storage, table, where);
      if (resume != null && resume.indexTerm() != null && indexPlan == null) {
        throw MeridianException.invalid("The index this query was paging through is not available any more (being "
            + "rebuilt, or its column left the indexing policy); run the query again from its first page");
      }
      partitionPlan = select.distinct() || !useIndexes ? null : IndexPlan.chooseWithinPartitions(storage, table, where);
      if (RequestContext.tracing()) {
        RequestContext.trace(readPlan(table, where, indexPlan != null ? indexPlan : partitionPlan, page.pagingState() != null));
      }
      int limit = limit(select.limit(), terms, "[limit]", "LIMIT");
      int perPartitionLimit = limit(select.perPartitionLimit(), terms, "[per_partition_limit]", "PER PARTITION LIMIT");
      if (select.distinct()) {
        perPartitionLimit = 1;
      }
      // Aggregates fold the input into one row (or one per group), and LIMIT counts result rows
      // (groups), not the rows read. With GROUP BY a page holds at most page-size groups, as in
      // Cassandra; without it the single result row needs no paging.
      grouping = !selection.groupBy.isEmpty();
      pageSize = selection.folds() || page.pageSize() <= 0 ? Integer.MAX_VALUE : page.pageSize();
      groupPageSize = grouping && page.pageSize() > 0 ? page.pageSize() : Integer.MAX_VALUE;
      // A grouped paging state counts groups.
      groupLimit = grouping && resume != null ? resume.remainingLimit() : limit;
      groupsPerPartitionLimit = perPartitionLimit;
      this.limit = selection.folds() ? Integer.MAX_VALUE : limit;
      this.perPartitionLimit = grouping ? Integer.MAX_VALUE : perPartitionLimit;

      // IN on several partitions with ORDER BY: rows are sorted across partitions in memory, which
      // cannot be paged (as in Cassandra), and LIMIT applies after the sort.
      sortAcrossPartitions = !select.orderings().isEmpty() && where.partitionKeys != null
          && where.partitionKeys.size() > 1 && !selection.folds();
      if (sortAcrossPartitions && page.pageSize() > 0) {
        throw MeridianException.invalid("Cannot page queries with both ORDER BY and a IN restriction on the partition key; "
            + "you must either remove the ORDER BY or the IN and sort client side, or disable paging for this query");
      }
      remaining = sortAcrossPartitions || grouping ? Integer.MAX_VALUE : resume == null ? this.limit : resume.remainingLimit();
    }

    Source open() {
      return indexPlan != null ? new IndexSource(table, where, indexPlan, resume, nowSeconds, page.consistency())
          : new PartitionSource(table, where, resume, reversed, select.distinct(), nowSeconds, page.consistency(),
              partitionPlan);
    }

    /** Without filtering, no partition can contribute more rows than this: it is pushed down to storage. */
    int rowLimit(int remaining, int emitted) {
      return where.needsFiltering() ? Integer.MAX_VALUE : Math.min(remaining, Math.min(perPartitionLimit, pageSize - emitted));
    }

    /** Reads the page's rows from {@code source}, and closes it. */
    Rows collect(Source source) {
      int partitionsRead = 0;
      int rowsRead = 0;
      int remaining = this.remaining;
      int groupLimit = this.groupLimit;
      List<SortableRow> sortable = sortAcrossPartitions ? new ArrayList<>() : null;
      Queue<List<ByteBuffer>> out = new ArrayDeque<>();
      Aggregator aggregator = selection.folds() ? new Aggregator(selection, terms) : null;
      List<ByteBuffer> groupKey = null;
      int groups = 0;
      int groupsInPartition = 0;
      PagingState next = null;
      int emitted = 0;
      // The last row added to a group: a grouped page ends after it, so the next page starts with
      // the first row of the next group.
      PartitionKey lastKey = null;
      byte[] lastClustering = null;

      try (source) {
        while (remaining > 0) {
          source.rowLimit = rowLimit(remaining, emitted);
          if (!source.hasNext()) {
            break;
          }
          Next p = source.next();
          partitionsRead++;
          int inPartition = p.resumed ? resume.remainingInPartition() : perPartitionLimit;
          List<ByteBuffer> pkValues = KeyEncoder.splitPartitionKey(table, p.data.key().serialized());
          List<StoredRow> rows = p.data.rows();
          boolean staticOnly = rows.isEmpty() && p.data.staticRow() != null && !where.clusteringRestricted && !p.resumed;
          if (staticOnly || select.distinct()) {
            rows = java.util.Collections.singletonList(null);
          }
          groupsInPartition = grouping && p.resumed ? groupsPerPartitionLimit - resume.remainingInPartition() : 0;
          if (grouping && p.resumed) {
            inPartition = Integer.MAX_VALUE;
          }
          for (StoredRow row : rows) {
            if (inPartition <= 0 || remaining <= 0) {
              break;
            }
            RowView view = new RowView(table, p.data, pkValues, row, nowSeconds);
            rowsRead++;
            // A row held only by a whole-collection deletion marker does not exist for CQL.
            if (!view.hasLiveContent() || !passes(where, view)) {
              continue;
            }
            if (grouping) {
              List<ByteBuffer> key = groupKey(selection, view);
              if (!key.equals(groupKey)) {
                if (groupsInPartition >= groupsPerPartitionLimit || groups >= groupLimit) {
                  // This group would exceed PER PARTITION LIMIT (skip the partition) or LIMIT (stop).
                  if (groups >= groupLimit) {
                    remaining = 0;
                  }
                  break;
                }
                if (groupKey != null) {
                  out.add(aggregator.result());
                  aggregator = new Aggregator(selection, terms);
                  if (out.size() >= groupPageSize) {
                    boolean samePartition = Arrays.equals(lastKey.serialized(), p.data.key().serialized());
                    // A new partition means the previous one is finished (or cut by PER PARTITION LIMIT).
                    next = source.position(new PagingState(page.fingerprint(), lastKey.token(), lastKey.serialized(),
                        samePartition ? lastClustering : null, groupLimit - groups,
                        samePartition ? groupsPerPartitionLimit - groupsInPartition : groupsPerPartitionLimit), p, lastClustering);
                    groupKey = null; // the page is complete: nothing more to add
                    break;
                  }
                }
                groupKey = key;
                groups++;
                groupsInPartition++;
              }
            }
            if (aggregator != null) {
              aggregator.add(view);
              lastKey = p.data.key();
              lastClustering = row == null ? null : row.clustering();
            } else if (sortable != null) {
              sortable.add(new SortableRow(row == null ? new byte[0] : row.clustering(), selection.project(view, terms)));
            } else {
              out.add(selection.project(view, terms));
            }
            inPartition--;
            remaining--;
            emitted++;
            if (emitted >= pageSize && remaining > 0) {
              boolean partitionDone = row == null || inPartition <= 0;
              next = source.position(new PagingState(page.fingerprint(), p.data.key().token(), p.data.key().serialized(),
                  partitionDone ? null : row.clustering(), remaining, inPartition), p, row == null ? null : row.clustering());
              break;
            }
          }
          if (next != null) {
            break;
          }
        }
      }
      // Without GROUP BY an aggregate always gives one row; with it, one row per group seen.
      if (aggregator != null && (!grouping || groupKey != null)) {
        out.add(aggregator.result());
      }
      if (sortable != null) {
        // Stable: rows with equal clustering keep their partitions' ring order.
        Comparator<SortableRow> byClustering = (a, b) -> Arrays.compareUnsigned(a.clustering(), b.clustering());
        sortable.sort(reversed ? byClustering.reversed() : byClustering);
        sortable.stream().limit(limit).forEach(r -> out.add(r.values()));
      }
      if (RequestContext.tracing()) {
        RequestContext.trace("Read " + TraceEvents.count(rowsRead, "row") + " from " + TraceEvents.count(partitionsRead, "partition")
            + "; returning " + TraceEvents.count(out.size(), "row") + (next == null ? "" : ", more pages follow"));
      }
      RowsMetadata metadata = page.skipMetadata()
          ? new RowsMetadata(selection.outputs.size(), next == null ? null : next.encode(), null, null)
          : new RowsMetadata(selection.specs(table), next == null ? null : next.encode(), null, null);
      return new DefaultRows(metadata, out);
    }
  }

  /** The trace event saying how the partitions of a read are found. */
  private static String readPlan(TableMetadata table, WhereClause where, IndexPlan index, boolean resumed) {
    String name = table.keyspace() + "." + table.name();
    String plan;
    if (index != null && where.partitionKeys != null) {
      plan = "Reading " + TraceEvents.count(where.partitionKeys.size(), "partition") + " of " + name + " through the index of "
          + index.column().name() + " (" + index.predicate() + ")";
    } else if (index != null) {
      plan = "Reading " + name + " through the index of " + index.column().name() + " (" + index.predicate() + ")";
    } else if (where.partitionKeys != null) {
      plan = where.partitionKeys.size() == 1 ? "Executing single-partition query on " + name
          : "Executing multi-partition query on " + name + " (" + where.partitionKeys.size() + " partitions by key)";
    } else if (!where.tokenRange.equals(TokenRange.FULL)) {
      plan = "Scanning token range (" + where.tokenRange.start() + ", " + where.tokenRange.end() + "] of " + name;
    } else {
      plan = "Scanning all partitions of " + name + " in token order";
    }
    if (!where.filters.isEmpty()) {
      plan += ", filtering rows on " + TraceEvents.count(where.filters.size(), "restriction");
    }
    return resumed ? plan + ", resuming from a paging state" : plan;
  }

  private record SortableRow(byte[] clustering, List<ByteBuffer> values) {}

  /** The values of the GROUP BY columns of a row; rows of one group are adjacent in read order. */
  private static List<ByteBuffer> groupKey(Selection selection, RowView view) {
    List<ByteBuffer> key = new ArrayList<>(selection.groupBy.size());
    for (ColumnMetadata c : selection.groupBy) {
      key.add(view.value(c));
    }
    return key;
  }

  /** LIMIT or PER PARTITION LIMIT: absent, or bound to unset (v4+), means none, as in Cassandra. */
  private static int limit(io.meridian.cql.ast.Term term, Terms terms, String marker, String what) {
    if (term == null || BoundValues.isUnset(terms.evaluate(term, CqlTypes.INT, marker))) {
      return Integer.MAX_VALUE;
    }
    return positive(terms.evaluateInt(term, marker), what);
  }

  private static int positive(int v, String what) {
    if (v <= 0) {
      throw MeridianException.invalid(what + " must be strictly positive");
    }
    return v;
  }

  private static boolean passes(WhereClause where, RowView view) {
    for (WhereClause.Filter f : where.filters) {
      if (!f.test(f.valueIn(view))) {
        return false;
      }
    }
    return true;
  }

  /** ORDER BY must follow the clustering order or its exact reverse. */
  private static boolean reversed(TableMetadata table, Select select, WhereClause where) {
    if (select.orderings().isEmpty()) {
      return false;
    }
    if (where.partitionKeys == null) {
      throw MeridianException.invalid("ORDER BY is only supported when the partition key is restricted by an EQ or an IN.");
    }
    Boolean reversed = null;
    for (int i = 0; i < select.orderings().size(); i++) {
      Ordering o = select.orderings().get(i);
      ColumnMetadata c = WhereClause.column(table, o.column());
      if (c.kind() != ColumnMetadata.Kind.CLUSTERING) {
        throw MeridianException.invalid("Order by is currently only supported on the clustered columns of the PRIMARY KEY, got " + c.name());
      }
      if (c.position() != i) {
        throw MeridianException.invalid("Order by currently only supports the ordering of columns following their declared order in the PRIMARY KEY");
      }
      boolean columnDesc = c.order() == ClusteringOrder.DESC;
      boolean r = o.descending() != columnDesc;
      if (reversed != null && reversed != r) {
        throw MeridianException.invalid("Unsupported order by relation");
      }
      reversed = r;
    }
    return Boolean.TRUE.equals(reversed);
  }

  /** One partition's rows as a source yields them; {@code resumed} when it continues the paging state's partition. */
  record Next(PartitionData data, boolean resumed, IndexHit hit) {
    Next(PartitionData data, boolean resumed) {
      this(data, resumed, null);
    }
  }

  /** Where the rows of a query come from, in the order they are returned. */
  private abstract static class Source implements AutoCloseable {
    /** Most rows the caller can use from the next partition read. */
    int rowLimit = Integer.MAX_VALUE;
    private Next buffered;

    /** The next partition of rows, or null when there are no more. */
    abstract Next advance();

    final boolean hasNext() {
      if (buffered == null) {
        buffered = advance();
      }
      return buffered != null;
    }

    final Next next() {
      hasNext();
      Next n = buffered;
      buffered = null;
      return n;
    }

    /**
     * Starts reading the first partition when the source can do it without holding the calling
     * thread; complete when the source is ready to be advanced.
     */
    CompletableFuture<Void> readAhead() {
      return CompletableFuture.completedFuture(null);
    }

    /** The paging state to resume after {@code row} of {@code p}; a source may add its own position. */
    PagingState position(PagingState state, Next p, byte[] row) {
      return state;
    }

    @Override
    public abstract void close();
  }

  /**
   * The partitions a query visits, in ring order, each read with the query's clustering ranges,
   * starting from a paging state if there is one.
   */
  private final class PartitionSource extends Source {
    /** Most partitions of an IN list read at once; the partitions of a longer list are read one by one. */
    static final int READ_AHEAD_PARTITIONS_MAX = 100;

    private final TableMetadata table;
    private final WhereClause where;
    private final PagingState resume;
    private final boolean reversed;
    private final boolean distinct;
    private final int nowSeconds;
    private final ReadConsistency consistency;
    private final boolean hasStatics;
    /** Exact terms finding the rows of each named partition; null to read the partitions' ranges. */
    private final IndexPlan partitionPlan;
    private int keyIndex;
    private StorageEngine.PartitionIterator scan;
    private boolean resumePending;
    /** The partitions {@link #readAhead} read, from key {@link #readAheadFrom} on (null if none was read ahead). */
    private List<CompletableFuture<Optional<PartitionData>>> readAhead;
    private int readAheadFrom;

    PartitionSource(TableMetadata table, WhereClause where, PagingState resume, boolean reversed, boolean distinct,
                    int nowSeconds, ReadConsistency consistency, IndexPlan partitionPlan) {
      this.table = table;
      this.partitionPlan = partitionPlan;
      this.consistency = consistency;
      this.where = where;
      this.resume = resume;
      this.reversed = reversed;
      this.distinct = distinct;
      this.nowSeconds = nowSeconds;
      this.resumePending = resume != null && resume.clustering() != null;
      this.hasStatics = !table.staticColumns().isEmpty();
      if (where.partitionKeys != null) {
        // Skip partitions already returned.
        while (resume != null && keyIndex < where.partitionKeys.size()
            && compare(where.partitionKeys.get(keyIndex), resume) < (resume.clustering() == null ? 1 : 0)) {
          keyIndex++;
        }
      }
    }

    @Override
    Next advance() {
      if (where.partitionKeys != null) {
        while (keyIndex < where.partitionKeys.size()) {
          int at = keyIndex++;
          PartitionKey key = where.partitionKeys.get(at);
          boolean resumed = resumes(key);
          resumePending = false;
          Optional<PartitionData> data = readAhead != null
              ? readAhead.get(at - readAheadFrom).join() // complete: the page is collected once all are
              : read(key, resumed ? resume.clustering() : null);
          if (data.isPresent()) {
            return new Next(data.get(), resumed);
          }
        }
        return null;
      }
      if (resumePending) {
        resumePending = false;
        PartitionKey key = new PartitionKey(resume.token(), resume.partitionKey());
        Optional<PartitionData> data = read(key, resume.clustering());
        if (data.isPresent() && !data.get().rows().isEmpty()) {
          return new Next(data.get(), true);
        }
      }
      if (scan == null) {
        PartitionKey after = resume == null ? null : new PartitionKey(resume.token(), resume.partitionKey());
        TokenRange range = where.tokenRange;
        if (range.start() >= range.end()) {
          return null;
        }
        scan = storage.scan(table.id(), range, after, scanRange(), nowSeconds, consistency);
      }
      while (scan.hasNext()) {
        PartitionData data = scan.next();
        if (!data.rows().isEmpty() || data.staticRow() != null) {
          return new Next(data, false);
        }
      }
      return null;
    }

    /**
     * A query of partitions by key (one, or an IN list of up to {@link #READ_AHEAD_PARTITIONS_MAX}),
     * reading one clustering range of each and not through an index, reads them all at once and
     * asynchronously: that is all it reads. Each read asks for the rows the first partition may
     * use, at least as many as any later one may.
     */
    @Override
    CompletableFuture<Void> readAhead() {
      int left = where.partitionKeys == null ? 0 : where.partitionKeys.size() - keyIndex;
      if (left == 0 || left > READ_AHEAD_PARTITIONS_MAX || partitionPlan != null || where.clusteringRanges.size() != 1) {
        return super.readAhead();
      }
      List<CompletableFuture<Optional<PartitionData>>> reads = new ArrayList<>(left);
      for (int i = keyIndex; i < where.partitionKeys.size(); i++) {
        PartitionKey key = where.partitionKeys.get(i);
        ReadRange slice = slice(where.clusteringRanges.get(0), i == keyIndex && resumes(key) ? resume.clustering() : null,
            hasStatics);
        reads.add(slice == null ? CompletableFuture.completedFuture(Optional.empty()) // nothing left of it
            : storage.readPartitionAsync(table.id(), key, slice, nowSeconds, consistency));
      }
      readAhead = reads;
      readAheadFrom = keyIndex;
      return CompletableFuture.allOf(reads.toArray(new CompletableFuture<?>[0]));
    }

    /** Whether {@code key}, the next partition read, is the one the paging state stopped inside. */
    private boolean resumes(PartitionKey key) {
      return resumePending && key.token() == resume.token() && Arrays.equals(key.serialized(), resume.partitionKey());
    }

    private ReadRange scanRange() {
      return new ReadRange(new byte[0], null, reversed, distinct ? 1 : rowLimit, hasStatics);
    }

    /** Reads one partition's clustering ranges (after {@code afterClustering} when resuming). */
    private Optional<PartitionData> read(PartitionKey key, byte[] afterClustering) {
      if (partitionPlan != null) {
        Optional<PartitionData> found = readThroughIndex(key, afterClustering);
        if (found != null) {
          return found;
        }
      }
      List<byte[][]> ranges = new ArrayList<>(where.clusteringRanges);
      if (reversed) {
        java.util.Collections.reverse(ranges);
      }
      PartitionData first = null;
      List<StoredRow> rows = new ArrayList<>();
      for (byte[][] r : ranges) {
        // The static row costs a lookup; only tables with static columns have one.
        ReadRange slice = slice(r, afterClustering, first == null && hasStatics);
        if (slice == null) {
          continue;
        }
        Optional<PartitionData> d = storage.readPartition(table.id(), key, slice, nowSeconds, consistency);
        if (d.isPresent()) {
          if (first == null) {
            first = d.get();
          }
          rows.addAll(d.get().rows());
        }
      }
      if (first == null) {
        return Optional.empty();
      }
      return Optional.of(new PartitionData(first.key(), first.staticRow(), rows));
    }

    /** The read of clustering range {@code r} (after {@code afterClustering} when resuming); null if nothing is left of it. */
    private ReadRange slice(byte[][] r, byte[] afterClustering, boolean includeStatic) {
      byte[] start = r[0];
      byte[] end = r[1];
      if (afterClustering != null) {
        if (!reversed) {
          byte[] after = Arrays.copyOf(afterClustering, afterClustering.length + 1); // smallest key > afterClustering
          start = Arrays2.compareUnsigned(after, start) > 0 ? after : start;
        } else {
          end = Arrays2.compareUnsigned(afterClustering, end) < 0 ? afterClustering : end;
        }
        if (end != null && Arrays2.compareUnsigned(start, end) >= 0) {
          return null;
        }
      }
      return new ReadRange(start, end, reversed, distinct ? 1 : rowLimit, includeStatic);
    }

    /**
     * The partition's rows that have an entry of the plan's terms, in the read's order, within the
     * clustering ranges and after {@code afterClustering}; null when an entry is the static row's
     * (every row of the partition then qualifies, and the ranges are read instead).
     */
    private Optional<PartitionData> readThroughIndex(PartitionKey key, byte[] afterClustering) {
      java.util.TreeSet<byte[]> clusterings = new java.util.TreeSet<>(reversed
          ? (a, b) -> Arrays.compareUnsigned(b, a) : Arrays::compareUnsigned);
      // Entries of one term are in token order, so a one-token range seeks straight to the partition.
      TokenRange tokens = new TokenRange(key.token() - 1, key.token());
      for (io.meridian.storage.TermRange r : partitionPlan.ranges()) {
        try (StorageEngine.IndexIterator it = storage.indexScan(table.id(), r, tokens, null, consistency)) {
          while (it.hasNext()) {
            IndexHit h = it.next();
            if (!Arrays.equals(h.key().serialized(), key.serialized())) {
              continue; // another partition with the same token
            }
            if (h.clustering().length == 0) {
              return null;
            }
            if (inRanges(h.clustering()) && (afterClustering == null
                || (reversed ? Arrays.compareUnsigned(h.clustering(), afterClustering) < 0
                    : Arrays.compareUnsigned(h.clustering(), afterClustering) > 0))) {
              clusterings.add(h.clustering());
            }
          }
        }
      }
      StoredRow staticRow = null;
      List<StoredRow> rows = new ArrayList<>();
      for (byte[] clustering : clusterings) {
        byte[] end = Arrays.copyOf(clustering, clustering.length + 1);
        Optional<PartitionData> d = storage.readPartition(table.id(), key,
            new ReadRange(clustering, end, false, 1, hasStatics && staticRow == null), nowSeconds, consistency);
        if (d.isPresent()) {
          if (d.get().staticRow() != null) {
            staticRow = d.get().staticRow();
          }
          rows.addAll(d.get().rows());
        }
      }
      return rows.isEmpty() ? Optional.empty() : Optional.of(new PartitionData(key, staticRow, rows));
    }

    private boolean inRanges(byte[] clustering) {
      for (byte[][] r : where.clusteringRanges) {
        if (Arrays2.compareUnsigned(clustering, r[0]) >= 0 && (r[1] == null || Arrays2.compareUnsigned(clustering, r[1]) < 0)) {
          return true;
        }
      }
      return false;
    }

    private int compare(PartitionKey key, PagingState state) {
      int c = Long.compare(key.token(), state.token());
      return c != 0 ? c : Arrays2.compareUnsigned(key.serialized(), state.partitionKey());
    }

    @Override
    public void close() {
      if (scan != null) {
        scan.close();
      }
    }
  }

  /**
   * The rows an index plan finds, in (term, token, partition key, clustering) order: each run of
   * entries of one term in one partition becomes one partition of rows, each row read at once.
   * An entry of the static row (a restriction on a static column) stands for all the partition's
   * rows. Entries whose row is gone are skipped here; rows that changed are checked by the caller.
   */
  private final class IndexSource extends Source {
    private final TableMetadata table;
    private final IndexPlan plan;
    private final int nowSeconds;
    private final ReadConsistency consistency;
    private final boolean hasStatics;
    private final PagingState resume;
    private final TokenRange tokens;
    private int rangeIndex;
    private IndexHit after;
    private StorageEngine.IndexIterator entries;
    private IndexHit pending;
    private boolean resumePending;
    /** The rest of a partition found by its static row when the last page stopped inside it; read once. */
    private Next resumedStatic;
    private boolean resumedStaticDone;

    IndexSource(TableMetadata table, WhereClause where, IndexPlan plan, PagingState resume, int nowSeconds,
                ReadConsistency consistency) {
      this.table = table;
      this.plan = plan;
      this.nowSeconds = nowSeconds;
      this.consistency = consistency;
      this.hasStatics = !table.staticColumns().isEmpty();
      this.resume = resume;
      TokenRange tokens = where.tokenRange;
      if (tokens.start() >= tokens.end()) {
        rangeIndex = plan.ranges().size(); // an empty token range: nothing to read
      }
      this.tokens = tokens;
      if (resume != null) {
        if (resume.indexTerm() == null) {
          throw MeridianException.protocol("Invalid value for the paging state: it was not made by an index read");
        }
        PartitionKey key = new PartitionKey(resume.token(), resume.partitionKey());
        after = new IndexHit(resume.indexTerm(), key, resume.indexClustering());
        // Skip the ranges wholly before the entry the last page stopped at.
        while (rangeIndex < plan.ranges().size() && before(plan.ranges().get(rangeIndex), resume.indexTerm())) {
          rangeIndex++;
        }
        resumePending = true;
      }
    }

    /** True when every term of {@code r} sorts before {@code term}. */
    private static boolean before(io.meridian.storage.TermRange r, byte[] term) {
      if (r.high() == null) {
        return false;
      }
      byte[] high = io.meridian.storage.IndexTerms.join(r.prefix(), r.high());
      int c = Arrays.compareUnsigned(high, term);
      return c < 0;
    }


    /** The rest of a partition found by its static row, when the last page stopped inside it. */
    private Next resumeStaticPartition() {
      if (resumedStaticDone) {
        return resumedStatic;
      }
      resumedStaticDone = true;
      if (resume.indexClustering().length == 0 && resume.clustering() != null) {
        PartitionKey key = new PartitionKey(resume.token(), resume.partitionKey());
        byte[] from = Arrays.copyOf(resume.clustering(), resume.clustering().length + 1);
        Optional<PartitionData> d = storage.readPartition(table.id(), key,
            new ReadRange(from, null, false, Integer.MAX_VALUE, true), nowSeconds, consistency);
        if (d.isPresent() && !d.get().rows().isEmpty()) {
          resumedStatic = new Next(d.get(), true, after);
        }
      }
      return resumedStatic;
    }

    private IndexHit peek() {
      while (pending == null) {
        if (entries == null) {
          if (rangeIndex >= plan.ranges().size()) {
            return null;
          }
          entries = storage.indexScan(table.id(), plan.ranges().get(rangeIndex++), tokens, after, consistency);
        }
        if (entries.hasNext()) {
          pending = entries.next();
        } else {
          entries.close();
          entries = null;
        }
      }
      return pending;
    }

    /** Entries whose rows are gone are skipped. */
    @Override
    Next advance() {
      if (resumePending) {
        resumePending = false;
        Next n = resumeStaticPartition();
        if (n != null) {
          return n;
        }
      }
      while (peek() != null) {
        IndexHit first = pending;
        pending = null;
        after = first;
        if (first.clustering().length == 0) {
          // A static row's entry: every row of the partition, with its static row.
          Optional<PartitionData> d = storage.readPartition(table.id(), first.key(), ReadRange.all(), nowSeconds, consistency);
          if (d.isPresent()) {
            return new Next(d.get(), false, first);
          }
          continue;
        }
        boolean resumed = resume != null && first.key().token() == resume.token()
            && Arrays.equals(first.key().serialized(), resume.partitionKey()) && Arrays.equals(first.term(), resume.indexTerm());
        List<StoredRow> rows = new ArrayList<>();
        StoredRow staticRow = null;
        IndexHit last = first;
        for (IndexHit h = first; h != null; h = sameRun(first)) {
          last = h;
          after = h;
          byte[] end = Arrays.copyOf(h.clustering(), h.clustering().length + 1);
          Optional<PartitionData> d = storage.readPartition(table.id(), h.key(),
              new ReadRange(h.clustering(), end, false, 1, hasStatics && staticRow == null), nowSeconds, consistency);
          if (d.isPresent()) {
            if (d.get().staticRow() != null) {
              staticRow = d.get().staticRow();
            }
            rows.addAll(d.get().rows());
          }
          if (rows.size() >= rowLimit) {
            break;
          }
        }
        if (!rows.isEmpty()) {
          return new Next(new PartitionData(first.key(), staticRow, rows), resumed, last);
        }
      }
      return null;
    }

    /** The next entry if it has the same term and partition as {@code first} (consumed), else null. */
    private IndexHit sameRun(IndexHit first) {
      IndexHit h = peek();
      if (h == null || h.clustering().length == 0 || h.key().token() != first.key().token()
          || !Arrays.equals(h.key().serialized(), first.key().serialized()) || !Arrays.equals(h.term(), first.term())) {
        return null;
      }
      pending = null;
      return h;
    }

    @Override
    PagingState position(PagingState state, Next p, byte[] row) {
      IndexHit hit = p.hit();
      if (hit.clustering().length == 0) {
        return state.atIndexEntry(hit.term(), hit.clustering());
      }
      // A run of rows: resume after the row the page ended with, which has its own entry.
      return state.atIndexEntry(hit.term(), row == null ? hit.clustering() : row);
    }

    @Override
    public void close() {
      if (entries != null) {
        entries.close();
      }
    }
  }

  /**
   * Folds the rows of one group (or the whole result): COUNT(*), count(column) and the native
   * aggregates; plain selectors take the first row's values (as Cassandra does).
   */
  private static final class Aggregator {
    private final Selection selection;
    private final Terms terms;
    private final long[] counts;
    private final AggregateFunctions.State[] states;
    private List<ByteBuffer> first;

    Aggregator(Selection selection, Terms terms) {
      this.selection = selection;
      this.terms = terms;
      this.counts = new long[selection.outputs.size()];
      this.states = new AggregateFunctions.State[selection.outputs.size()];
      for (int i = 0; i < states.length; i++) {
        AggregateFunctions.Spec spec = selection.outputs.get(i).aggregateSpec();
        if (spec != null) {
          states[i] = spec.states().get();
        }
      }
    }

    void add(RowView row) {
      List<Selection.Output> outputs = selection.outputs;
      if (first == null) {
        first = new ArrayList<>();
        for (Selection.Output o : outputs) {
          first.add(Selection.value(o, row, terms));
        }
      }
      for (int i = 0; i < outputs.size(); i++) {
        Selection.Output o = outputs.get(i);
        if (o.kind() == Selection.Kind.COUNT_ROWS || (o.kind() == Selection.Kind.COUNT_COLUMN && row.value(o.column()) != null)) {
          counts[i]++;
        } else if (states[i] != null) {
          states[i].add(o.aggregateSpec().argument().eval(row, terms));
        }
      }
    }

    List<ByteBuffer> result() {
      List<ByteBuffer> out = new ArrayList<>();
      for (int i = 0; i < selection.outputs.size(); i++) {
        Selection.Output o = selection.outputs.get(i);
        if (o.kind() == Selection.Kind.COUNT_ROWS || o.kind() == Selection.Kind.COUNT_COLUMN) {
          out.add(CqlTypes.BIGINT.encode(counts[i]));
        } else if (states[i] != null) {
          out.add(states[i].result());
        } else {
          out.add(first == null ? null : first.get(i));
        }
      }
      return out;
    }
  }
}
