package io.meridian.protocol;

import com.datastax.oss.protocol.internal.Message;
import java.util.concurrent.CompletionStage;

/**
 * What the protocol layer hands requests to once a connection is READY: QUERY, PREPARE, EXECUTE
 * and BATCH messages (as decoded by the native-protocol codec). The returned stage completes with
 * the response message (a Result) or exceptionally with a MeridianException, which the protocol
 * layer turns into the ERROR frame. Implementations must not block the calling event-loop thread.
 */
public interface CqlRequestHandler {
  CompletionStage<Message> handle(ClientSession session, Message request);
}
