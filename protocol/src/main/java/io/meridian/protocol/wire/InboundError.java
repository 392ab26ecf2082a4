package io.meridian.protocol.wire;

/**
 * What the frame decoder emits instead of a frame when input is bad.
 *
 * <p>{@link Fatal}: the byte stream itself is broken (bad header, unsupported version, oversize
 * length, CRC mismatch, segment/frame boundaries that disagree). The connection answers
 * PROTOCOL_ERROR and closes; the decoder discards everything after it.
 *
 * <p>{@link Undecodable}: the frame was intact but its body did not decode. Only that stream gets
 * PROTOCOL_ERROR; the connection stays usable.
 */
public sealed interface InboundError {
  int protocolVersion();

  int streamId();

  String message();

  /**
   * @param protocolVersion the version to answer in: the connection's, else the frame's if we
   *     speak it, else the client's raw version byte (1 or 2 need the 8-byte v1/v2 header)
   */
  record Fatal(int protocolVersion, int streamId, String message) implements InboundError {}

  record Undecodable(int protocolVersion, int streamId, String message) implements InboundError {}
}
