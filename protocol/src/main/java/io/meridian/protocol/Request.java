package io.meridian.protocol;

import com.datastax.oss.protocol.internal.Message;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * One decoded client request as handed to {@link CqlRequestHandler#handleRequest}: the message
 * (QUERY, PREPARE, EXECUTE or BATCH) with the frame-level extras that came with it.
 *
 * @param streamId the frame's stream id; the response goes back on the same one
 * @param message the decoded request message
 * @param customPayload the request's custom payload (empty if none; v4+ only)
 * @param tracingRequested whether the client set the tracing flag on this request
 */
public record Request(
    int streamId, Message message, Map<String, ByteBuffer> customPayload, boolean tracingRequested) {}
