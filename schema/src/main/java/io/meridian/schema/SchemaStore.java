package io.meridian.schema;

import io.meridian.common.MeridianException;
import io.meridian.schema.ColumnMetadata.Kind;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Keeps the user schema in one file, {@code schema.bin}, rewritten whole on every change.
 *
 * <h2>Crash safety</h2>
 * A write goes to {@code schema.bin.tmp}, is forced to disk, read back and checked, then renamed
 * over {@code schema.bin} with an atomic move, and finally the directory is forced so the rename
 * itself is durable. A crash at any point leaves either the old or the new complete file; a
 * leftover temp file is ignored and deleted on the next load.
 *
 * <h2>File format, version 1</h2>
 * All integers are big-endian; {@code str} is an int byte count followed by that many UTF-8
 * bytes; {@code uuid} is two longs (most, then least significant bits); {@code bool} one byte.
 * <pre>
 *   offset 0   magic        4 bytes  'M' 'S' 'C' 'H'
 *   offset 4   format       int      1
 *   offset 8   length       int      payload byte count
 *   offset 12  payload      length bytes
 *   then       crc          int      CRC32C of the payload
 *
 *   payload  := version:uuid  keyspaceCount:int  keyspace*
 *   keyspace := name:str  durableWrites:bool  replication:map  tableCount:int  table*
 *   table    := name:str  id:uuid
 *               columnCount:int   (name:str type:str kind:str position:int order:str)*
 *               optionCount:int   (name:str value)*
 *               droppedCount:int  (name:str type:str kind:str droppedTimeMicros:long)*
 *   value    := 'S' str | 'I' int | 'D' double | 'B' bool | 'M' map
 *   map      := count:int  (key:str value:str)*
 * </pre>
 *
 * <h2>Format 2: materialized views</h2>
 * Format 2 adds one section per keyspace, after its tables (views are not in the table list):
 * <pre>
 *   keyspace := name:str  durableWrites:bool  replication:map  tableCount:int  table*
 *               viewCount:int  view*
 *   view     := table  baseTableId:uuid  baseTableName:str  includeAllColumns:bool
 *               whereClause:str  building:bool
 * </pre>
 * where {@code table} is the view's own definition encoded as above. Files of format 1 are still
 * read (they have no views); every write uses format 2.
 *
 * Column types and kinds are stored by their CQL / system_schema names; table options by the
 * names and values of {@link TableParams#toOptionMap()}, re-validated on load. A file with a bad
 * magic, unknown format, wrong length or CRC mismatch is corruption: loading fails loudly rather
 * than starting with a partial schema.
 */
public final class SchemaStore {
  public static final String FILE_NAME = "schema.bin";
  static final String TEMP_NAME = FILE_NAME + ".tmp";
  static final int MAGIC = 0x4D534348; // "MSCH"
  static final int FORMAT_VERSION = 2;
  /** The oldest format this build still reads. */
  static final int FORMAT_VERSION_MIN = 1;
  /** Refuse to read or write a schema file larger than this. */
  public static final int FILE_BYTES_MAX = 64 << 20;
  static final int STRING_BYTES_MAX = 1 << 20;
  static final int COUNT_MAX = 1 << 20;

  private final Path directory;
  /** Test hook: called with the name of each step of a write, may throw to simulate a crash. */
  private volatile Consumer<String> faultPoint = step -> {};

  public SchemaStore(Path directory) {
    this.directory = directory;
  }

  public Path file() {
    return directory.resolve(FILE_NAME);
  }

  void setFaultPoint(Consumer<String> hook) {
    this.faultPoint = hook;
  }

  /** The stored schema (user keyspaces only), or empty if none was ever written. */
  public Optional<Schema> load() {
    try {
      Files.deleteIfExists(directory.resolve(TEMP_NAME));
      byte[] bytes;
      try {
        if (Files.size(file()) > FILE_BYTES_MAX) {
          throw corrupt("file larger than " + FILE_BYTES_MAX + " bytes");
        }
        bytes = Files.readAllBytes(file());
      } catch (NoSuchFileException e) {
        return Optional.empty();
      }
      return Optional.of(decode(bytes));
    } catch (IOException e) {
      throw MeridianException.server("Cannot read schema file " + file(), e);
    }
  }

  /** Atomically replaces the stored schema with the user keyspaces of {@code schema}. */
  public void write(Schema schema) throws IOException {
    Files.createDirectories(directory);
    byte[] bytes = encode(schema);
    if (bytes.length > FILE_BYTES_MAX) {
      throw new IOException("Schema file would be " + bytes.length + " bytes, over the " + FILE_BYTES_MAX + " limit");
    }
    Path temp = directory.resolve(TEMP_NAME);
    try (FileChannel ch =
        FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      int half = bytes.length / 2;
      buf.limit(half);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      faultPoint.accept("temp-half-written");
      buf.limit(bytes.length);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    faultPoint.accept("temp-written");
    // Check the bytes that reached the file, not the ones we meant to write.
    // Re-encoding compares type names, so it does not depend on how CqlType defines equals.
    Schema readBack = decode(Files.readAllBytes(temp));
    if (!java.util.Arrays.equals(encode(readBack), bytes)) {
      throw new IOException("Schema file read back from " + temp + " differs from what was written");
    }
    Files.move(temp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    faultPoint.accept("renamed");
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  // --- encoding ----------------------------------------------------------------------------------

  static byte[] encode(Schema schema) throws IOException {
    ByteArrayOutputStream payloadBytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(payloadBytes);
    writeUuid(out, schema.version());
    Map<String, KeyspaceMetadata> keyspaces = schema.userKeyspaces();
    out.writeInt(keyspaces.size());
    for (KeyspaceMetadata ks : keyspaces.values()) {
      writeString(out, ks.name());
      out.writeBoolean(ks.durableWrites());
      writeMap(out, ks.replication());
      List<TableMetadata> tables = new ArrayList<>();
      List<TableMetadata> views = new ArrayList<>();
      for (TableMetadata t : ks.tablesSorted()) {
        (t.isView() ? views : tables).add(t);
      }
      out.writeInt(tables.size());
      for (TableMetadata t : tables) {
        writeTable(out, t);
      }
      out.writeInt(views.size());
      for (TableMetadata v : views) {
        writeTable(out, v);
        ViewDefinition d = v.view();
        writeUuid(out, d.baseTableId());
        writeString(out, d.baseTableName());
        out.writeBoolean(d.includeAllColumns());
        writeString(out, d.whereClause());
        out.writeBoolean(d.building());
      }
    }
    out.flush();
    byte[] payload = payloadBytes.toByteArray();
    CRC32C crc = new CRC32C();
    crc.update(payload);
    ByteBuffer file = ByteBuffer.allocate(12 + payload.length + 4);
    file.putInt(MAGIC).putInt(FORMAT_VERSION).putInt(payload.length).put(payload).putInt((int) crc.getValue());
    return file.array();
  }

  private static void writeTable(DataOutputStream out, TableMetadata t) throws IOException {
    writeString(out, t.name());
    writeUuid(out, t.id());
    out.writeInt(t.columns().size());
    for (ColumnMetadata c : t.columns()) {
      writeString(out, c.name());
      writeString(out, c.type().cqlName());
      writeString(out, c.kind().schemaName());
      out.writeInt(c.position());
      writeString(out, c.order().schemaName());
    }
    Map<String, Object> options = t.params().toOptionMap();
    out.writeInt(options.size());
    for (Map.Entry<String, Object> option : options.entrySet()) {
      writeString(out, option.getKey());
      writeValue(out, option.getValue());
    }
    List<DroppedColumn> dropped = t.droppedColumnsSorted();
    out.writeInt(dropped.size());
    for (DroppedColumn d : dropped) {
      writeString(out, d.name());
      writeString(out, d.typeName());
      writeString(out, d.kind().schemaName());
      out.writeLong(d.droppedTimeMicros());
    }
  }

  private static TableMetadata readTable(ByteBuffer p, String ksName) {
    String tableName = readString(p);
    UUID id = readUuid(p);
    int columnCount = readCount(p);
    List<ColumnMetadata> columns = new ArrayList<>(columnCount);
    for (int c = 0; c < columnCount; c++) {
      String name = readString(p);
      String type = readString(p);
      Kind kind = Kind.fromSchemaName(readString(p));
      int position = p.getInt();
      ClusteringOrder order = ClusteringOrder.fromSchemaName(readString(p));
      columns.add(new ColumnMetadata(name, Types.parse(type), kind, position, order));
    }
    int optionCount = readCount(p);
    Map<String, Object> options = new TreeMap<>();
    for (int o = 0; o < optionCount; o++) {
      String name = readString(p);
      options.put(name, readValue(p));
    }
    int droppedCount = readCount(p);
    Map<String, DroppedColumn> dropped = new TreeMap<>();
    for (int d = 0; d < droppedCount; d++) {
      String name = readString(p);
      String type = readString(p);
      Kind kind = Kind.fromSchemaName(readString(p));
      dropped.put(name, new DroppedColumn(name, type, kind, p.getLong()));
    }
    TableParams params = TableParams.DEFAULT.withOptions(options);
    return new TableMetadata(ksName, tableName, id, columns, params, dropped);
  }

  static Schema decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      if (bytes.length < 16) {
        throw corrupt("file too short (" + bytes.length + " bytes)");
      }
      int magic = in.getInt();
      if (magic != MAGIC) {
        throw corrupt(String.format("bad magic 0x%08x, expected 0x%08x", magic, MAGIC));
      }
      int format = in.getInt();
      if (format < FORMAT_VERSION_MIN || format > FORMAT_VERSION) {
        throw corrupt("unsupported format version " + format + ", this build reads " + FORMAT_VERSION_MIN + " to "
            + FORMAT_VERSION);
      }
      int length = in.getInt();
      if (length < 0 || length != bytes.length - 16) {
        throw corrupt("payload length " + length + " does not match file size " + bytes.length);
      }
      CRC32C crc = new CRC32C();
      crc.update(bytes, 12, length);
      int expectedCrc = ByteBuffer.wrap(bytes, 12 + length, 4).getInt();
      if ((int) crc.getValue() != expectedCrc) {
        throw corrupt("CRC32C mismatch");
      }
      ByteBuffer p = ByteBuffer.wrap(bytes, 12, length).slice();
      UUID version = readUuid(p);
      int keyspaceCount = readCount(p);
      Map<String, KeyspaceMetadata> keyspaces = new TreeMap<>();
      for (int k = 0; k < keyspaceCount; k++) {
        String ksName = readString(p);
        boolean durable = p.get() != 0;
        Map<String, String> replication = readMap(p);
        int tableCount = readCount(p);
        Map<String, TableMetadata> tables = new TreeMap<>();
        for (int t = 0; t < tableCount; t++) {
          TableMetadata table = readTable(p, ksName);
          tables.put(table.name(), table);
        }
        if (format >= 2) {
          int viewCount = readCount(p);
          for (int v = 0; v < viewCount; v++) {
            TableMetadata view = readTable(p, ksName);
            ViewDefinition d = new ViewDefinition(readUuid(p), readString(p), p.get() != 0, readString(p), p.get() != 0);
            tables.put(view.name(), view.withView(d));
          }
        }
        keyspaces.put(ksName, new KeyspaceMetadata(ksName, replication, durable, tables));
      }
      if (p.hasRemaining()) {
        throw corrupt(p.remaining() + " unexpected trailing payload bytes");
      }
      return new Schema(keyspaces, version);
    } catch (BufferUnderflowException e) {
      throw corrupt("truncated payload");
    } catch (MeridianException | IllegalArgumentException | IllegalStateException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("Corrupt schema file")) {
        throw e;
      }
      throw new IllegalStateException("Corrupt schema file: invalid content: " + e.getMessage(), e);
    }
  }

  private static IllegalStateException corrupt(String what) {
    return new IllegalStateException("Corrupt schema file: " + what);
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length > STRING_BYTES_MAX) {
      throw new IOException("String of " + b.length + " bytes exceeds the schema file limit of " + STRING_BYTES_MAX);
    }
    out.writeInt(b.length);
    out.write(b);
  }

  private static void writeUuid(DataOutputStream out, UUID id) throws IOException {
    out.writeLong(id.getMostSignificantBits());
    out.writeLong(id.getLeastSignificantBits());
  }

  private static void writeMap(DataOutputStream out, Map<String, String> map) throws IOException {
    out.writeInt(map.size());
    for (Map.Entry<String, String> e : new TreeMap<>(map).entrySet()) {
      writeString(out, e.getKey());
      writeString(out, e.getValue());
    }
  }

  private static void writeValue(DataOutputStream out, Object value) throws IOException {
    if (value instanceof String) {
      out.writeByte('S');
      writeString(out, (String) value);
    } else if (value instanceof Integer) {
      out.writeByte('I');
      out.writeInt((Integer) value);
    } else if (value instanceof Double) {
      out.writeByte('D');
      out.writeDouble((Double) value);
    } else if (value instanceof Boolean) {
      out.writeByte('B');
      out.writeBoolean((Boolean) value);
    } else if (value instanceof Map) {
      out.writeByte('M');
      @SuppressWarnings("unchecked")
      Map<String, String> map = (Map<String, String>) value;
      writeMap(out, map);
    } else {
      throw new IOException("Cannot store option value of type " + value.getClass().getName());
    }
  }

  private static String readString(ByteBuffer p) {
    int length = p.getInt();
    if (length < 0 || length > STRING_BYTES_MAX || length > p.remaining()) {
      throw corrupt("bad string length " + length);
    }
    byte[] b = new byte[length];
    p.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static int readCount(ByteBuffer p) {
    int count = p.getInt();
    if (count < 0 || count > COUNT_MAX) {
      throw corrupt("bad element count " + count);
    }
    return count;
  }

  private static UUID readUuid(ByteBuffer p) {
    return new UUID(p.getLong(), p.getLong());
  }

  private static Map<String, String> readMap(ByteBuffer p) {
    int count = readCount(p);
    Map<String, String> map = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      map.put(readString(p), readString(p));
    }
    return map;
  }

  private static Object readValue(ByteBuffer p) {
    byte tag = p.get();
    switch (tag) {
      case 'S':
        return readString(p);
      case 'I':
        return p.getInt();
      case 'D':
        return p.getDouble();
      case 'B':
        return p.get() != 0;
      case 'M':
        return readMap(p);
      default:
        throw corrupt("unknown option value tag " + tag);
    }
  }
}
