package io.meridian.protocol;

import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.response.Error;
import com.datastax.oss.protocol.internal.response.error.AlreadyExists;
import com.datastax.oss.protocol.internal.response.error.FunctionFailure;
import com.datastax.oss.protocol.internal.response.error.ReadTimeout;
import com.datastax.oss.protocol.internal.response.error.Unavailable;
import com.datastax.oss.protocol.internal.response.error.Unprepared;
import com.datastax.oss.protocol.internal.response.error.WriteTimeout;
import io.meridian.common.AlreadyExistsException;
import io.meridian.common.CqlErrorCode;
import io.meridian.common.FunctionFailureException;
import io.meridian.common.MeridianException;
import io.meridian.common.UnpreparedException;
import io.meridian.protocol.error.ReadTimeoutException;
import io.meridian.protocol.error.UnavailableException;
import io.meridian.protocol.error.WriteTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a failure becomes a protocol ERROR message.
 *
 * <ul>
 *   <li>A {@link MeridianException} keeps its code and message; the typed subclasses carry their
 *       extra fields (keyspace/table, statement id, consistency and replica counts).
 *   <li>A code whose ERROR body needs fields (UNAVAILABLE, READ_TIMEOUT, ...) raised without the
 *       typed subclass cannot be encoded faithfully; it becomes SERVER_ERROR like any bug.
 *   <li>Anything else is a server error: the client sees {@code Internal error <id>: <class>} and
 *       the log gets the same id with the stack trace, once.
 * </ul>
 */
public final class ErrorResponses {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);
  private static final AtomicLong ERROR_SEQUENCE = new AtomicLong();
  /** Distinguishes ids of different server processes in aggregated logs. */
  private static final String ID_PREFIX =
      Long.toHexString(ProcessHandle.current().pid() & 0xFFFF) + "-";

  private ErrorResponses() {}

  public static Error protocolError(String message) {
    return new Error(ProtocolConstants.ErrorCode.PROTOCOL_ERROR, message);
  }

  public static Error overloaded(String message) {
    return new Error(ProtocolConstants.ErrorCode.OVERLOADED, message);
  }

  /** Converts any failure into the ERROR message the client receives. */
  public static Message toError(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof MeridianException e) {
      return fromMeridian(e);
    }
    String id = nextId();
    LOG.error("Internal error {} while handling a request", id, cause);
    return new Error(
        ProtocolConstants.ErrorCode.SERVER_ERROR,
        "Internal error " + id + ": " + cause.getClass().getName());
  }

  private static Message fromMeridian(MeridianException e) {
    String message = e.getMessage() == null ? e.code().name() : e.getMessage();
    if (e instanceof AlreadyExistsException a) {
      return new AlreadyExists(message, a.keyspace(), a.table());
    }
    if (e instanceof FunctionFailureException f) {
      return new FunctionFailure(message, f.keyspace(), f.function(), f.argumentTypes());
    }
    if (e instanceof UnpreparedException u) {
      return new Unprepared(message, u.statementId());
    }
    if (e instanceof UnavailableException u) {
      return new Unavailable(message, u.consistencyLevel(), u.required(), u.alive());
    }
    if (e instanceof ReadTimeoutException r) {
      return new ReadTimeout(
          message, r.consistencyLevel(), r.received(), r.blockFor(), r.dataPresent());
    }
    if (e instanceof WriteTimeoutException w) {
      return new WriteTimeout(
          message, w.consistencyLevel(), w.received(), w.blockFor(), w.writeType());
    }
    CqlErrorCode code = e.code();
    if (needsTypedFields(code)) {
      String id = nextId();
      LOG.error(
          "Internal error {}: {} raised as a plain {}, expected its typed subclass carrying the"
              + " ERROR body fields",
          id,
          code,
          e.getClass().getName(),
          e);
      return new Error(
          ProtocolConstants.ErrorCode.SERVER_ERROR,
          "Internal error " + id + ": " + code + " without its fields: " + message);
    }
    if (code == CqlErrorCode.SERVER_ERROR) {
      String id = nextId();
      LOG.error("Internal error {}: {}", id, message, e);
      return new Error(code.wireCode(), "Internal error " + id + ": " + message);
    }
    return new Error(code.wireCode(), message);
  }

  private static boolean needsTypedFields(CqlErrorCode code) {
    return switch (code) {
      case UNAVAILABLE, WRITE_TIMEOUT, READ_TIMEOUT, READ_FAILURE, WRITE_FAILURE,
          FUNCTION_FAILURE, ALREADY_EXISTS, UNPREPARED -> true;
      default -> false;
    };
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable current = failure;
    // Bounded: completion wrappers nest at most a few levels deep.
    for (int depth = 0; depth < 8; depth++) {
      if ((current instanceof CompletionException || current instanceof ExecutionException)
          && current.getCause() != null) {
        current = current.getCause();
      } else {
        break;
      }
    }
    return current;
  }

  private static String nextId() {
    return ID_PREFIX + ERROR_SEQUENCE.incrementAndGet();
  }
}
