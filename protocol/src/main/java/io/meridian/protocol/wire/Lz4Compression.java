package io.meridian.protocol.wire;

import com.datastax.oss.protocol.internal.Compressor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * LZ4 block compression for the native protocol.
 *
 * <ul>
 *   <li>v3/v4 frame bodies ({@link #compress}/{@link #decompress}): a 4-byte big-endian
 *       decompressed length, then one LZ4 block.
 *   <li>v5 segment payloads ({@link #compressWithoutLength}/{@link #decompressWithoutLength}): one
 *       bare LZ4 block; the segment header carries the decompressed length.
 * </ul>
 *
 * <p>Decompression uses the safe decompressor (input comes from the network), checks that the
 * block expands to exactly the announced length, and refuses announced lengths above
 * {@code decompressedBytesMax} before allocating. Every method consumes the readable bytes of its
 * input and never releases it; the result is a new buffer owned by the caller.
 */
public final class Lz4Compression implements Compressor<ByteBuf> {
  public static final String ALGORITHM = "lz4";
  private static final int LENGTH_PREFIX_BYTES = 4;

  private final ByteBufAllocator allocator;
  private final int decompressedBytesMax;
  private final LZ4Compressor compressor;
  private final LZ4SafeDecompressor decompressor;

  public Lz4Compression(ByteBufAllocator allocator, int decompressedBytesMax) {
    if (decompressedBytesMax <= 0) {
      throw new IllegalArgumentException(
          "decompressedBytesMax is " + decompressedBytesMax + ", expected > 0");
    }
    this.allocator = allocator;
    this.decompressedBytesMax = decompressedBytesMax;
    LZ4Factory factory = LZ4Factory.fastestInstance();
    this.compressor = factory.fastCompressor();
    this.decompressor = factory.safeDecompressor();
  }

  @Override
  public String algorithm() {
    return ALGORITHM;
  }

  @Override
  public ByteBuf compress(ByteBuf uncompressed) {
    return compressInto(uncompressed, true);
  }

  @Override
  public ByteBuf compressWithoutLength(ByteBuf uncompressed) {
    return compressInto(uncompressed, false);
  }

  @Override
  public ByteBuf decompress(ByteBuf compressed) {
    if (compressed.readableBytes() < LENGTH_PREFIX_BYTES) {
      throw new IllegalArgumentException(
          "compressed body of "
              + compressed.readableBytes()
              + " bytes, expected at least the 4-byte length prefix");
    }
    int decompressedLength = compressed.readInt();
    return decompressWithoutLength(compressed, decompressedLength);
  }

  @Override
  public ByteBuf decompressWithoutLength(ByteBuf compressed, int decompressedLength) {
    if (decompressedLength < 0 || decompressedLength > decompressedBytesMax) {
      throw new IllegalArgumentException(
          "announced decompressed length "
              + decompressedLength
              + ", expected 0.."
              + decompressedBytesMax);
    }
    int compressedLength = compressed.readableBytes();
    ByteBuf out = allocator.ioBuffer(decompressedLength, decompressedLength);
    try {
      if (decompressedLength > 0) {
        ByteBuffer src = compressed.nioBuffer(compressed.readerIndex(), compressedLength);
        ByteBuffer dst = out.internalNioBuffer(0, decompressedLength);
        int produced;
        try {
          produced =
              decompressor.decompress(
                  src, src.position(), compressedLength, dst, dst.position(), decompressedLength);
        } catch (LZ4Exception e) {
          throw new IllegalArgumentException("malformed LZ4 block: " + e.getMessage(), e);
        }
        if (produced != decompressedLength) {
          throw new IllegalArgumentException(
              "LZ4 block expanded to "
                  + produced
                  + " bytes, expected the announced "
                  + decompressedLength);
        }
        out.writerIndex(decompressedLength);
      }
      compressed.skipBytes(compressedLength);
      return out;
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
  }

  private ByteBuf compressInto(ByteBuf uncompressed, boolean withLength) {
    int length = uncompressed.readableBytes();
    int prefix = withLength ? LENGTH_PREFIX_BYTES : 0;
    int bound = compressor.maxCompressedLength(length);
    ByteBuf out = allocator.ioBuffer(prefix + bound);
    try {
      if (withLength) {
        out.writeInt(length);
      }
      ByteBuffer src = uncompressed.nioBuffer(uncompressed.readerIndex(), length);
      ByteBuffer dst = out.internalNioBuffer(prefix, bound);
      int written = compressor.compress(src, src.position(), length, dst, dst.position(), bound);
      out.writerIndex(prefix + written);
      uncompressed.skipBytes(length);
      return out;
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
  }
}
