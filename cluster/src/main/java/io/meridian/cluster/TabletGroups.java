package io.meridian.cluster;

import io.meridian.storage.TabletRanges;
import io.meridian.storage.TokenRange;
import java.nio.ByteBuffer;
import java.util.UUID;
import org.apache.ratis.protocol.RaftGroupId;

/** Names of tablet Raft groups: the same on every node, derived from the table id and tablet index. */
final class TabletGroups {
  private TabletGroups() {}

  /** What a tablet group holds: the table, its token range and the table's tablet count. */
  record TabletSpec(UUID tableId, int index, int tabletCount) {
    TokenRange range() {
      return TabletRanges.split(tabletCount).get(index);
    }
  }

  static RaftGroupId groupId(UUID tableId, int index) {
    ByteBuffer b = ByteBuffer.allocate(8 + 16 + 4);
    b.putLong(0x4D5254424C455421L) // "MRTBLET!": keeps tablet group ids apart from any other name
        .putLong(tableId.getMostSignificantBits()).putLong(tableId.getLeastSignificantBits()).putInt(index);
    return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(b.array()));
  }

  static RaftGroupId metadataGroupId(String clusterName) {
    return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("meridian-metadata:" + clusterName)
        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }
}
