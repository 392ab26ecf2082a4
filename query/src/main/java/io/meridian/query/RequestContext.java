package io.meridian.query;

import io.meridian.protocol.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * What one request collects besides its result: client warnings (sent in the response frame, v4+)
 * and, when the client asked for tracing, its {@link RequestTrace}. The query thread running the
 * request makes it current ({@link #runAs}), so the code deep in execution can add to it without
 * passing it through every call, as Cassandra does with its client-warning and tracing state.
 * Work that continues on other threads (storage completions) captures the context first.
 */
final class RequestContext {
  private static final ThreadLocal<RequestContext> CURRENT = new ThreadLocal<>();

  private final RequestTrace trace;
  private final List<String> warnings = new ArrayList<>();

  RequestContext(RequestTrace trace) {
    this.trace = trace;
  }

  /** The context of the request running on this thread, or null outside a request. */
  static RequestContext current() {
    return CURRENT.get();
  }

  /** Runs {@code action} on this thread with this context current. */
  <T> T runAs(java.util.function.Supplier<T> action) {
    RequestContext previous = CURRENT.get();
    CURRENT.set(this);
    try {
      return action.get();
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }

  /** Runs {@code action} with {@code context} current, or as it is when there is none (outside a request). */
  static <T> T runIn(RequestContext context, java.util.function.Supplier<T> action) {
    return context == null ? action.get() : context.runAs(action);
  }

  /** Adds a trace event to the current request if it is traced. */
  static void trace(String activity) {
    RequestContext c = CURRENT.get();
    if (c != null) {
      c.traceEvent(activity);
    }
  }

  /** Whether the current request is traced (to skip building costly event texts). */
  static boolean tracing() {
    RequestContext c = CURRENT.get();
    return c != null && c.trace != null;
  }

  /** Adds a client warning to the current request. */
  static void warn(String warning) {
    RequestContext c = CURRENT.get();
    if (c != null) {
      c.addWarning(warning);
    }
  }

  void traceEvent(String activity) {
    if (trace != null) {
      trace.event(activity);
    }
  }

  RequestTrace trace() {
    return trace;
  }

  synchronized void addWarning(String warning) {
    // Same warning once; bounded like the frame that carries them.
    if (!warnings.contains(warning) && warnings.size() < Response.WARNINGS_MAX) {
      warnings.add(warning);
    }
    traceEvent(warning);
  }

  synchronized List<String> warnings() {
    return List.copyOf(warnings);
  }
}
