package io.meridian.protocol;

import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.request.Prepare;
import com.datastax.oss.protocol.internal.request.Query;
import com.datastax.oss.protocol.internal.response.result.ColumnSpec;
import com.datastax.oss.protocol.internal.response.result.DefaultRows;
import com.datastax.oss.protocol.internal.response.result.RawType;
import com.datastax.oss.protocol.internal.response.result.RowsMetadata;
import com.datastax.oss.protocol.internal.response.result.Void;
import io.meridian.common.AlreadyExistsException;
import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;
import io.meridian.common.UnpreparedException;
import io.meridian.protocol.error.ReadTimeoutException;
import io.meridian.protocol.error.UnavailableException;
import io.meridian.protocol.error.WriteTimeoutException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers what the DataStax driver asks while connecting (system.local, system.peers[_v2],
 * system_schema.*) with minimal valid rows, plus a few test commands:
 *
 * <ul>
 *   <li>{@code echo <text>}: one row, column v = text
 *   <li>{@code big <bytes> [random]}: one row whose blob column has that many bytes
 *   <li>{@code delay <ms> <id>}: answers id after ms, off the event loop
 *   <li>{@code fail <kind>}: throws the matching exception
 *   <li>{@code warn}: a Void result with two warnings; echoes the request's custom payload
 *   <li>{@code park}: never completes (in-flight limit tests)
 * </ul>
 */
final class TestHandler implements CqlRequestHandler {
  static final UUID HOST_ID = UUID.fromString("6f1d5c4e-0000-4000-8000-000000000001");
  static final UUID SCHEMA_VERSION = UUID.fromString("6f1d5c4e-0000-4000-8000-0000000000aa");

