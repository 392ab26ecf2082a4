package io.meridian.protocol;

import com.datastax.oss.protocol.internal.Message;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A handler's answer to one request: the response message plus optional frame-level extras.
 * Warnings and the custom payload are sent on protocol v4 and later and silently dropped on v3
 * (which has no room for them). The tracing id is sent whenever present.
 *
 * <p>Bounds: at most {@link #WARNINGS_MAX} warnings of at most 65535 UTF-8 bytes each.
 */
public record Response(
    Message message, List<String> warnings, Map<String, ByteBuffer> customPayload, UUID tracingId) {

  public static final int WARNINGS_MAX = 64;

  public Response {
    if (message == null || !message.isResponse) {
      throw new IllegalArgumentException(
          "response message is " + message + ", expected a response message (RESULT, ERROR, ...)");
    }
    warnings = List.copyOf(warnings);
    if (warnings.size() > WARNINGS_MAX) {
      throw new IllegalArgumentException(
          warnings.size() + " warnings, expected at most " + WARNINGS_MAX);
    }
    customPayload = Map.copyOf(customPayload);
  }

  public static Response of(Message message) {
    return new Response(message, List.of(), Map.of(), null);
  }

  public Response withWarnings(List<String> newWarnings) {
    return new Response(message, newWarnings, customPayload, tracingId);
  }

  public Response withCustomPayload(Map<String, ByteBuffer> newCustomPayload) {
    return new Response(message, warnings, newCustomPayload, tracingId);
  }

  public Response withTracingId(UUID newTracingId) {
    return new Response(message, warnings, customPayload, newTracingId);
  }
}
