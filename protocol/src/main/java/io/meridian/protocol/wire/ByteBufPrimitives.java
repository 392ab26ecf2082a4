package io.meridian.protocol.wire;

import com.datastax.oss.protocol.internal.PrimitiveCodec;
import com.datastax.oss.protocol.internal.ProtocolConstants;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The native protocol's primitive types ([int], [short], [string], [bytes], ...) over Netty
 * buffers, for the DataStax codec. Reads are relative (they consume the buffer); a length that
 * runs past the readable bytes fails with an {@link IndexOutOfBoundsException}, which the frame
 * decoder reports as an undecodable request.
 *
 * <p>[bytes] follows the v4+ value convention: length -1 is null, -2 is "unset" and decodes to
 * the codec's {@link ProtocolConstants#UNSET_VALUE} marker instance (callers compare by
 * identity); any other negative length is malformed. Decoded [bytes] are copied out of the frame
 * into heap buffers, so decoded messages never pin pooled memory.
 */
public final class ByteBufPrimitives implements PrimitiveCodec<ByteBuf> {
  private final ByteBufAllocator allocator;

  public ByteBufPrimitives(ByteBufAllocator allocator) {
    this.allocator = allocator;
  }

  public ByteBufAllocator allocator() {
    return allocator;
  }

  @Override
  public ByteBuf allocate(int size) {
    return allocator.ioBuffer(size, size);
  }

  @Override
  public void release(ByteBuf buffer) {
    buffer.release();
  }

  @Override
  public int sizeOf(ByteBuf buffer) {
    return buffer.readableBytes();
  }

  @Override
  public ByteBuf concat(ByteBuf left, ByteBuf right) {
    CompositeByteBuf both = allocator.compositeBuffer(2);
    both.addComponents(true, left, right);
    return both;
  }

  @Override
  public void markReaderIndex(ByteBuf source) {
    source.markReaderIndex();
  }

  @Override
  public void resetReaderIndex(ByteBuf source) {
    source.resetReaderIndex();
  }

  @Override
  public byte readByte(ByteBuf source) {
    return source.readByte();
  }

  @Override
  public int readInt(ByteBuf source) {
    return source.readInt();
  }

  @Override
  public int readInt(ByteBuf source, int offset) {
    return source.getInt(source.readerIndex() + offset);
  }

  @Override
  public InetAddress readInetAddr(ByteBuf source) {
    int length = source.readUnsignedByte();
    if (length != 4 && length != 16) {
      throw new IllegalArgumentException(
          "inet address of " + length + " bytes, expected 4 (IPv4) or 16 (IPv6)");
    }
    byte[] address = new byte[length];
    source.readBytes(address);
    try {
      return InetAddress.getByAddress(address);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("invalid inet address", e);
    }
  }

  @Override
  public long readLong(ByteBuf source) {
    return source.readLong();
  }

  @Override
  public int readUnsignedShort(ByteBuf source) {
    return source.readUnsignedShort();
  }

  @Override
  public ByteBuffer readBytes(ByteBuf source) {
    int length = source.readInt();
    if (length == -1) {
      return null;
    }
    if (length == -2) {
      return ProtocolConstants.UNSET_VALUE;
    }
    if (length < 0) {
      throw new IllegalArgumentException(
          "[bytes] length " + length + ", expected >= 0, -1 (null) or -2 (unset)");
    }
    checkReadable(source, length, "[bytes]");
    byte[] copy = new byte[length];
    source.readBytes(copy);
    return ByteBuffer.wrap(copy);
  }

  @Override
  public byte[] readShortBytes(ByteBuf source) {
    int length = source.readUnsignedShort();
    checkReadable(source, length, "[short bytes]");
    byte[] copy = new byte[length];
    source.readBytes(copy);
    return copy;
  }

  @Override
  public String readString(ByteBuf source) {
    int length = source.readUnsignedShort();
    return readUtf8(source, length, "[string]");
  }

  @Override
  public String readLongString(ByteBuf source) {
    int length = source.readInt();
    if (length < 0) {
      throw new IllegalArgumentException("[long string] length " + length + ", expected >= 0");
    }
    return readUtf8(source, length, "[long string]");
  }

  private static String readUtf8(ByteBuf source, int length, String what) {
    checkReadable(source, length, what);
    String value = source.toString(source.readerIndex(), length, StandardCharsets.UTF_8);
    source.skipBytes(length);
    return value;
  }

  private static void checkReadable(ByteBuf source, int length, String what) {
    if (length > source.readableBytes()) {
      throw new IndexOutOfBoundsException(
          what + " of " + length + " bytes, but only " + source.readableBytes() + " remain");
    }
  }

  @Override
  public ByteBuf readRetainedSlice(ByteBuf source, int sliceLength) {
    return source.readRetainedSlice(sliceLength);
  }

  @Override
  public void updateCrc(ByteBuf source, CRC32 crc) {
    int index = source.readerIndex();
    int length = source.readableBytes();
    if (source.nioBufferCount() == 1) {
      crc.update(source.internalNioBuffer(index, length));
    } else {
      for (ByteBuffer part : source.nioBuffers(index, length)) {
        crc.update(part);
      }
    }
  }

  @Override
  public void writeByte(byte value, ByteBuf dest) {
    dest.writeByte(value);
  }

  @Override
  public void writeInt(int value, ByteBuf dest) {
    dest.writeInt(value);
  }

  @Override
  public void writeInetAddr(InetAddress address, ByteBuf dest) {
    byte[] bytes = address.getAddress();
    dest.writeByte(bytes.length);
    dest.writeBytes(bytes);
  }

  @Override
  public void writeLong(long value, ByteBuf dest) {
    dest.writeLong(value);
  }

  @Override
  public void writeUnsignedShort(int value, ByteBuf dest) {
    dest.writeShort(value);
  }

  @Override
  public void writeString(String value, ByteBuf dest) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > 0xFFFF) {
      throw new IllegalArgumentException(
          "[string] of " + bytes.length + " bytes, at most 65535 fit a [short] length");
    }
    dest.writeShort(bytes.length);
    dest.writeBytes(bytes);
  }

  @Override
  public void writeLongString(String value, ByteBuf dest) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    dest.writeInt(bytes.length);
    dest.writeBytes(bytes);
  }

  @Override
  public void writeBytes(ByteBuffer value, ByteBuf dest) {
    if (value == null) {
      dest.writeInt(-1);
    } else if (value == ProtocolConstants.UNSET_VALUE) {
      dest.writeInt(-2);
    } else {
      dest.writeInt(value.remaining());
      dest.writeBytes(value.duplicate());
    }
  }

  @Override
  public void writeBytes(byte[] value, ByteBuf dest) {
    if (value == null) {
      dest.writeInt(-1);
    } else {
      dest.writeInt(value.length);
      dest.writeBytes(value);
    }
  }

  @Override
  public void writeShortBytes(byte[] value, ByteBuf dest) {
    if (value.length > 0xFFFF) {
      throw new IllegalArgumentException(
          "[short bytes] of " + value.length + " bytes, at most 65535 fit a [short] length");
    }
    dest.writeShort(value.length);
    dest.writeBytes(value);
  }
}
