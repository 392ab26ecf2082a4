package io.meridian.schema;

import io.meridian.common.MeridianException;
import io.meridian.common.UuidBytes;
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
import io.meridian.types.UserType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * <h2>File format, version 2</h2>
 * All integers are big-endian; {@code str} is an int byte count followed by that many UTF-8
 * bytes; {@code uuid} is two longs (most, then least significant bits); {@code bool} one byte.
 * <pre>
 *   offset 0   magic        4 bytes  'M' 'S' 'C' 'H'
 *   offset 4   format       int      2 (1 is still read)
 *   offset 8   length       int      payload byte count
 *   offset 12  payload      length bytes
 *   then       crc          int      CRC32C of the payload
 *
 *   payload  := version:uuid  keyspaceCount:int  keyspace*
 *   keyspace := name:str  durableWrites:bool  replication:map  tableCount:int  table*
 *               viewCount:int  view*  types                       (format 2 and later)
 *   table    := name:str  id:uuid
 *               columnCount:int   (name:str type:str kind:str position:int order:str)*
 *               optionCount:int   (name:str value)*
 *               droppedCount:int  (name:str type:str kind:str droppedTimeMicros:long)*
 *               indexCount:int    index*                      (format 2 and later)
 *   index    := name:str  column:str  target:str  kind:str  customOptions:map
 *   view     := table  baseTableId:uuid  baseTableName:str  includeAllColumns:bool
 *               whereClause:str  building:bool
 *   types    := typeCount:int  (name:str  fieldCount:int  (fieldName:str fieldType:str)*)*
 *   value    := 'S' str | 'I' int | 'D' double | 'B' bool | 'M' map
 *   map      := count:int  (key:str value:str)*
 * </pre>
 * Format 2 added each table's secondary indexes, each keyspace's materialized views (after its
 * tables; a view is encoded as a table followed by its definition) and user types ({@code types},
 * last); a format 1 file has none of them. Types are
 * written so that each follows the types its fields use, and are read back in that order; column
 * and field types naming a user type are resolved against the keyspace's types once all of them
 * are read. An index's target is stored by {@link IndexMetadata.TargetType} name (SIMPLE, KEYS,
 * VALUES, ENTRIES, FULL) and its kind by the system_schema.indexes kind (COMPOSITES, CUSTOM).
 * Column types and kinds are stored by their CQL / system_schema names; table options by the
 * names and values of {@link TableParams#toOptionMap()}, re-validated on load. A file with a bad
 * magic, unknown format, wrong length or CRC mismatch is corruption: loading fails loudly rather
 * than starting with a partial schema.
 *
 * <h2>Format history</h2>
 * Version 1 had no index list; a version 1 file loads with no indexes and is rewritten as version
 * 2 on the next schema change. Version 2 appends the per-table index list after the dropped columns.
 */
public final class SchemaStore {
  public static final String FILE_NAME = "schema.bin";
  static final String TEMP_NAME = FILE_NAME + ".tmp";
  static final int MAGIC = 0x4D534348; // "MSCH"
  static final int FORMAT_VERSION = 2;
  /** The oldest format this build still reads: no indexes, no user types. */
  static final int FORMAT_VERSION_MIN = 1;
  /** Format 1 has no user types. */
  static final int FORMAT_VERSION_NO_TYPES = 1;
  /** The first format with a per-table index list. */
  static final int FORMAT_WITH_INDEXES = 2;
  /** The first format with a per-keyspace list of materialized views. */
  static final int FORMAT_WITH_VIEWS = 2;
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

  /** The user keyspaces of {@code schema} in the file format (the cluster's metadata log carries these bytes). */
  public static byte[] toBytes(Schema schema) {
    try {
      return encode(schema);
    } catch (IOException e) {
      throw MeridianException.server("Cannot encode schema version " + schema.version(), e);
    }
  }

  /** Reads bytes made by {@link #toBytes}: user keyspaces only; throws on corruption. */
  public static Schema fromBytes(byte[] bytes) {
    return decode(bytes);
  }

  static byte[] encode(Schema schema) throws IOException {
    return encode(schema, FORMAT_VERSION);
  }

  /** Encodes in {@code format}; format 1 (tests of reading old files) cannot hold user types or indexes. */
  static byte[] encode(Schema schema, int format) throws IOException {
    if (format != FORMAT_VERSION && format != FORMAT_VERSION_NO_TYPES) {
      throw new IllegalArgumentException("Unknown schema file format " + format);
    }
    ByteArrayOutputStream payloadBytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(payloadBytes);
    UuidBytes.write(out, schema.version());
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
        writeTable(out, t, format);
      }
      if (format == FORMAT_VERSION_MIN) {
        if (!views.isEmpty()) {
          throw new IllegalArgumentException("Schema file format 1 cannot hold the materialized views of " + ks.name());
        }
      } else {
        out.writeInt(views.size());
        for (TableMetadata v : views) {
          writeTable(out, v, format);
          ViewDefinition d = v.view();
          UuidBytes.write(out, d.baseTableId());
          writeString(out, d.baseTableName());
          out.writeBoolean(d.includeAllColumns());
          writeString(out, d.whereClause());
          out.writeBoolean(d.building());
        }
      }
      if (format == FORMAT_VERSION_NO_TYPES) {
        if (!ks.types().isEmpty()) {
          throw new IllegalArgumentException("Schema file format 1 cannot hold the user types of " + ks.name());
        }
      } else {
        writeTypes(out, ks);
      }
    }
    out.flush();
    byte[] payload = payloadBytes.toByteArray();
    CRC32C crc = new CRC32C();
    crc.update(payload);
    ByteBuffer file = ByteBuffer.allocate(12 + payload.length + 4);
    file.putInt(MAGIC).putInt(format).putInt(payload.length).put(payload).putInt((int) crc.getValue());
    return file.array();
  }

  private static void writeTable(DataOutputStream out, TableMetadata t, int format) throws IOException {
    writeString(out, t.name());
    UuidBytes.write(out, t.id());
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
    if (format < FORMAT_WITH_INDEXES) {
      if (!t.indexes().isEmpty()) {
        throw new IllegalArgumentException("Schema file format 1 cannot hold the indexes of " + t.keyspace() + "." + t.name());
      }
      return;
    }
    out.writeInt(t.indexes().size());
    for (IndexMetadata index : t.indexes()) {
      writeString(out, index.name());
      writeString(out, index.column());
      writeString(out, index.targetType().name());
      writeString(out, index.kind().name());
      writeMap(out, index.customOptions());
    }
  }

  private static void writeTypes(DataOutputStream out, KeyspaceMetadata ks) throws IOException {
    List<UserType> types = UserTypes.dependencyOrder(ks.types());
    out.writeInt(types.size());
    for (UserType t : types) {
      writeString(out, t.typeName());
      out.writeInt(t.fieldNames().size());
      for (int i = 0; i < t.fieldNames().size(); i++) {
        writeString(out, t.fieldNames().get(i));
        writeString(out, t.declaredFieldTypes().get(i).cqlName());
      }
    }
  }

  /** Reads a keyspace's types, each resolved against those read before it. */
  private static Map<String, UserType> readTypes(ByteBuffer p, String keyspace) {
    int typeCount = readCount(p);
    Map<String, UserType> types = new LinkedHashMap<>();
    for (int i = 0; i < typeCount; i++) {
      String name = readString(p);
      int fieldCount = readCount(p);
      List<String> fieldNames = new ArrayList<>(fieldCount);
      List<io.meridian.types.CqlType> fieldTypes = new ArrayList<>(fieldCount);
      for (int f = 0; f < fieldCount; f++) {
        fieldNames.add(readString(p));
        fieldTypes.add(UserTypes.parse(readString(p), keyspace, types));
      }
      if (types.put(name, new UserType(keyspace, name, fieldNames, fieldTypes, false)) != null) {
        throw corrupt("user type " + keyspace + "." + name + " stored twice");
      }
    }
    return types;
  }

  /** A table read before its keyspace's types: column types are kept as names until those are known. */
  private record StoredTable(String name, UUID id, List<StoredColumn> columns, Map<String, Object> options,
                             Map<String, DroppedColumn> dropped, List<IndexMetadata> indexes, ViewDefinition view) {
    StoredTable withView(ViewDefinition definition) {
      return new StoredTable(name, id, columns, options, dropped, indexes, definition);
    }
  }

  private record StoredColumn(String name, String type, Kind kind, int position, ClusteringOrder order) {}

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
        List<StoredTable> stored = new ArrayList<>(tableCount);
        for (int t = 0; t < tableCount; t++) {
          stored.add(readStoredTable(p, format, null));
        }
        if (format >= FORMAT_WITH_VIEWS) {
          int viewCount = readCount(p);
          for (int v = 0; v < viewCount; v++) {
            StoredTable view = readStoredTable(p, format, null);
            ViewDefinition d = new ViewDefinition(readUuid(p), readString(p), p.get() != 0, readString(p), p.get() != 0);
            stored.add(view.withView(d));
          }
        }
        Map<String, UserType> types = format == FORMAT_VERSION_NO_TYPES ? Map.of() : readTypes(p, ksName);
        Map<String, TableMetadata> tables = new TreeMap<>();
        for (StoredTable st : stored) {
          List<ColumnMetadata> columns = new ArrayList<>(st.columns().size());
          for (StoredColumn c : st.columns()) {
            columns.add(new ColumnMetadata(c.name(), UserTypes.parse(c.type(), ksName, types), c.kind(), c.position(), c.order()));
          }
          TableParams params = TableParams.DEFAULT.withOptions(st.options());
          TableMetadata table = new TableMetadata(ksName, st.name(), st.id(), columns, params, st.dropped(), st.indexes(), st.view());
          if (tables.put(st.name(), table) != null) {
            throw corrupt("table or view " + ksName + "." + st.name() + " stored twice");
          }
        }
        keyspaces.put(ksName, new KeyspaceMetadata(ksName, replication, durable, tables, types));
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

  /** A table or view's definition with column types still as names (user types are read later). */
  private static StoredTable readStoredTable(ByteBuffer p, int format, ViewDefinition view) {
    String tableName = readString(p);
    UUID id = readUuid(p);
    int columnCount = readCount(p);
    List<StoredColumn> columns = new ArrayList<>(columnCount);
    for (int c = 0; c < columnCount; c++) {
      String name = readString(p);
      String type = readString(p);
      Kind kind = Kind.fromSchemaName(readString(p));
      int position = p.getInt();
      ClusteringOrder order = ClusteringOrder.fromSchemaName(readString(p));
      columns.add(new StoredColumn(name, type, kind, position, order));
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
    List<IndexMetadata> indexes = format >= FORMAT_WITH_INDEXES ? readIndexes(p) : List.of();
    return new StoredTable(tableName, id, columns, options, dropped, indexes, view);
  }

  private static List<IndexMetadata> readIndexes(ByteBuffer p) {
    int count = readCount(p);
    List<IndexMetadata> indexes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String name = readString(p);
      String column = readString(p);
      IndexMetadata.TargetType target = IndexMetadata.TargetType.valueOf(readString(p));
      IndexMetadata.Kind kind = IndexMetadata.Kind.valueOf(readString(p));
      indexes.add(new IndexMetadata(name, column, target, kind, readMap(p)));
    }
    return indexes;
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
