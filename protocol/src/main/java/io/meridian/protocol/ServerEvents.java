package io.meridian.protocol;

import com.datastax.oss.protocol.internal.response.Event;

/**
 * Pushes EVENT messages (schema, topology, status changes) to every connection that REGISTERed
 * for that event type.
 */
public interface ServerEvents {
  void publish(Event event);
}
