package io.meridian.replication;

import java.nio.ByteBuffer;

/**
 * What the state machine answers for one applied log entry: a two-byte reply (format version,
 * verdict), so a client can tell a guarded write that was refused from one that landed.
 */
public enum ApplyVerdict {
  /** The entry's mutations were applied (blind writes always are). */
  APPLIED(0),
  /** A guarded entry whose bucket version had moved: nothing was written. */
  CONFLICT(1),
  /** The tablet was sealed for a split by an earlier entry: nothing was written; its halves take writes. */
  SEALED(2);

  static final byte FORMAT_VERSION = 1;
  private final byte code;

  ApplyVerdict(int code) {
    this.code = (byte) code;
  }

  public byte[] encode() {
    return new byte[] {FORMAT_VERSION, code};
  }

  public static ApplyVerdict decode(ByteBuffer reply) {
    ByteBuffer in = reply.slice();
    if (in.remaining() != 2 || in.get(0) != FORMAT_VERSION) {
      throw new CorruptMessageException("apply reply of " + in.remaining() + " bytes"
          + (in.remaining() > 0 ? " and format " + in.get(0) : "") + ", expected 2 bytes of format " + FORMAT_VERSION);
    }
    byte code = in.get(1);
    for (ApplyVerdict v : values()) {
      if (v.code == code) {
        return v;
      }
    }
    throw new CorruptMessageException("unknown apply verdict " + code);
  }
}
