package io.meridian.query;

import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.request.Batch;
import com.datastax.oss.protocol.internal.request.Execute;
import com.datastax.oss.protocol.internal.request.Prepare;
import com.datastax.oss.protocol.internal.request.Query;
import com.datastax.oss.protocol.internal.request.query.QueryOptions;
import com.datastax.oss.protocol.internal.response.result.ColumnSpec;
import com.datastax.oss.protocol.internal.response.result.Prepared;
import com.datastax.oss.protocol.internal.response.result.Rows;
import com.datastax.oss.protocol.internal.response.result.RowsMetadata;
import com.datastax.oss.protocol.internal.response.result.SetKeyspace;
import io.meridian.common.Clock;
import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;
import io.meridian.common.UnpreparedException;
import io.meridian.cql.ast.ModificationStatement;
import io.meridian.cql.ast.QualifiedName;
import io.meridian.cql.ast.SchemaStatement;
import io.meridian.cql.ast.Select;
import io.meridian.cql.ast.Statement;
import io.meridian.cql.ast.UseKeyspace;
import io.meridian.cql.parser.CqlParser;
import io.meridian.protocol.ClientSession;
import io.meridian.protocol.CqlRequestHandler;
import io.meridian.protocol.Request;
import io.meridian.protocol.Response;
import io.meridian.protocol.ServerEvents;
import io.meridian.schema.Schema;
import io.meridian.schema.SchemaManager;
import io.meridian.schema.TableMetadata;
import io.meridian.schema.system.SystemTables;
import io.meridian.schema.system.TraceStore;
import io.meridian.schema.system.VirtualTable;
import io.meridian.storage.StorageEngine;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The query layer's entry point: QUERY, PREPARE, EXECUTE and BATCH requests from the protocol
 * layer are parsed (or looked up), executed on a bounded pool of query threads (storage reads
 * block, so never on network threads), and answered with a RESULT.
 */
public final class QueryProcessor implements CqlRequestHandler, AutoCloseable {
  /** Prepared statements kept; the least recently used beyond this are evicted (the client re-prepares). */
  static final int PREPARED_STATEMENTS_MAX = 50_000;
  /** Parsed unprepared query strings kept. */
  static final int PARSED_QUERIES_MAX = 2_000;

  private final SchemaManager schema;
  private final SystemTables systemTables;
  private final StorageEngine storage;
  private final Clock clock;
  private final SchemaExecutor schemaExecutor;
  private final io.meridian.index.IndexSync indexSync;
  private final SelectExecutor selectExecutor;
  private final WriteExecutor writeExecutor;
  private final ThreadPoolExecutor executor;
  private final TraceStore traces;
  private final ClientWarnings.BatchThresholds batchThresholds;
  private final Map<String, Statement> parsed = lru(PARSED_QUERIES_MAX);
  private final Map<ByteBuffer, PreparedStatement> prepared = lru(PREPARED_STATEMENTS_MAX);

  record PreparedStatement(String query, String keyspace, Statement statement, BindVariables variables, int fingerprint,
                           java.util.concurrent.atomic.AtomicReference<ResultShape> shape) {}

  /** A SELECT's outputs and v5 result metadata id for one version of its table (replaced when the table changes). */
  record ResultShape(TableMetadata table, Selection selection, byte[] metadataId) {}

  public QueryProcessor(SchemaManager schema, SystemTables systemTables, StorageEngine storage, ServerEvents events,
                        Clock clock, int threads, int queueMax, int tabletsPerTable) {
    this(schema, systemTables, storage, events, clock, threads, queueMax, tabletsPerTable,
        ClientWarnings.BatchThresholds.DEFAULTS.warnBytes(), ClientWarnings.BatchThresholds.DEFAULTS.failBytes(),
        ClientWarnings.BatchThresholds.DEFAULTS.unloggedPartitionsWarn());
  }

