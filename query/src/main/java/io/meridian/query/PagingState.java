package io.meridian.query;

import io.meridian.common.MeridianException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Where a paged SELECT stopped. It is self-contained (no server-side cursor), so a client can
 * resume it on any connection, or after a restart. The statement fingerprint guards against a
 * paging state being replayed with another query.
 *
 * <pre>
 * layout (big-endian):
 *   [0]      format version (1)
 *   [1..4]   statement fingerprint (int)
 *   [5..12]  last partition token (long)
 *   [13..16] last partition key length n, then n bytes
 *   [..+4]   last clustering length m (-1: resume after the whole partition), then m bytes
 *   [..+4]   rows still allowed by LIMIT
 *   [..+4]   rows still allowed by PER PARTITION LIMIT in the last partition
 *   format 2 only, for a query read through an index: the last index entry used,
 *   [..+4]   its term length t, then t bytes
 *   [..+4]   its clustering length c, then c bytes (empty: the partition's static row)
 *   [..+4]   CRC32C of everything before
 * </pre>
 *
 * Format 1 is written when there is no index entry, so paging states of earlier builds still work.
 */
public record PagingState(
    int fingerprint, long token, byte[] partitionKey, byte[] clustering, int remainingLimit, int remainingInPartition,
    byte[] indexTerm, byte[] indexClustering) {

  private static final byte FORMAT_VERSION = 1;
  private static final byte FORMAT_WITH_INDEX = 2;

  public PagingState(int fingerprint, long token, byte[] partitionKey, byte[] clustering, int remainingLimit,
                     int remainingInPartition) {
    this(fingerprint, token, partitionKey, clustering, remainingLimit, remainingInPartition, null, null);
  }

  /** This state with the index entry the page stopped at. */
  PagingState atIndexEntry(byte[] term, byte[] entryClustering) {
    return new PagingState(fingerprint, token, partitionKey, clustering, remainingLimit, remainingInPartition, term,
        entryClustering);
  }

  public ByteBuffer encode() {
    int size = 1 + 4 + 8 + 4 + partitionKey.length + 4 + (clustering == null ? 0 : clustering.length) + 4 + 4 + 4;
    if (indexTerm != null) {
      size += 4 + indexTerm.length + 4 + indexClustering.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put(indexTerm == null ? FORMAT_VERSION : FORMAT_WITH_INDEX).putInt(fingerprint).putLong(token)
        .putInt(partitionKey.length).put(partitionKey);
    if (clustering == null) {
      out.putInt(-1);
    } else {
      out.putInt(clustering.length).put(clustering);
    }
    out.putInt(remainingLimit).putInt(remainingInPartition);
    if (indexTerm != null) {
      out.putInt(indexTerm.length).put(indexTerm).putInt(indexClustering.length).put(indexClustering);
    }
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, out.position());
    out.putInt((int) crc.getValue());
    out.flip();
    return out;
  }

  public static PagingState decode(ByteBuffer in, int expectedFingerprint) {
    ByteBuffer b = in.duplicate();
    try {
      int start = b.position();
      byte version = b.get();
      if (version != FORMAT_VERSION && version != FORMAT_WITH_INDEX) {
        throw invalidPagingState("unknown format version " + version);
      }
      int fingerprint = b.getInt();
      long token = b.getLong();
      byte[] pk = readBytes(b, b.getInt());
      int clusteringLength = b.getInt();
      byte[] clustering = clusteringLength < 0 ? null : readBytes(b, clusteringLength);
      int remainingLimit = b.getInt();
      int remainingInPartition = b.getInt();
      byte[] indexTerm = null;
      byte[] indexClustering = null;
      if (version == FORMAT_WITH_INDEX) {
        indexTerm = readBytes(b, b.getInt());
        indexClustering = readBytes(b, b.getInt());
      }
      int end = b.position();
      int crcStored = b.getInt();
      CRC32C crc = new CRC32C();
      ByteBuffer covered = in.duplicate();
      covered.position(start).limit(end);
      crc.update(covered);
      if ((int) crc.getValue() != crcStored || b.hasRemaining()) {
        throw invalidPagingState("checksum mismatch");
      }
      if (fingerprint != expectedFingerprint) {
        throw invalidPagingState("it belongs to another query");
      }
      return new PagingState(fingerprint, token, pk, clustering, remainingLimit, remainingInPartition, indexTerm,
          indexClustering);
    } catch (java.nio.BufferUnderflowException | NegativeArraySizeException e) {
      throw invalidPagingState("truncated");
    }
  }

  private static byte[] readBytes(ByteBuffer b, int n) {
    byte[] out = new byte[n];
    b.get(out);
    return out;
  }

  private static MeridianException invalidPagingState(String why) {
    return MeridianException.protocol("Invalid value for the paging state: " + why);
  }
}
