package io.meridian.query;

import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.request.Batch;
import com.datastax.oss.protocol.internal.request.Execute;
import com.datastax.oss.protocol.internal.request.Prepare;
import com.datastax.oss.protocol.internal.request.Query;
import com.datastax.oss.protocol.internal.request.query.QueryOptions;
import io.meridian.common.Clock;
import io.meridian.protocol.ClientSession;
import io.meridian.protocol.error.ConsistencyLevels;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How a traced request describes itself in system_traces.sessions: Cassandra's request names
 * ("Execute CQL3 query", ...) and parameters (query string, consistency levels, page size, and the
 * bound values of a prepared statement as CQL literals).
 */
final class TraceDescriptions {
  /** A bound value longer than this is cut in the trace parameters, as in Cassandra. */
  static final int BOUND_VALUE_CHARS_MAX = 1000;

  private TraceDescriptions() {}

  static RequestTrace begin(Clock clock, ClientSession session, Message message,
                            Function<byte[], QueryProcessor.PreparedStatement> preparedById) {
    InetAddress client = session.remoteAddress() == null ? null : session.remoteAddress().getAddress();
    Map<String, String> parameters = new LinkedHashMap<>();
    String request;
    if (message instanceof Query q) {
      request = "Execute CQL3 query";
      parameters.put("query", q.query);
      options(q.options, parameters);
    } else if (message instanceof Prepare p) {
      request = "Preparing CQL3 query";
      parameters.put("query", p.cqlQuery);
    } else if (message instanceof Execute e) {
      request = "Execute CQL3 prepared query";
      options(e.options, parameters);
      QueryProcessor.PreparedStatement ps = preparedById.apply(e.queryId);
      if (ps != null) {
        parameters.put("query", ps.query());
        boundValues(ps.variables(), e.options.positionalValues, parameters);
      }
    } else if (message instanceof Batch b) {
      request = "Execute batch of CQL3 queries";
      parameters.put("consistency_level", consistency(b.consistency));
      parameters.put("serial_consistency_level", consistency(b.serialConsistency));
    } else {
      request = "Execute request";
    }
    return new RequestTrace(clock, client, request, parameters);
  }

  private static void options(QueryOptions options, Map<String, String> parameters) {
    if (options.pageSize > 0) {
      parameters.put("page_size", Integer.toString(options.pageSize));
    }
    parameters.put("consistency_level", consistency(options.consistency));
    parameters.put("serial_consistency_level", consistency(options.serialConsistency));
  }

  private static String consistency(int code) {
    try {
      return ConsistencyLevels.name(code);
    } catch (IllegalArgumentException e) {
      return Integer.toString(code);
    }
  }

  /** bound_var_{index}_{name} = the value as a CQL literal, "<unset>" for an unset value. */
  private static void boundValues(BindVariables variables, List<ByteBuffer> values, Map<String, String> parameters) {
    BindVariables.Variable[] vars = variables.variables;
    for (int i = 0; i < vars.length && i < values.size(); i++) {
      ByteBuffer value = values.get(i);
      String literal;
      if (BoundValues.isUnset(value)) {
        literal = "<unset>";
      } else if (value == null) {
        literal = "null";
      } else {
        try {
          literal = vars[i].type().toCqlLiteral(value.duplicate());
        } catch (RuntimeException invalid) {
          // The request itself will answer the bad value; tracing must not fail it first.
          literal = "<invalid " + vars[i].type().cqlName() + " value of " + value.remaining() + " bytes>";
        }
      }
      if (literal.length() > BOUND_VALUE_CHARS_MAX) {
        literal = literal.substring(0, BOUND_VALUE_CHARS_MAX) + "...'";
      }
      parameters.put("bound_var_" + i + "_" + vars[i].name(), literal);
    }
  }
}
