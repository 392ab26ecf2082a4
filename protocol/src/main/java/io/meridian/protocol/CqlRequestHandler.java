package io.meridian.protocol;

import com.datastax.oss.protocol.internal.Message;
import java.util.concurrent.CompletionStage;

/**
 * What the protocol layer hands requests to once a connection is READY: QUERY, PREPARE, EXECUTE
 * and BATCH messages (as decoded by the native-protocol codec). The returned stage completes with
 * the response message (a Result) or exceptionally with a MeridianException, which the protocol
 * layer turns into the ERROR frame. Implementations must not block the calling event-loop thread.
 *
 * <p>Requests of one connection are dispatched concurrently; responses go back as their stages
 * complete, in any order, each on its request's stream id.
 */
public interface CqlRequestHandler {
  CompletionStage<Message> handle(ClientSession session, Message request);

  /**
   * The entry point the server calls. Override it instead of {@link #handle(ClientSession,
   * Message)} to see the request's custom payload and tracing flag, or to answer with warnings, a
   * custom payload or a tracing id (see {@link Response}). The default delegates to {@code
   * handle} and adds nothing.
   */
  default CompletionStage<Response> handleRequest(ClientSession session, Request request) {
    return handle(session, request.message()).thenApply(Response::of);
  }
}
