package io.meridian.storage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The layout of an index term: {@code [u16 column name length][column name UTF-8][part u8][value]}.
 * The length prefix keeps the terms of different columns apart (no column's prefix is a prefix of
 * another's), so one column's entries are one contiguous key range: dropped or rebuilt at once.
 * {@code value} is byte-comparable, so a range of values is a range of terms.
 */
public final class IndexTerms {
  /** The whole value of a simple or frozen column. */
  public static final byte PART_VALUE = 'v';
  /** A key of a non-frozen map. */
  public static final byte PART_KEY = 'k';
  /** An element of a non-frozen set or list, or a value of a non-frozen map. */
  public static final byte PART_ELEMENT = 'e';
  /** A field of a user-defined type: followed by the field's position (u16), then its value. */
  public static final byte PART_FIELD = 'f';

  private IndexTerms() {}

  public static byte[] columnPrefix(String column) {
    byte[] name = column.getBytes(StandardCharsets.UTF_8);
    if (name.length > 0xFFFF) {
      throw new IllegalArgumentException("column name longer than 65535 bytes");
    }
    byte[] out = new byte[2 + name.length];
    out[0] = (byte) (name.length >>> 8);
    out[1] = (byte) name.length;
    System.arraycopy(name, 0, out, 2, name.length);
    return out;
  }

  /** Every term of one part of a column starts with this. */
  public static byte[] partPrefix(String column, byte part) {
    byte[] prefix = columnPrefix(column);
    byte[] out = Arrays.copyOf(prefix, prefix.length + 1);
    out[prefix.length] = part;
    return out;
  }

  /** The column a term or term prefix belongs to. */
  public static String column(byte[] termOrPrefix) {
    int length = ((termOrPrefix[0] & 0xFF) << 8) | (termOrPrefix[1] & 0xFF);
    return new String(termOrPrefix, 2, length, StandardCharsets.UTF_8);
  }

  /** Every term of one field of a user-defined type column starts with this. */
  public static byte[] fieldPrefix(String column, int position) {
    byte[] prefix = partPrefix(column, PART_FIELD);
    byte[] out = Arrays.copyOf(prefix, prefix.length + 2);
    out[prefix.length] = (byte) (position >>> 8);
    out[prefix.length + 1] = (byte) position;
    return out;
  }

  public static byte[] term(String column, byte part, byte[] comparableValue) {
    return join(partPrefix(column, part), comparableValue);
  }

  /** The term of {@code comparableValue} under a prefix (a part's, a field's, or a range's). */
  public static byte[] join(byte[] prefix, byte[] comparableValue) {
    byte[] out = Arrays.copyOf(prefix, prefix.length + comparableValue.length);
    System.arraycopy(comparableValue, 0, out, prefix.length, comparableValue.length);
    return out;
  }
}
