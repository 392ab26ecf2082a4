package io.meridian.cluster;

import io.meridian.common.UuidBytes;
import io.meridian.schema.SchemaChange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * Bytes of the metadata group: its log entries ({@link MetadataCommand}) and its state
 * ({@link ClusterState}, kept in the node's local copy and in snapshots).
 *
 * <pre>
 *   magic 4 ("MRMC" command / "MRCS" state) | format 1 | payload length 4 | payload | CRC32C 4 (of the payload)
 * </pre>
 *
 * Strings are modified UTF-8 ({@link DataOutputStream#writeUTF}); byte arrays and lists are
 * length-prefixed with a 4-byte count; UUIDs are two longs. Decoding checks every length, the
 * checksum and that nothing is left over, and throws {@link IllegalArgumentException} otherwise.
 */
public final class MetadataCodec {
  private static final int COMMAND_MAGIC = 0x4D524D43; // "MRMC"
  private static final int STATE_MAGIC = 0x4D524353; // "MRCS"
  /**
   * Command format 2 writes a new table's tablets with their ids and last tokens (tablets placed by
   * the token ring are not equal ranges); format 1 commands still decode.
   */
  private static final byte FORMAT = 2;
  /**
   * State format 2 adds the leaving peers after the placements; format 3 writes each tablet's id
   * and last token (tablets split); format 4 each member's tokens. Older states still decode:
   * their tablets are equal ranges, and their members get tokens in join order
   * ({@link ClusterState#withTokensGiven}).
   */
  private static final byte STATE_FORMAT = 4;
  private static final byte JOIN = 1;
  private static final byte COMMIT_SCHEMA = 2;
  private static final byte SET_REPLICAS = 3;
  private static final byte DECOMMISSION = 4;
  private static final byte REMOVE_NODE = 5;
  private static final byte SPLIT_TABLET = 6;
  private static final int COUNT_MAX = 1 << 24;

  private MetadataCodec() {}

  public static byte[] encode(MetadataCommand command) {
    return frame(COMMAND_MAGIC, FORMAT, out -> {
      if (command instanceof MetadataCommand.Join join) {
        out.writeByte(JOIN);
        writeNode(out, join.node());
      } else if (command instanceof MetadataCommand.SetReplicas m) {
        out.writeByte(SET_REPLICAS);
        UuidBytes.write(out, m.tableId());
        out.writeInt(m.tabletId());
        writeStrings(out, m.expected());
        writeStrings(out, m.replicas());
      } else if (command instanceof MetadataCommand.SplitTablet s) {
        out.writeByte(SPLIT_TABLET);
        UuidBytes.write(out, s.tableId());
        out.writeInt(s.tabletId());
        out.writeLong(s.splitToken());
        writeStrings(out, s.replicas());
      } else if (command instanceof MetadataCommand.Decommission d) {
        out.writeByte(DECOMMISSION);
        out.writeUTF(d.peerId());
      } else if (command instanceof MetadataCommand.RemoveNode r) {
        out.writeByte(REMOVE_NODE);
        UuidBytes.write(out, r.hostId());
      } else {
        MetadataCommand.CommitSchema c = (MetadataCommand.CommitSchema) command;
        {
          out.writeByte(COMMIT_SCHEMA);
          writeNullableUuid(out, c.baseVersion());
          UuidBytes.write(out, c.version());
          writeBytes(out, c.schema());
          out.writeInt(c.changes().size());
          for (SchemaChange change : c.changes()) {
            out.writeUTF(change.type().name());
            out.writeUTF(change.target().name());
            out.writeUTF(change.keyspace());
            out.writeUTF(change.name());
            writeStrings(out, change.argumentTypes());
          }
          writePlacements(out, c.added());
          out.writeUTF(c.originPeer());
        }
      }
    });
  }

  public static MetadataCommand decodeCommand(byte[] bytes) {
    return unframe(COMMAND_MAGIC, FORMAT, bytes, (format, in) -> {
      byte kind = in.readByte();
      return switch (kind) {
        case JOIN -> new MetadataCommand.Join(readNode(in));
        case COMMIT_SCHEMA -> {
          UUID base = readNullableUuid(in);
          UUID version = UuidBytes.read(in);
          byte[] schema = readBytes(in);
          int n = count(in);
          List<SchemaChange> changes = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            changes.add(new SchemaChange(SchemaChange.ChangeType.valueOf(in.readUTF()),
                SchemaChange.Target.valueOf(in.readUTF()), in.readUTF(), in.readUTF(), readStrings(in)));
          }
          Map<UUID, TablePlacement> added = format >= 2 ? readPlacements(in) : readNewPlacements(in);
          yield new MetadataCommand.CommitSchema(base, version, schema, changes, added, in.readUTF());
        }
        case SET_REPLICAS -> new MetadataCommand.SetReplicas(UuidBytes.read(in), in.readInt(), readStrings(in),
            readStrings(in));
        case DECOMMISSION -> new MetadataCommand.Decommission(in.readUTF());
        case SPLIT_TABLET -> new MetadataCommand.SplitTablet(UuidBytes.read(in), in.readInt(), in.readLong(), readStrings(in));
        case REMOVE_NODE -> new MetadataCommand.RemoveNode(UuidBytes.read(in));
        default -> throw new IllegalArgumentException("unknown metadata command kind " + kind);
      };
    });
  }

  /** The state and the index of the last log entry it reflects. */
  public record IndexedState(ClusterState state, long appliedIndex) {}

  public static byte[] encode(ClusterState state, long appliedIndex) {
    return frame(STATE_MAGIC, STATE_FORMAT, out -> {
      out.writeLong(appliedIndex);
      out.writeInt(state.nodes().size());
      for (NodeRecord n : state.nodes()) {
        writeNode(out, n);
        out.writeInt(n.tokens().size());
        for (long token : n.tokens()) {
          out.writeLong(token);
        }
      }
      out.writeBoolean(state.schema() != null);
      if (state.schema() != null) {
        writeBytes(out, state.schema());
        UuidBytes.write(out, state.schemaVersion());
      }
      writePlacements(out, state.placements());
      writeStrings(out, List.copyOf(state.leaving()));
    });
  }

  public static IndexedState decodeState(byte[] bytes) {
    return unframe(STATE_MAGIC, STATE_FORMAT, bytes, (format, in) -> {
      long appliedIndex = in.readLong();
      int n = count(in);
      List<NodeRecord> nodes = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        NodeRecord node = readNode(in);
        if (format >= 4) {
          List<Long> tokens = new ArrayList<>();
          for (int t = count(in); t > 0; t--) {
            tokens.add(in.readLong());
          }
          node = node.withTokens(tokens);
        }
        nodes.add(node);
      }
      byte[] schema = null;
      UUID version = null;
      if (in.readBoolean()) {
        schema = readBytes(in);
        version = UuidBytes.read(in);
      }
      Map<UUID, TablePlacement> placements = format >= 3 ? readPlacements(in) : readNewPlacements(in);
      java.util.Set<String> leaving = format >= 2 ? new java.util.TreeSet<>(readStrings(in)) : java.util.Set.of();
      ClusterState state = new ClusterState(nodes, schema, version, placements, leaving);
      return new IndexedState(format >= 4 ? state : state.withTokensGiven(), appliedIndex);
    });
  }

  // --- framing -----------------------------------------------------------------------------------

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private interface Reader<T> {
    T read(byte format, DataInputStream in) throws IOException;
  }

  private static byte[] frame(int magic, byte format, Writer body) {
    try {
      ByteArrayOutputStream payload = new ByteArrayOutputStream();
      body.write(new DataOutputStream(payload));
      byte[] p = payload.toByteArray();
      ByteBuffer buf = ByteBuffer.allocate(4 + 1 + 4 + p.length + 4);
      buf.putInt(magic).put(format).putInt(p.length).put(p).putInt(crc(p, 0, p.length));
      return buf.array();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Decodes formats 1 up to {@code newestFormat}. */
  private static <T> T unframe(int magic, byte newestFormat, byte[] bytes, Reader<T> body) {
    if (bytes.length < 13) {
      throw new IllegalArgumentException("metadata record of " + bytes.length + " bytes is too short");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    int m = buf.getInt();
    if (m != magic) {
      throw new IllegalArgumentException("not a metadata record of the expected kind (magic " + Integer.toHexString(m) + ")");
    }
    byte format = buf.get();
    if (format < 1 || format > newestFormat) {
      throw new IllegalArgumentException("metadata record format " + format + " is not known to this version");
    }
    int length = buf.getInt();
    if (length < 0 || length != bytes.length - 13) {
      throw new IllegalArgumentException("metadata record says " + length + " payload bytes, has " + (bytes.length - 13));
    }
    int stored = ByteBuffer.wrap(bytes, 9 + length, 4).getInt();
    if (stored != crc(bytes, 9, length)) {
      throw new IllegalArgumentException("metadata record checksum mismatch");
    }
    try {
      ByteArrayInputStream raw = new ByteArrayInputStream(bytes, 9, length);
      DataInputStream in = new DataInputStream(raw);
      T value = body.read(format, in);
      if (raw.available() != 0) {
        throw new IllegalArgumentException("metadata record has " + raw.available() + " bytes left over");
      }
      return value;
    } catch (IOException e) {
      throw new IllegalArgumentException("metadata record is truncated: " + e, e);
    }
  }

  private static int crc(byte[] b, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(b, off, len);
    return (int) crc.getValue();
  }

  // --- fields ------------------------------------------------------------------------------------

  private static void writeNode(DataOutputStream out, NodeRecord n) throws IOException {
    UuidBytes.write(out, n.hostId());
    out.writeUTF(n.peerId());
    out.writeUTF(n.raftAddress());
    out.writeUTF(n.cqlAddress());
    out.writeInt(n.cqlPort());
    out.writeUTF(n.dataCenter());
    out.writeUTF(n.rack());
  }

  private static NodeRecord readNode(DataInputStream in) throws IOException {
    return new NodeRecord(UuidBytes.read(in), in.readUTF(), in.readUTF(), in.readUTF(), in.readInt(), in.readUTF(), in.readUTF());
  }

  /**
   * Placements of new tables as format 1 of the command wrote them: only the replica lists, the
   * tablets being equal ranges with ids 0..n-1. (State formats 1 and 2 wrote placements so too.)
   */
  private static Map<UUID, TablePlacement> readNewPlacements(DataInputStream in) throws IOException {
    int n = count(in);
    Map<UUID, TablePlacement> out = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      UUID table = UuidBytes.read(in);
      int tablets = count(in);
      List<List<String>> replicas = new ArrayList<>(tablets);
      for (int t = 0; t < tablets; t++) {
        replicas.add(readStrings(in));
      }
      out.put(table, TablePlacement.equalRanges(replicas));
    }
    return out;
  }

  /** Placements as they are now: every tablet's id, last token and replicas. */
  private static void writePlacements(DataOutputStream out, Map<UUID, TablePlacement> placements) throws IOException {
    out.writeInt(placements.size());
    for (Map.Entry<UUID, TablePlacement> e : placements.entrySet()) {
      TablePlacement p = e.getValue();
      UuidBytes.write(out, e.getKey());
      out.writeInt(p.baseTabletCount());
      out.writeInt(p.nextTabletId());
      out.writeInt(p.tabletCount());
      for (TablePlacement.Tablet t : p.tablets()) {
        out.writeInt(t.id());
        out.writeLong(t.lastToken());
        writeStrings(out, t.replicas());
      }
    }
  }

  private static Map<UUID, TablePlacement> readPlacements(DataInputStream in) throws IOException {
    int n = count(in);
    Map<UUID, TablePlacement> out = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      UUID table = UuidBytes.read(in);
      int base = in.readInt();
      int nextId = in.readInt();
      int count = count(in);
      List<TablePlacement.Tablet> tablets = new ArrayList<>(count);
      for (int t = 0; t < count; t++) {
        tablets.add(new TablePlacement.Tablet(in.readInt(), in.readLong(), readStrings(in)));
      }
      out.put(table, new TablePlacement(tablets, base, nextId));
    }
    return out;
  }

  private static void writeStrings(DataOutputStream out, List<String> values) throws IOException {
    out.writeInt(values.size());
    for (String v : values) {
      out.writeUTF(v);
    }
  }

  private static List<String> readStrings(DataInputStream in) throws IOException {
    int n = count(in);
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(in.readUTF());
    }
    return out;
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    byte[] b = new byte[count(in)];
    in.readFully(b);
    return b;
  }

  private static int count(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > COUNT_MAX) {
      throw new IllegalArgumentException("metadata record holds an impossible count " + n);
    }
    return n;
  }



  private static void writeNullableUuid(DataOutputStream out, UUID id) throws IOException {
    out.writeBoolean(id != null);
    if (id != null) {
      UuidBytes.write(out, id);
    }
  }

  private static UUID readNullableUuid(DataInputStream in) throws IOException {
    return in.readBoolean() ? UuidBytes.read(in) : null;
  }
}