  /**
   * @param batchWarnBytes a batch over several partitions larger than this gets a client warning
   * @param batchFailBytes ... and larger than this is refused (Invalid "Batch too large")
   * @param unloggedBatchPartitionsWarn an unlogged batch over more partitions than this gets a warning
   */
  public QueryProcessor(SchemaManager schema, SystemTables systemTables, StorageEngine storage, ServerEvents events,
                        Clock clock, int threads, int queueMax, int tabletsPerTable,
                        long batchWarnBytes, long batchFailBytes, int unloggedBatchPartitionsWarn) {
    this.batchThresholds = new ClientWarnings.BatchThresholds(batchWarnBytes, batchFailBytes, unloggedBatchPartitionsWarn);
    this.writeExecutor = new WriteExecutor(storage, new WriteTimestamps(clock), schema::current, batchThresholds);
    this.traces = systemTables.traces();
    this.schema = schema;
    this.systemTables = systemTables;
    this.storage = storage;
    this.clock = clock;
    this.schemaExecutor = new SchemaExecutor(schema, storage, events, tabletsPerTable);
    this.selectExecutor = new SelectExecutor(storage);
    this.indexSync = new io.meridian.index.IndexSync(storage);
    systemTables.setIndexStatus(new io.meridian.index.IndexStatus(storage));
    indexSync.sync(schema.current());
    AtomicInteger n = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queueMax),
        r -> {
          Thread t = new Thread(r, "meridian-query-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  @Override
  public CompletionStage<Message> handle(ClientSession session, Message request) {
    return submit(session, request, new RequestContext(null));
  }

  /**
   * Runs the request and answers with its warnings and, when the client asked for tracing, the
   * tracing session id; the session is in system_traces before the response leaves. Custom
   * payloads are accepted and ignored, as by Cassandra's default query handler.
   */
  @Override
  public CompletionStage<Response> handleRequest(ClientSession session, Request request) {
    RequestTrace trace = request.tracingRequested() ? TraceDescriptions.begin(clock, session, request.message(), this::lookupPrepared) : null;
    RequestContext context = new RequestContext(trace);
    return submit(session, request.message(), context).handle((message, failure) -> {
      if (trace != null) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
            ? failure.getCause() : failure;
        trace.finish(cause == null ? "Request complete" : "Request failed: " + cause.getMessage(), traces);
      }
      if (failure != null) {
        throw failure instanceof java.util.concurrent.CompletionException ce ? ce
            : new java.util.concurrent.CompletionException(failure);
      }
      Response response = Response.of(message).withWarnings(context.warnings());
      return trace == null ? response : response.withTracingId(trace.sessionId());
    });
  }

  private CompletableFuture<Message> submit(ClientSession session, Message request, RequestContext context) {
    CompletableFuture<Message> result = new CompletableFuture<>();
    try {
      executor.execute(() -> {
        try {
          context.runAs(() -> execute(session, request)).whenComplete((m, e) -> {
            if (e != null) {
              result.completeExceptionally(e);
            } else {
              result.complete(m);
            }
          });
        } catch (Throwable e) {
          result.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(new MeridianException(CqlErrorCode.OVERLOADED,
          "Too many requests queued on this node (" + executor.getQueue().size() + "); retry with backoff"));
    }
    return result;
  }

  private CompletionStage<Message> execute(ClientSession session, Message request) {
    indexSync.syncIfChanged(schema.current());
    if (request instanceof Query q) {
      Statement statement = parse(q.query);
      String keyspace = q.options.keyspace != null ? q.options.keyspace : session.keyspace();
      BindVariables vars = statement.bindMarkers().isEmpty() ? null : describe(statement, keyspace);
      BoundValues values = statement.bindMarkers().isEmpty()
          ? BoundValues.of(q.options.positionalValues, q.options.namedValues, List.of())
          : BoundValues.of(q.options.positionalValues, q.options.namedValues, vars.names());
      return executeStatement(session, statement, keyspace, values, q.options, fingerprint(q.query, keyspace), null, null);
    }
    if (request instanceof Prepare p) {
      return CompletableFuture.completedFuture(prepare(session, p));
    }
    if (request instanceof Execute e) {
      PreparedStatement ps = lookupPrepared(e.queryId);
      if (ps == null) {
        RequestContext.trace("Prepared statement " + HexFormat.of().formatHex(e.queryId) + " not found");
        throw new UnpreparedException(e.queryId, HexFormat.of().formatHex(e.queryId));
      }
      RequestContext.trace("Found prepared statement " + HexFormat.of().formatHex(e.queryId));
      BoundValues values = BoundValues.of(e.options.positionalValues, e.options.namedValues, ps.variables.names());
      return executeStatement(session, ps.statement, ps.keyspace, values, e.options, ps.fingerprint, e.resultMetadataId, ps);
    }
    if (request instanceof Batch b) {
      return batch(session, b);
    }
    throw MeridianException.protocol("Unexpected message " + request.getClass().getSimpleName());
  }

  /** The prepared statement with this id, or null (the LRU map reorders on reads, so under its lock). */
  private PreparedStatement lookupPrepared(byte[] id) {
    synchronized (prepared) {
      return prepared.get(ByteBuffer.wrap(id));
    }
  }

  private Statement parse(String query) {
    Statement s;
    synchronized (parsed) {
      s = parsed.get(query);
    }
    if (s == null) {
      RequestContext.trace("Parsing " + query);
      s = CqlParser.parse(query);
      synchronized (parsed) {
        parsed.put(query, s);
      }
    } else {
      RequestContext.trace("Statement found in the parsed-query cache");
    }
    return s;
  }

  private CompletionStage<Message> executeStatement(ClientSession session, Statement statement, String keyspace,
                                                    BoundValues values, QueryOptions options, int fingerprint, byte[] resultMetadataId,
                                                    PreparedStatement prepared) {
    Terms terms = new Terms(values, clock);
    if (statement instanceof io.meridian.cql.ast.InsertJson json) {
      // INSERT JSON is an INSERT once its values are decoded: everything below (LWT included) sees an Insert.
      JsonInsert.Expanded expanded = JsonInsert.expand(table(schema.current(), SchemaExecutor.qualify(json.table(), keyspace)),
          json, terms);
      statement = expanded.insert();
      terms = expanded.terms();
    }
    if (statement instanceof Select select) {
      Terms t = terms;
      return typedErrors(() -> select(select, keyspace, t, options, fingerprint, resultMetadataId, prepared),
          options.consistency, SchemaExecutor.qualify(select.table(), keyspace).keyspace(), false);
    }
    if (statement instanceof ModificationStatement m) {
      TableMetadata table = table(schema.current(), SchemaExecutor.qualify(m.table(), keyspace));
      checkNotSerialWrite(options, m);
      Terms t = terms;
      return typedErrors(() -> writeExecutor.execute(new WriteExecutor.Item(table, m, t),
          timestamp(options.defaultTimestamp), clock.nowInSeconds()), options.consistency, table.keyspace(), table.isCounter());
    }
    if (statement instanceof io.meridian.cql.ast.Batch b) {
      List<WriteExecutor.Item> items = new ArrayList<>();
      Long batchTs = null;
      if (b.attributes().timestamp() != null
          && !BoundValues.isUnset(terms.evaluate(b.attributes().timestamp(), io.meridian.types.CqlTypes.BIGINT, "[timestamp]"))) {
        batchTs = terms.evaluateLong(b.attributes().timestamp(), "[timestamp]");
      }
      if (b.attributes().ttl() != null) {
        throw MeridianException.invalid("Global TTL on the BATCH statement is not supported.");
      }
      for (ModificationStatement m : b.statements()) {
        TableMetadata table = table(schema.current(), SchemaExecutor.qualify(m.table(), keyspace));
        items.add(new WriteExecutor.Item(table, m, terms));
      }
      Long ts = batchTs;
      return typedErrors(() -> writeExecutor.batch(b.type(), items, ts, timestamp(options.defaultTimestamp),
          clock.nowInSeconds()), options.consistency, items.get(0).table().keyspace(), items.get(0).table().isCounter());
    }
    if (statement instanceof UseKeyspace use) {
      if (schema.current().keyspace(use.keyspace()).isEmpty()) {
        throw MeridianException.invalid("Keyspace '" + use.keyspace() + "' does not exist");
      }
      RequestContext.trace("Setting the keyspace of this connection to " + use.keyspace());
      session.setKeyspace(use.keyspace());
      return CompletableFuture.completedFuture(new SetKeyspace(use.keyspace()));
    }
    if (statement instanceof SchemaStatement ddl) {
      RequestContext.trace("Executing schema change " + ddl.getClass().getSimpleName());
      try {
        return CompletableFuture.completedFuture(schemaExecutor.execute(ddl, keyspace));
      } finally {
        indexSync.sync(schema.current()); // a failed change may still have created or changed a table
      }
    }
    throw MeridianException.invalid("Unsupported statement " + statement.getClass().getSimpleName());
  }

  /**
   * A SERIAL read of one partition goes through the partition's tablet like a transaction does:
   * it waits until every write queued before it on the tablet is applied, then reads. With
   * replication this is where the read joins the tablet's log (a read index on the leader).
   */
  private void awaitSerialRead(TableMetadata table, Select select, Terms terms) {
    WhereClause where = WhereClause.analyze(table, select.where(), terms);
    if (where.partitionKeys == null || where.partitionKeys.size() != 1) {
      throw MeridianException.invalid("SERIAL/LOCAL_SERIAL consistency may only be requested for one partition at a time");
    }
    io.meridian.storage.PartitionKey key = where.partitionKeys.get(0);
    try {
      storage.applyConditionally(table.id(), key, new io.meridian.storage.ReadRange(new byte[0], null, false, 0, false),
          clock.nowInSeconds(), current -> io.meridian.storage.ConditionalWrite.Decision.noWrite(null)).join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof MeridianException me ? me : e;
    }
  }

  /** SERIAL and LOCAL_SERIAL as the consistency of a write are for conditional writes only. */
  private static void checkNotSerialWrite(QueryOptions options, ModificationStatement m) {
    if (isSerial(options.consistency) && !LightweightTransaction.isConditional(m)) {
      throw MeridianException.invalid("You must use conditional updates for serializable writes");
    }
  }

  /**
   * Too few live replicas, or replicas that did not answer, surface as the protocol's typed
   * UNAVAILABLE / READ_TIMEOUT / WRITE_TIMEOUT with this request's fields, whether the request
   * failed at once or later ({@link ReplicationErrors}).
   */
  private CompletionStage<Message> typedErrors(java.util.function.Supplier<CompletionStage<Message>> request,
                                               int consistency, String keyspace, boolean counter) {
    CompletionStage<Message> result;
    try {
      result = request.get();
    } catch (RuntimeException e) {
      throw asProtocolError(e, consistency, keyspace, counter);
    }
    return result.handle((m, e) -> {
      if (e != null) {
        throw asProtocolError(e, consistency, keyspace, counter);
      }
      return m;
    });
  }

  private RuntimeException asProtocolError(Throwable e, int consistency, String keyspace, boolean counter) {
    Throwable typed = ReplicationErrors.typed(e, consistency, schema.current().keyspace(keyspace).orElse(null), counter);
    if (typed instanceof RuntimeException r && !(typed instanceof java.util.concurrent.CompletionException)) {
      return r;
    }
    return typed instanceof java.util.concurrent.CompletionException ce ? ce : new java.util.concurrent.CompletionException(typed);
  }

  /** ONE and LOCAL_ONE may be answered by any replica; every other level reads linearizably. */
  static io.meridian.storage.ReadConsistency readConsistency(int consistency) {
    return consistency == ProtocolConstants.ConsistencyLevel.ONE || consistency == ProtocolConstants.ConsistencyLevel.LOCAL_ONE
        ? io.meridian.storage.ReadConsistency.ANY_REPLICA : io.meridian.storage.ReadConsistency.LINEARIZABLE;
  }

  private static boolean isSerial(int consistency) {
    return consistency == ProtocolConstants.ConsistencyLevel.SERIAL
        || consistency == ProtocolConstants.ConsistencyLevel.LOCAL_SERIAL;
  }

  private CompletionStage<Message> select(Select select, String keyspace, Terms terms, QueryOptions options, int fingerprint,
                                         byte[] resultMetadataId, PreparedStatement prepared) {
    QualifiedName name = SchemaExecutor.qualify(select.table(), keyspace);
    Schema current = schema.current();
    Optional<VirtualTable> virtual = systemTables.table(name.keyspace(), name.name());
    if (virtual.isPresent()) {
      if (select.selection().stream().anyMatch(i -> i.selector() instanceof io.meridian.cql.ast.Selector.CountRows)) {
        ClientWarnings.checkAggregation(virtual.get().metadata(), select);
      }
      Rows rows = VirtualTableReader.read(virtual.get(), current, select, terms, false);
      RequestContext.trace("Read system table " + name.keyspace() + "." + name.name() + ": " + rows.getData().size() + " rows");
      return CompletableFuture.completedFuture(select.json() ? JsonSelection.toJson(rows, virtual.get(), select) : rows);
    }
    TableMetadata table = table(current, name);
    if (isSerial(options.consistency)) {
      awaitSerialRead(table, select, terms);
    }
    ResultShape shape = prepared == null ? null : prepared.shape.get();
    if (shape == null || shape.table != table) {
      Selection selection = Selection.of(table, select);
      // Only EXECUTE (v5) compares metadata ids; a plain QUERY does not need one.
      shape = new ResultShape(table, selection, prepared == null ? null : resultMetadataId(resultSpecs(select, selection, table)));
      if (prepared != null) {
        prepared.shape.set(shape);
      }
    }
    // A v5 client with a stale result metadata id gets the new metadata in full.
    boolean metadataChanged = resultMetadataId != null && !java.util.Arrays.equals(resultMetadataId, shape.metadataId);
    boolean skip = options.skipMetadata && !metadataChanged;
    if (shape.selection.folds()) {
      ClientWarnings.checkAggregation(table, select);
    }
    ResultShape resultShape = shape;
    return selectExecutor.execute(table, select, shape.selection, terms,
        new SelectExecutor.Page(options.pageSize, options.pagingState, fingerprint, skip, null,
            readConsistency(options.consistency)), clock.nowInSeconds()).thenApply(read -> {
              Rows rows = select.json() ? JsonSelection.toJson(read, resultShape.selection, table, skip) : read;
              if (metadataChanged) {
                RowsMetadata m = rows.getMetadata();
                return new com.datastax.oss.protocol.internal.response.result.DefaultRows(
                    new RowsMetadata(m.columnSpecs, m.pagingState, null, resultShape.metadataId), rows.getData());
              }
              return rows;
            });
  }

  private Message prepare(ClientSession session, Prepare p) {
    String keyspace = p.keyspace != null ? p.keyspace : session.keyspace();
    RequestContext.trace("Parsing " + p.cqlQuery);
    Statement statement = CqlParser.parse(p.cqlQuery);
    BindVariables vars = describe(statement, keyspace);
    byte[] id = md5(p.cqlQuery + "\u0000" + (keyspace == null ? "" : keyspace));
    RequestContext.trace("Prepared statement " + HexFormat.of().formatHex(id) + " with " + vars.variables.length
        + " bind markers");
    PreparedStatement ps = new PreparedStatement(p.cqlQuery, keyspace, statement, vars, fingerprint(p.cqlQuery, keyspace),
        new java.util.concurrent.atomic.AtomicReference<>());
    synchronized (prepared) {
      prepared.put(ByteBuffer.wrap(id), ps);
    }
    List<ColumnSpec> varSpecs = new ArrayList<>();
    for (int i = 0; i < vars.variables.length; i++) {
      BindVariables.Variable v = vars.variables[i];
      varSpecs.add(new ColumnSpec(v.keyspace() == null ? "" : v.keyspace(), v.table() == null ? "" : v.table(), v.name(), i, RawTypes.of(v.type())));
    }
    List<ColumnSpec> resultSpecs = List.of();
    if (statement instanceof Select select) {
      QualifiedName name = SchemaExecutor.qualify(select.table(), keyspace);
      if (systemTables.table(name.keyspace(), name.name()).isEmpty()) {
        TableMetadata table = table(schema.current(), name);
        resultSpecs = resultSpecs(select, Selection.of(table, select), table);
      }
    }
    byte[] resultMetadataId = resultMetadataId(resultSpecs);
    return new Prepared(id, resultMetadataId,
        new RowsMetadata(varSpecs, null, vars.partitionKeyIndices, null),
        new RowsMetadata(resultSpecs, null, null, null));
  }

  /** The result columns: the selection's, or the single [json] column of a SELECT JSON. */
  private static List<ColumnSpec> resultSpecs(Select select, Selection selection, TableMetadata table) {
    return select.json() ? JsonSelection.specs(table) : selection.specs(table);
  }

  private BindVariables describe(Statement statement, String keyspace) {
    return BindVariables.describe(statement, s -> {
      Statement st = s.statement();
      QualifiedName name = st instanceof Select sel ? sel.table() : ((ModificationStatement) st).table();
      QualifiedName q = SchemaExecutor.qualify(name, keyspace);
      Optional<VirtualTable> virtual = systemTables.table(q.keyspace(), q.name());
      if (virtual.isPresent()) {
        return virtual.get().metadata();
      }
      TableMetadata t = table(schema.current(), q);
      if (st instanceof ModificationStatement && t.isView()) {
        throw MeridianException.invalid("Cannot directly modify a materialized view");
      }
      return t;
    });
  }

  private CompletionStage<Message> batch(ClientSession session, Batch b) {
    String keyspace = b.keyspace != null ? b.keyspace : session.keyspace();
    long defaultTs = timestamp(b.defaultTimestamp);
    int now = clock.nowInSeconds();
    List<WriteExecutor.Item> items = new ArrayList<>();
    for (int i = 0; i < b.queriesOrIds.size(); i++) {
      Object qOrId = b.queriesOrIds.get(i);
      Statement statement;
      String ks = keyspace;
      BindVariables vars;
      if (qOrId instanceof String query) {
        statement = parse(query);
        vars = statement.bindMarkers().isEmpty() ? null : describe(statement, ks);
      } else {
        byte[] id = (byte[]) qOrId;
        PreparedStatement ps = lookupPrepared(id);
        if (ps == null) {
          throw new UnpreparedException(id, HexFormat.of().formatHex(id));
        }
        statement = ps.statement;
        ks = ps.keyspace != null ? ps.keyspace : keyspace;
        vars = ps.variables;
      }
      if (!(statement instanceof ModificationStatement m)) {
        throw MeridianException.invalid("Invalid statement in batch: only UPDATE, INSERT and DELETE statements are allowed.");
      }
      List<ByteBuffer> values = b.values.size() > i ? b.values.get(i) : List.of();
      BoundValues bound = BoundValues.of(values, Map.of(), vars == null ? List.of() : vars.names());
      TableMetadata table = table(schema.current(), SchemaExecutor.qualify(m.table(), ks));
      items.add(new WriteExecutor.Item(table, m, new Terms(bound, clock)));
    }
    if (items.isEmpty()) {
      return writeExecutor.batch(batchType(b.type), items, null, defaultTs, now);
    }
    return typedErrors(() -> writeExecutor.batch(batchType(b.type), items, null, defaultTs, now), b.consistency,
        items.get(0).table().keyspace(), items.get(0).table().isCounter());
  }

  private static io.meridian.cql.ast.Batch.BatchType batchType(byte protocolType) {
    return switch (protocolType) {
      case ProtocolConstants.BatchType.LOGGED -> io.meridian.cql.ast.Batch.BatchType.LOGGED;
      case ProtocolConstants.BatchType.UNLOGGED -> io.meridian.cql.ast.Batch.BatchType.UNLOGGED;
      case ProtocolConstants.BatchType.COUNTER -> io.meridian.cql.ast.Batch.BatchType.COUNTER;
      default -> throw MeridianException.protocol("Unknown batch type " + protocolType);
    };
  }

  private long timestamp(long clientTimestamp) {
    return clientTimestamp != QueryOptions.NO_DEFAULT_TIMESTAMP && clientTimestamp != Long.MIN_VALUE
        ? clientTimestamp : clock.currentTimeMicros();
  }

  static TableMetadata table(Schema schema, QualifiedName name) {
    if (schema.keyspace(name.keyspace()).isEmpty()) {
      throw MeridianException.invalid("Keyspace " + name.keyspace() + " does not exist");
    }
    return schema.table(name.keyspace(), name.name()).orElseThrow(() ->
        MeridianException.invalid("table " + name.name() + " does not exist in keyspace " + name.keyspace()
            + " (unconfigured table " + name.name() + ")"));
  }

  private static int fingerprint(String query, String keyspace) {
    return (query + "\u0000" + keyspace).hashCode();
  }

  private static byte[] resultMetadataId(List<ColumnSpec> specs) {
    StringBuilder sb = new StringBuilder();
    for (ColumnSpec s : specs) {
      sb.append(s.ksName).append('.').append(s.tableName).append('.').append(s.name).append(':').append(s.type.id)
          .append(s.type).append(';');
    }
    return md5(sb.toString());
  }

  private static byte[] md5(String s) {
    try {
      return MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required by the JDK", e);
    }
  }

  private static <K, V> Map<K, V> lru(int max) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
      }
    };
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
