package io.meridian.cluster;

import io.meridian.storage.TokenRange;
import java.nio.ByteBuffer;
import java.util.UUID;
import org.apache.ratis.protocol.RaftGroupId;

/** Names of tablet Raft groups: the same on every node, derived from the table id and tablet id. */
final class TabletGroups {
  private TabletGroups() {}

  /**
   * What a tablet group holds: the table, the tablet's id and token range, and the tablet count the
   * table was created with (the local store's own split of the table).
   */
  record TabletSpec(UUID tableId, int tabletId, TokenRange range, int baseTabletCount) {
    static TabletSpec of(UUID tableId, TablePlacement placement, int position) {
      return new TabletSpec(tableId, placement.tablet(position).id(), placement.range(position),
          placement.baseTabletCount());
    }
  }

  /** A new table's tablet i has id i, so groups created before tablets had ids keep their names. */
  static RaftGroupId groupId(UUID tableId, int tabletId) {
    ByteBuffer b = ByteBuffer.allocate(8 + 16 + 4);
    b.putLong(0x4D5254424C455421L) // "MRTBLET!": keeps tablet group ids apart from any other name
        .putLong(tableId.getMostSignificantBits()).putLong(tableId.getLeastSignificantBits()).putInt(tabletId);
    return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(b.array()));
  }

  static RaftGroupId metadataGroupId(String clusterName) {
    return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("meridian-metadata:" + clusterName)
        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }
}
