package io.meridian.storage.rocks;

import io.meridian.storage.IndexHit;
import io.meridian.storage.IndexTerms;
import io.meridian.storage.TermRange;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Keys of the {@code index} column family: the row's table id, the term, then the rest of the
 * row's data key, so one term's entries are in ring order, like a scan.
 *
 * <pre>
 *  offset 0                16
 *         +----------------+---------------------+-----------------+-------------------------------+------------+
 *         | table id (16)  | escaped term, 00 00 | token ^ MIN (8) | escaped partition key, 00 00  | clustering |
 *         +----------------+---------------------+-----------------+-------------------------------+------------+
 * </pre>
 *
 * The term is escaped like a partition key (see {@link KeyCodec}): order is kept, and no term's
 * encoding is a prefix of another's, so a term range is a key range. The value is empty.
 */
final class IndexKeys {
  static final byte[] EMPTY_VALUE = new byte[0];
  private static final int TABLE = KeyCodec.TABLE_ID_BYTES;

  private IndexKeys() {}

  /** The entry of {@code term} for the row stored under {@code rowKey} (a data column family key). */
  static byte[] entry(byte[] rowKey, byte[] term) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(rowKey.length + term.length + 8);
    out.write(rowKey, 0, TABLE);
    escape(term, out);
    out.write(KeyCodec.ESCAPE);
    out.write(KeyCodec.TERMINATOR);
    out.write(rowKey, TABLE, rowKey.length - TABLE);
    return out.toByteArray();
  }

  /** Every key of the table's entries whose term starts with {@code termPrefix} starts with this. */
  static byte[] termPrefix(byte[] tablePrefix, byte[] termPrefix) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(TABLE + termPrefix.length + 4);
    out.write(tablePrefix, 0, TABLE);
    escape(termPrefix, out);
    return out.toByteArray();
  }

  /** Smallest key of a term's entries with token >= {@code token}. */
  private static byte[] termAndToken(byte[] tablePrefix, byte[] term, long token) {
    byte[] t = withTerminator(termPrefix(tablePrefix, term));
    byte[] out = Arrays.copyOf(t, t.length + KeyCodec.TOKEN_BYTES);
    KeyCodec.putLong(out, t.length, token ^ Long.MIN_VALUE);
    return out;
  }

  /** [lower, upper) of the keys of {@code range}; upper null = to the end of the key space. */
  static byte[][] bounds(byte[] tablePrefix, TermRange range, long tokenStartExclusive, long tokenEndInclusive) {
    byte[] p = range.prefix();
    boolean exact = range.low() != null && range.high() != null && range.lowInclusive() && range.highInclusive()
        && Arrays.equals(range.low(), range.high());
    if (exact) {
      byte[] term = IndexTerms.join(p, range.low());
      byte[] lower = tokenStartExclusive == Long.MIN_VALUE ? withTerminator(termPrefix(tablePrefix, term))
          : termAndToken(tablePrefix, term, tokenStartExclusive + 1);
      byte[] upper = KeyCodec.prefixSuccessor(termAndToken(tablePrefix, term, tokenEndInclusive));
      return new byte[][] {lower, upper};
    }
    byte[] lower;
    if (range.low() == null) {
      lower = termPrefix(tablePrefix, p);
    } else {
      byte[] low = termPrefix(tablePrefix, IndexTerms.join(p, range.low()));
      lower = range.lowInclusive() ? low : append(low, KeyCodec.ESCAPE, (byte) 0x01);
    }
    byte[] upper;
    if (range.high() == null) {
      upper = KeyCodec.prefixSuccessor(termPrefix(tablePrefix, p));
    } else {
      byte[] high = termPrefix(tablePrefix, IndexTerms.join(p, range.high()));
      upper = range.highInclusive() ? append(high, KeyCodec.ESCAPE, (byte) 0x01) : append(high, KeyCodec.ESCAPE, KeyCodec.TERMINATOR);
    }
    return new byte[][] {lower, upper};
  }

  /** The key of {@code hit}'s entry, for resuming after it. */
  static byte[] entry(byte[] tablePrefix, IndexHit hit) {
    byte[] rowKey = KeyCodec.rowKey(KeyCodec.partitionPrefix(KeyCodec.tableId(tablePrefix), hit.key()), hit.clustering());
    return entry(rowKey, hit.term());
  }

  /** The smallest key of {@code entry}'s term with a token >= {@code token}. */
  static byte[] sameTermFromToken(byte[] entry, long token) {
    int end = termEnd(entry);
    byte[] out = java.util.Arrays.copyOf(entry, end + KeyCodec.TOKEN_BYTES);
    KeyCodec.putLong(out, end, token ^ Long.MIN_VALUE);
    return out;
  }

  /** The smallest key of a term after {@code entry}'s. */
  static byte[] nextTerm(byte[] entry) {
    return KeyCodec.prefixSuccessor(java.util.Arrays.copyOf(entry, termEnd(entry)));
  }

  /** The offset just after the term's terminator in a well-formed entry key. */
  private static int termEnd(byte[] entry) {
    int i = TABLE;
    while (!(entry[i] == KeyCodec.ESCAPE && entry[i + 1] == KeyCodec.TERMINATOR)) {
      i += entry[i] == KeyCodec.ESCAPE ? 2 : 1;
    }
    return i + 2;
  }

  /** Decodes an entry key; null when it is malformed. */
  static IndexHit decode(byte[] key) {
    ByteArrayOutputStream term = new ByteArrayOutputStream();
    int i = TABLE;
    while (true) {
      if (i + 1 >= key.length) {
        return null;
      }
      if (key[i] == KeyCodec.ESCAPE) {
        if (key[i + 1] == KeyCodec.TERMINATOR) {
          i += 2;
          break;
        }
        if (key[i + 1] != KeyCodec.ESCAPED_ZERO) {
          return null;
        }
        term.write(0);
        i += 2;
      } else {
        term.write(key[i]);
        i++;
      }
    }
    byte[] rowKey = new byte[TABLE + key.length - i];
    System.arraycopy(key, 0, rowKey, 0, TABLE);
    System.arraycopy(key, i, rowKey, TABLE, key.length - i);
    int plen = KeyCodec.partitionPrefixLength(rowKey);
    if (plen < 0) {
      return null;
    }
    return new IndexHit(term.toByteArray(), KeyCodec.partitionKey(rowKey, plen), Arrays.copyOfRange(rowKey, plen, rowKey.length));
  }

  private static void escape(byte[] bytes, ByteArrayOutputStream out) {
    for (byte b : bytes) {
      out.write(b);
      if (b == KeyCodec.ESCAPE) {
        out.write(KeyCodec.ESCAPED_ZERO);
      }
    }
  }

  private static byte[] withTerminator(byte[] escaped) {
    return append(escaped, KeyCodec.ESCAPE, KeyCodec.TERMINATOR);
  }

  private static byte[] append(byte[] a, byte b1, byte b2) {
    byte[] out = Arrays.copyOf(a, a.length + 2);
    out[a.length] = b1;
    out[a.length + 1] = b2;
    return out;
  }
}
