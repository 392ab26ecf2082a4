package io.meridian.replication;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The envelope shared by the replication messages that are not log entries (read requests and
 * results, state machine replies), and the field primitives inside it.
 *
 * <pre>
 * offset  size  field
 * 0       4     magic (one per message family)
 * 4       1     format version
 * 5       1     kind (what the payload is)
 * 6       4     payload length in bytes (n)
 * 10      n     payload
 * 10+n    4     CRC32C of bytes [0, 10+n)
 *
 * bytes  = i32 length (>= 0), then the bytes;  nbytes = i32 length (-1 for null), then the bytes
 * string = bytes, UTF-8;  every integer big endian
 * </pre>
 */
final class WireFrame {
  /** Decodes UTF-8, refusing malformed or unmappable bytes instead of replacing them. */
  static String strictUtf8(byte[] b) throws CharacterCodingException {
    return StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(b))
        .toString();
  }

  static final int HEADER_BYTES = 4 + 1 + 1 + 4;
  static final int CRC_BYTES = 4;

  private WireFrame() {}

  /** Builds one message: write the payload with the {@code put*} methods, then {@link #finish}. */
  static final class Out {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    private final DataOutputStream out = new DataOutputStream(bytes);

    Out(int magic, byte version, byte kind) {
      try {
        out.writeInt(magic);
        out.writeByte(version);
        out.writeByte(kind);
        out.writeInt(0); // payload length, patched by finish
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    Out putByte(int b) {
      try {
        out.writeByte(b);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    Out putBoolean(boolean b) {
      return putByte(b ? 1 : 0);
    }

    Out putInt(int v) {
      try {
        out.writeInt(v);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    Out putLong(long v) {
      try {
        out.writeLong(v);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    /** A byte array that may be null (written as length -1). */
    Out putBytes(byte[] b) {
      if (b == null) {
        return putInt(-1);
      }
      putInt(b.length);
      try {
        out.write(b);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    Out putString(String s) {
      return putBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Bytes written so far, header included. */
    int size() {
      return bytes.size();
    }

    byte[] finish() {
      byte[] b = bytes.toByteArray();
      ByteBuffer.wrap(b).putInt(6, b.length - HEADER_BYTES);
      CRC32C crc = new CRC32C();
      crc.update(b, 0, b.length);
      return ByteBuffer.allocate(b.length + CRC_BYTES).put(b).putInt((int) crc.getValue()).array();
    }
  }

  /** Reads one message after checking magic, version, length and checksum; see {@link #open}. */
  static final class In {
    private final ByteBuffer in;
    private final byte kind;

    private In(ByteBuffer payload, byte kind) {
      this.in = payload;
      this.kind = kind;
    }

    byte kind() {
      return kind;
    }

    byte getByte() {
      return get(() -> in.get());
    }

    boolean getBoolean() {
      byte b = getByte();
      if (b != 0 && b != 1) {
        throw new CorruptMessageException("boolean field holds " + b);
      }
      return b == 1;
    }

    int getInt() {
      return get(in::getInt);
    }

    long getLong() {
      return get(in::getLong);
    }

    /** A count of items each at least {@code minItemBytes} long: it must fit in the bytes left. */
    int getCount(int minItemBytes) {
      int count = getInt();
      if (count < 0 || (long) count * minItemBytes > in.remaining()) {
        throw new CorruptMessageException("count " + count + " does not fit in the " + in.remaining() + " bytes left");
      }
      return count;
    }

    byte[] getBytes(boolean nullable) {
      int length = getInt();
      if (length == -1 && nullable) {
        return null;
      }
      if (length < 0 || length > in.remaining()) {
        throw new CorruptMessageException("field length " + length + " does not fit in the " + in.remaining()
            + " bytes left");
      }
      byte[] b = new byte[length];
      in.get(b);
      return b;
    }

    String getString() {
      byte[] b = getBytes(false);
      try {
        return strictUtf8(b);
      } catch (CharacterCodingException e) {
        throw new CorruptMessageException("string field is not valid UTF-8", e);
      }
    }

    /** Fails unless the payload was consumed exactly. */
    void end() {
      if (in.hasRemaining()) {
        throw new CorruptMessageException(in.remaining() + " trailing payload bytes");
      }
    }

    private <T> T get(java.util.function.Supplier<T> read) {
      try {
        return read.get();
      } catch (BufferUnderflowException e) {
        throw new CorruptMessageException("payload ends inside a field", e);
      }
    }
  }

  /** Checks the envelope of {@code message} (its remaining bytes; its position is not moved). */
  static In open(ByteBuffer message, int magic, byte version, String what) {
    ByteBuffer in = message.slice().order(ByteOrder.BIG_ENDIAN);
    int size = in.remaining();
    if (size < HEADER_BYTES + CRC_BYTES) {
      throw new CorruptMessageException(what + " of " + size + " bytes is shorter than its header");
    }
    int seenMagic = in.getInt();
    if (seenMagic != magic) {
      throw new CorruptMessageException(what + ": bad magic 0x" + Integer.toHexString(seenMagic) + ", expected 0x"
          + Integer.toHexString(magic));
    }
    byte seenVersion = in.get();
    if (seenVersion != version) {
      throw new CorruptMessageException(what + ": unknown format version " + seenVersion + ", expected " + version);
    }
    byte kind = in.get();
    int payloadBytes = in.getInt();
    if (payloadBytes < 0 || (long) HEADER_BYTES + payloadBytes + CRC_BYTES != size) {
      throw new CorruptMessageException(what + ": payload length " + payloadBytes + " does not match size " + size);
    }
    CRC32C crc = new CRC32C();
    ByteBuffer covered = in.duplicate();
    covered.position(0).limit(HEADER_BYTES + payloadBytes);
    crc.update(covered);
    int stored = in.getInt(HEADER_BYTES + payloadBytes);
    if ((int) crc.getValue() != stored) {
      throw new CorruptMessageException(what + ": checksum mismatch");
    }
    in.limit(HEADER_BYTES + payloadBytes);
    return new In(in.slice(), kind);
  }
}
