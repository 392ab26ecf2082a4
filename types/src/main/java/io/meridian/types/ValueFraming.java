package io.meridian.types;

import io.meridian.common.MeridianException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The native protocol v3+ framing of values inside collections, tuples and user types.
 *
 * <pre>
 * collection:      [int n] then n items, each [int length][length bytes]   (a map has 2n items)
 * tuple/user type: fields one after another, each [int length][bytes]; length -1 is a null field
 * </pre>
 *
 * All reads are absolute and return slices, so the caller's buffer is never moved.
 */
final class ValueFraming {
  static final int NULL_LENGTH = -1;
  private static final int INT_BYTES = 4;

  private ValueFraming() {}

  /**
   * Reads a collection of {@code count * itemsPerElement} items (count read from the value).
   * Every item must be present (no null or unset length) and the value must end after the last.
   */
  static List<ByteBuffer> readCollection(ByteBuffer value, int itemsPerElement, int elementsMax, String typeName) {
    if (value == null) {
      throw MeridianException.invalid("Expected a serialized " + typeName + " value, got null");
    }
    int pos = value.position();
    int end = value.limit();
    if (end - pos < INT_BYTES) {
      throw MeridianException.invalid(
          "Invalid " + typeName + " value: expected a 4-byte element count, got " + (end - pos) + " bytes");
    }
    int count = value.getInt(pos);
    pos += INT_BYTES;
    if (count < 0 || count > elementsMax) {
      throw MeridianException.invalid(
          "Invalid " + typeName + " value: " + count + " elements; expected 0 to " + elementsMax);
    }
    int items = count * itemsPerElement;
    // Each item needs at least its length prefix: refuse an absurd count before allocating for it.
    if ((long) items * INT_BYTES > end - pos) {
      throw MeridianException.invalid(
          "Invalid " + typeName + " value: " + count + " elements cannot fit in " + (end - pos) + " bytes");
    }
    List<ByteBuffer> out = new ArrayList<>(items);
    for (int i = 0; i < items; i++) {
      int length = readLength(value, pos, end, typeName);
      pos += INT_BYTES;
      if (length < 0) {
        throw MeridianException.invalid(
            "Invalid " + typeName + " value: item " + i + " is null (length " + length + "); null is not supported inside collections");
      }
      out.add(slice(value, pos, length, end, typeName));
      pos += length;
    }
    if (pos != end) {
      throw MeridianException.invalid(
          "Invalid " + typeName + " value: " + (end - pos) + " bytes left after " + count + " elements");
    }
    return out;
  }

  /**
   * Reads at most {@code fieldsMax} fields; a null field is returned as null. Fewer fields than the
   * type has is legal (the missing trailing fields are null), more is not.
   */
  static List<ByteBuffer> readFields(ByteBuffer value, int fieldsMax, String typeName) {
    if (value == null) {
      throw MeridianException.invalid("Expected a serialized " + typeName + " value, got null");
    }
    int pos = value.position();
    int end = value.limit();
    List<ByteBuffer> out = new ArrayList<>(Math.min(fieldsMax, 16));
    while (pos < end) {
      if (out.size() == fieldsMax) {
        throw MeridianException.invalid(
            "Invalid " + typeName + " value: " + (end - pos) + " bytes left after its " + fieldsMax + " fields");
      }
      int length = readLength(value, pos, end, typeName);
      pos += INT_BYTES;
      if (length < 0) {
        if (length != NULL_LENGTH) {
          throw MeridianException.invalid(
              "Invalid " + typeName + " value: field " + out.size() + " has length " + length + "; expected -1 (null) or more");
        }
        out.add(null);
        continue;
      }
      out.add(slice(value, pos, length, end, typeName));
      pos += length;
    }
    return out;
  }

  private static int readLength(ByteBuffer value, int pos, int end, String typeName) {
    if (end - pos < INT_BYTES) {
      throw MeridianException.invalid(
          "Invalid " + typeName + " value: truncated, expected a 4-byte length at offset "
              + (pos - value.position()) + ", got " + (end - pos) + " bytes");
    }
    return value.getInt(pos);
  }

  private static ByteBuffer slice(ByteBuffer value, int pos, int length, int end, String typeName) {
    if (length > end - pos) {
      throw MeridianException.invalid(
          "Invalid " + typeName + " value: truncated, an item of " + length + " bytes at offset "
              + (pos - value.position()) + " but only " + (end - pos) + " bytes remain");
    }
    return value.duplicate().limit(pos + length).position(pos).slice();
  }

  /** [int count] then each item with its length; items must be non-null. */
  static ByteBuffer writeCollection(int count, List<ByteBuffer> items) {
    long size = INT_BYTES;
    for (ByteBuffer item : items) {
      size += INT_BYTES + item.remaining();
    }
    ByteBuffer out = ByteBuffer.allocate(checkedSize(size));
    out.putInt(count);
    for (ByteBuffer item : items) {
      out.putInt(item.remaining());
      out.put(item.duplicate());
    }
    return out.flip();
  }

  /** Each field with its length, null fields as length -1. */
  static ByteBuffer writeFields(List<ByteBuffer> fields) {
    long size = 0;
    for (ByteBuffer field : fields) {
      size += INT_BYTES + (field == null ? 0 : field.remaining());
    }
    ByteBuffer out = ByteBuffer.allocate(checkedSize(size));
    for (ByteBuffer field : fields) {
      if (field == null) {
        out.putInt(NULL_LENGTH);
      } else {
        out.putInt(field.remaining());
        out.put(field.duplicate());
      }
    }
    return out.flip();
  }

  private static int checkedSize(long size) {
    if (size > Integer.MAX_VALUE - 8) {
      throw MeridianException.invalid("Serialized value of " + size + " bytes is over the 2 GiB limit");
    }
    return (int) size;
  }
}