  final AtomicInteger maxConcurrent = new AtomicInteger();
  private final AtomicInteger concurrent = new AtomicInteger();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "test-handler-timer");
            t.setDaemon(true);
            return t;
          });

  @Override
  public CompletionStage<Message> handle(ClientSession session, Message request) {
    throw new UnsupportedOperationException("handleRequest is overridden");
  }

  @Override
  public CompletionStage<Response> handleRequest(ClientSession session, Request request) {
    if (request.message() instanceof Prepare) {
      throw MeridianException.invalid("PREPARE is not supported by the test handler");
    }
    if (!(request.message() instanceof Query query)) {
      throw MeridianException.invalid("unexpected " + request.message());
    }
    String cql = query.query.trim();
    String lower = cql.toLowerCase();
    if (lower.contains("system.local")) {
      return done(localRow());
    }
    if (lower.contains("system.peers") || lower.contains("system_schema")) {
      return done(emptyRows());
    }
    String[] words = cql.split("\\s+");
    switch (words[0]) {
      case "echo":
        return done(textRow(cql.substring(5)));
      case "big":
        return done(bigRow(Integer.parseInt(words[1]), words.length > 2));
      case "delay":
        {
          int now = concurrent.incrementAndGet();
          maxConcurrent.accumulateAndGet(now, Math::max);
          CompletableFuture<Response> later = new CompletableFuture<>();
          timer.schedule(
              () -> {
                concurrent.decrementAndGet();
                later.complete(Response.of(textRowMessage(words[2])));
              },
              Long.parseLong(words[1]),
              TimeUnit.MILLISECONDS);
          return later;
        }
      case "park":
        return new CompletableFuture<>();
      case "warn":
        return CompletableFuture.completedFuture(
            Response.of(Void.INSTANCE)
                .withWarnings(List.of("first warning", "second warning"))
                .withCustomPayload(request.customPayload()));
      case "fail":
        return CompletableFuture.failedFuture(failure(words[1]));
      case "throw":
        throw failure(words[1]);
      default:
        throw MeridianException.syntax("line 1:0 no viable alternative at input '" + words[0] + "'");
    }
  }

  static RuntimeException failure(String kind) {
    return switch (kind) {
      case "syntax" -> MeridianException.syntax("line 1:0 mismatched input");
      case "invalid" -> MeridianException.invalid("Undefined column name x in table ks.t");
      case "exists" -> new AlreadyExistsException("ks", "t");
      case "unprepared" -> new UnpreparedException(new byte[] {1, 2, 3}, "010203");
      case "unauthorized" -> new MeridianException(CqlErrorCode.UNAUTHORIZED, "no SELECT on ks.t");
      case "config" -> MeridianException.configError("bad table option");
      case "unavailable" -> new UnavailableException(ProtocolConstants.ConsistencyLevel.QUORUM, 2, 1);
      case "readtimeout" -> new ReadTimeoutException(
          ProtocolConstants.ConsistencyLevel.QUORUM, 1, 2, false);
      case "writetimeout" -> new WriteTimeoutException(
          ProtocolConstants.ConsistencyLevel.QUORUM, 1, 2, "SIMPLE");
      case "overloaded" -> new MeridianException(CqlErrorCode.OVERLOADED, "too busy");
      case "bare-unavailable" -> new MeridianException(CqlErrorCode.UNAVAILABLE, "no fields");
      case "server" -> MeridianException.server("disk on fire", null);
      default -> new IllegalStateException("boom " + kind);
    };
  }

  private static CompletionStage<Response> done(Message message) {
    return CompletableFuture.completedFuture(Response.of(message));
  }

  private static ColumnSpec column(String table, String name, int index, RawType type) {
    return new ColumnSpec("system", table, name, index, type);
  }

  private static RawType primitive(int code) {
    return RawType.PRIMITIVES.get(code);
  }

  private static ByteBuffer text(String value) {
    return ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8));
  }

  private static ByteBuffer uuid(UUID value) {
    ByteBuffer b = ByteBuffer.allocate(16);
    b.putLong(value.getMostSignificantBits()).putLong(value.getLeastSignificantBits()).flip();
    return b;
  }

  static Message localRow() {
    List<ColumnSpec> specs = new ArrayList<>();
    String t = "local";
    int i = 0;
    specs.add(column(t, "key", i++, primitive(ProtocolConstants.DataType.VARCHAR)));
    specs.add(column(t, "rpc_address", i++, primitive(ProtocolConstants.DataType.INET)));
    specs.add(column(t, "broadcast_address", i++, primitive(ProtocolConstants.DataType.INET)));
    specs.add(column(t, "listen_address", i++, primitive(ProtocolConstants.DataType.INET)));
    specs.add(column(t, "data_center", i++, primitive(ProtocolConstants.DataType.VARCHAR)));
    specs.add(column(t, "rack", i++, primitive(ProtocolConstants.DataType.VARCHAR)));
    specs.add(column(t, "release_version", i++, primitive(ProtocolConstants.DataType.VARCHAR)));
    specs.add(column(t, "cluster_name", i++, primitive(ProtocolConstants.DataType.VARCHAR)));
    specs.add(column(t, "partitioner", i++, primitive(ProtocolConstants.DataType.VARCHAR)));
    specs.add(column(t, "host_id", i++, primitive(ProtocolConstants.DataType.UUID)));
    specs.add(column(t, "schema_version", i++, primitive(ProtocolConstants.DataType.UUID)));
    specs.add(
        column(
            t,
            "tokens",
            i++,
            new RawType.RawSet(primitive(ProtocolConstants.DataType.VARCHAR))));
    ByteBuffer loopback = ByteBuffer.wrap(InetAddress.getLoopbackAddress().getAddress());
    ByteBuffer tokens = ByteBuffer.allocate(4 + 4 + 1);
    tokens.putInt(1).putInt(1).put((byte) '0').flip();
    List<ByteBuffer> row =
        Arrays.asList(
            text("local"),
            loopback.duplicate(),
            loopback.duplicate(),
            loopback.duplicate(),
            text("dc1"),
            text("rack1"),
            text("4.1.0"),
            text("meridian-test"),
            text("org.apache.cassandra.dht.Murmur3Partitioner"),
            uuid(HOST_ID),
            uuid(SCHEMA_VERSION),
            tokens);
    return rows(specs, List.of(row));
  }

  static Message emptyRows() {
    List<ColumnSpec> specs =
        List.of(column("peers", "peer", 0, primitive(ProtocolConstants.DataType.INET)));
    return rows(specs, List.of());
  }

  static Message textRowMessage(String value) {
    return textRow(value);
  }

  private static Message textRow(String value) {
    List<ColumnSpec> specs =
        List.of(
            new ColumnSpec("test", "t", "v", 0, primitive(ProtocolConstants.DataType.VARCHAR)));
    return rows(specs, List.of(List.of(text(value))));
  }

  private static Message bigRow(int bytes, boolean random) {
    byte[] data = new byte[bytes];
    if (random) {
      new Random(42).nextBytes(data);
    } else {
      for (int i = 0; i < bytes; i++) {
        data[i] = (byte) ('a' + i % 7);
      }
    }
    List<ColumnSpec> specs =
        List.of(new ColumnSpec("test", "t", "b", 0, primitive(ProtocolConstants.DataType.BLOB)));
    return rows(specs, List.of(List.of(ByteBuffer.wrap(data))));
  }

  private static Message rows(List<ColumnSpec> specs, List<List<ByteBuffer>> data) {
    Queue<List<ByteBuffer>> queue = new ArrayDeque<>(data);
    return new DefaultRows(new RowsMetadata(specs, null, new int[0], null), queue);
  }

  static Map<String, ByteBuffer> payload(String key, String value) {
    return Map.of(key, text(value));
  }
}
