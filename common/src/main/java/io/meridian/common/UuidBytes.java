package io.meridian.common;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.UUID;

/** A UUID as 16 big-endian bytes (most significant half first), the layout every Meridian file and message uses. */
public final class UuidBytes {
  private UuidBytes() {}

  public static void write(DataOutput out, UUID id) throws IOException {
    out.writeLong(id.getMostSignificantBits());
    out.writeLong(id.getLeastSignificantBits());
  }

  public static UUID read(DataInput in) throws IOException {
    return new UUID(in.readLong(), in.readLong());
  }
}
