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
import io.meridian.protocol.ServerEvents;
import io.meridian.schema.Schema;
import io.meridian.schema.SchemaManager;
import io.meridian.schema.TableMetadata;
import io.meridian.schema.system.SystemTables;
import io.meridian.schema.system.VirtualTable;
import io.meridian.storage.Mutation;
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
  private final SelectExecutor selectExecutor;
  private final ThreadPoolExecutor executor;
  private final Map<String, Statement> parsed = lru(PARSED_QUERIES_MAX);
  private final Map<ByteBuffer, PreparedStatement> prepared = lru(PREPARED_STATEMENTS_MAX);

  record PreparedStatement(String query, String keyspace, Statement statement, BindVariables variables, int fingerprint,
                           java.util.concurrent.atomic.AtomicReference<ResultShape> shape) {}

  /** A SELECT's outputs and v5 result metadata id for one version of its table (replaced when the table changes). */
  record ResultShape(TableMetadata table, Selection selection, byte[] metadataId) {}

  public QueryProcessor(SchemaManager schema, SystemTables systemTables, StorageEngine storage, ServerEvents events,
                        Clock clock, int threads, int queueMax, int tabletsPerTable) {
    this.schema = schema;
    this.systemTables = systemTables;
    this.storage = storage;
    this.clock = clock;
    this.schemaExecutor = new SchemaExecutor(schema, storage, events, tabletsPerTable);
    this.selectExecutor = new SelectExecutor(storage);
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
    CompletableFuture<Message> result = new CompletableFuture<>();
    try {
      executor.execute(() -> {
        try {
          execute(session, request).whenComplete((m, e) -> {
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
      PreparedStatement ps = prepared.get(ByteBuffer.wrap(e.queryId));
      if (ps == null) {
        throw new UnpreparedException(e.queryId, HexFormat.of().formatHex(e.queryId));
      }
      BoundValues values = BoundValues.of(e.options.positionalValues, e.options.namedValues, ps.variables.names());
      return executeStatement(session, ps.statement, ps.keyspace, values, e.options, ps.fingerprint, e.resultMetadataId, ps);
    }
    if (request instanceof Batch b) {
      return batch(session, b);
    }
    throw MeridianException.protocol("Unexpected message " + request.getClass().getSimpleName());
  }

  private Statement parse(String query) {
    Statement s;
    synchronized (parsed) {
      s = parsed.get(query);
    }
    if (s == null) {
      s = CqlParser.parse(query);
      synchronized (parsed) {
        parsed.put(query, s);
      }
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
      return CompletableFuture.completedFuture(select(select, keyspace, terms, options, fingerprint, resultMetadataId, prepared));
    }
    if (statement instanceof ModificationStatement m) {
      TableMetadata table = table(schema.current(), SchemaExecutor.qualify(m.table(), keyspace));
      ModificationBuilder builder = new ModificationBuilder(terms, timestamp(options.defaultTimestamp), clock.nowInSeconds());
      return applyAll(builder.build(table, m, null));
    }
    if (statement instanceof io.meridian.cql.ast.Batch b) {
      List<Mutation> mutations = new ArrayList<>();
      ModificationBuilder builder = new ModificationBuilder(terms, timestamp(options.defaultTimestamp), clock.nowInSeconds());
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
        checkBatchKind(b.type(), table);
        mutations.addAll(builder.build(table, m, batchTs));
      }
      return b.type() == io.meridian.cql.ast.Batch.BatchType.LOGGED ? applyAtomically(mutations) : applyAll(mutations);
    }
    if (statement instanceof UseKeyspace use) {
      if (schema.current().keyspace(use.keyspace()).isEmpty()) {
        throw MeridianException.invalid("Keyspace '" + use.keyspace() + "' does not exist");
      }
      session.setKeyspace(use.keyspace());
      return CompletableFuture.completedFuture(new SetKeyspace(use.keyspace()));
    }
    if (statement instanceof SchemaStatement ddl) {
      return CompletableFuture.completedFuture(schemaExecutor.execute(ddl, keyspace));
    }
    throw MeridianException.invalid("Unsupported statement " + statement.getClass().getSimpleName());
  }

  private static void checkBatchKind(io.meridian.cql.ast.Batch.BatchType type, TableMetadata table) {
    if (type == io.meridian.cql.ast.Batch.BatchType.COUNTER || table.isCounter()) {
      throw MeridianException.invalid("Counter tables and counter batches arrive with a later release");
    }
  }

  private Message select(Select select, String keyspace, Terms terms, QueryOptions options, int fingerprint,
                         byte[] resultMetadataId, PreparedStatement prepared) {
    QualifiedName name = SchemaExecutor.qualify(select.table(), keyspace);
    Schema current = schema.current();
    Optional<VirtualTable> virtual = systemTables.table(name.keyspace(), name.name());
    if (virtual.isPresent()) {
      Rows rows = VirtualTableReader.read(virtual.get(), current, select, terms, false);
      return select.json() ? JsonSelection.toJson(rows, virtual.get(), select) : rows;
    }
    TableMetadata table = table(current, name);
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
    Rows rows = selectExecutor.execute(table, select, shape.selection, terms,
        new SelectExecutor.Page(options.pageSize, options.pagingState, fingerprint, skip, null), clock.nowInSeconds());
    if (select.json()) {
      rows = JsonSelection.toJson(rows, shape.selection, table, skip);
    }
    if (metadataChanged) {
      RowsMetadata m = rows.getMetadata();
      return new com.datastax.oss.protocol.internal.response.result.DefaultRows(
          new RowsMetadata(m.columnSpecs, m.pagingState, null, shape.metadataId), rows.getData());
    }
    return rows;
  }

  private Message prepare(ClientSession session, Prepare p) {
    String keyspace = p.keyspace != null ? p.keyspace : session.keyspace();
    Statement statement = CqlParser.parse(p.cqlQuery);
    BindVariables vars = describe(statement, keyspace);
    byte[] id = md5(p.cqlQuery + "\u0000" + (keyspace == null ? "" : keyspace));
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
      return virtual.isPresent() ? virtual.get().metadata() : table(schema.current(), q);
    });
  }

  private CompletionStage<Message> batch(ClientSession session, Batch b) {
    String keyspace = b.keyspace != null ? b.keyspace : session.keyspace();
    long defaultTs = timestamp(b.defaultTimestamp);
    int now = clock.nowInSeconds();
    List<Mutation> mutations = new ArrayList<>();
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
        PreparedStatement ps = prepared.get(ByteBuffer.wrap(id));
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
      if (b.type == ProtocolConstants.BatchType.COUNTER || table.isCounter()) {
        throw MeridianException.invalid("Counter tables and counter batches arrive with a later release");
      }
      mutations.addAll(new ModificationBuilder(new Terms(bound, clock), defaultTs, now).build(table, m, null));
    }
    return b.type == ProtocolConstants.BatchType.LOGGED ? applyAtomically(mutations) : applyAll(mutations);
  }

  /** A logged batch: every mutation or none, in one storage batch. */
  private CompletionStage<Message> applyAtomically(List<Mutation> mutations) {
    if (mutations.isEmpty()) {
      return CompletableFuture.completedFuture(com.datastax.oss.protocol.internal.response.result.Void.INSTANCE);
    }
    return storage.applyAtomically(mutations).thenApply(v -> com.datastax.oss.protocol.internal.response.result.Void.INSTANCE);
  }

  /** Applies the mutations; the write is acknowledged only when all of them are durable. */
  private CompletionStage<Message> applyAll(List<Mutation> mutations) {
    if (mutations.isEmpty()) {
      return CompletableFuture.completedFuture(com.datastax.oss.protocol.internal.response.result.Void.INSTANCE);
    }
    if (mutations.size() == 1) {
      return storage.apply(mutations.get(0)).thenApply(v -> com.datastax.oss.protocol.internal.response.result.Void.INSTANCE);
    }
    CompletableFuture<?>[] futures = new CompletableFuture<?>[mutations.size()];
    for (int i = 0; i < futures.length; i++) {
      futures[i] = storage.apply(mutations.get(i));
    }
    return CompletableFuture.allOf(futures).thenApply(v -> com.datastax.oss.protocol.internal.response.result.Void.INSTANCE);
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
