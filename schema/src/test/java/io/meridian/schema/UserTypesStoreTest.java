package io.meridian.schema;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.common.Clock;
import io.meridian.common.MeridianException;
import io.meridian.types.CqlType;
import io.meridian.types.UserType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User types in the schema: their DDL rules, their persistence (format 2) and reading format-1 files. */
class UserTypesStoreTest {
  @TempDir Path dir;

  private SchemaManager open() {
    return new SchemaManager(SchemaManagerTest.SYSTEM.keyspaces(), new SchemaStore(dir), Set.of("datacenter1"),
        Clock.SYSTEM, UUID::randomUUID);
  }

  private static CqlType parse(SchemaManager m, String ks, String type) {
    return UserTypes.parse(type, ks, m.current().keyspace(ks).orElseThrow().types());
  }

  /** ks with address (street, zip), a later type b, and a type a created before b but altered to use it. */
  private static void populate(SchemaManager m) {
    m.createKeyspace("ks", SchemaManagerTest.simple(1), false);
    m.createType("ks", "address", List.of("street", "zip"), List.of(Types.parse("text"), Types.parse("int")), false);
    m.createType("ks", "a", List.of("x"), List.of(Types.parse("int")), false);
    m.createType("ks", "b", List.of("home"), List.of(parse(m, "ks", "frozen<address>")), false);
    // a now depends on b although it was created first: the file must store b before a.
    m.addTypeField("ks", "a", "y", parse(m, "ks", "frozen<list<frozen<b>>>"), false, false);
    m.createTable("ks", "t", List.of(
        ColumnMetadata.partitionKey("k", parse(m, "ks", "frozen<address>"), 0),
        ColumnMetadata.regular("u", parse(m, "ks", "address")),
        ColumnMetadata.regular("v", parse(m, "ks", "frozen<a>"))), Map.of(), false);
  }

  @Test
  void typesRoundTripThroughTheFileInDependencyOrder() throws Exception {
    SchemaManager first = open();
    populate(first);
    Schema written = first.current();
    Schema loaded = open().current();
    assertArrayEquals(SchemaStore.encode(written), SchemaStore.encode(loaded));
    KeyspaceMetadata ks = loaded.keyspace("ks").orElseThrow();
    assertEquals(Set.of("address", "a", "b"), ks.types().keySet());
    UserType a = ks.type("a").orElseThrow();
    assertEquals(List.of("x", "y"), a.fieldNames());
    assertEquals("frozen<list<frozen<b>>>", a.declaredFieldTypes().get(1).cqlName());
    TableMetadata t = loaded.table("ks", "t").orElseThrow();
    assertEquals(written.table("ks", "t").orElseThrow().columns(), t.columns());
    UserType u = (UserType) t.column("u").orElseThrow().type();
    assertFalse(u.isFrozen());
    assertEquals(List.of("street", "zip"), u.fieldNames());
    assertEquals(List.of("b", "a"), UserTypes.dependencyOrder(ks.types()).stream().map(UserType::typeName).toList()
        .subList(1, 3));
  }

  @Test
  void formatOneFilesStillLoad() throws Exception {
    SchemaManager m = SchemaManager.inMemory(SchemaManagerTest.SYSTEM.keyspaces(), Set.of("datacenter1"));
    m.createKeyspace("ks", SchemaManagerTest.simple(1), false);
    m.createTable("ks", "t", SchemaManagerTest.kvColumns(), Map.of(), false);
    byte[] v1 = SchemaStore.encode(m.current(), SchemaStore.FORMAT_VERSION_NO_TYPES);
    assertEquals(1, v1[7], "the file says format 1");
    Files.createDirectories(dir);
    Files.write(dir.resolve(SchemaStore.FILE_NAME), v1);
    Schema loaded = new SchemaStore(dir).load().orElseThrow();
    assertTrue(loaded.keyspace("ks").orElseThrow().types().isEmpty());
    assertEquals(m.current().table("ks", "t").orElseThrow().columns(), loaded.table("ks", "t").orElseThrow().columns());
    // The next write upgrades the file to format 2.
    SchemaManager reopened = open();
    reopened.createType("ks", "p", List.of("x"), List.of(Types.parse("int")), false);
    assertEquals(SchemaStore.FORMAT_VERSION, Files.readAllBytes(dir.resolve(SchemaStore.FILE_NAME))[7]);
    assertTrue(open().current().keyspace("ks").orElseThrow().type("p").isPresent());
  }

  @Test
  void formatOneCannotHoldTypes() {
    SchemaManager m = SchemaManager.inMemory(SchemaManagerTest.SYSTEM.keyspaces(), Set.of("datacenter1"));
    populate(m);
    assertThrows(IllegalArgumentException.class, () -> SchemaStore.encode(m.current(), SchemaStore.FORMAT_VERSION_NO_TYPES));
  }

  @Test
  void alteringATypeReachesEveryTypeAndColumnUsingIt() {
    SchemaManager m = SchemaManager.inMemory(SchemaManagerTest.SYSTEM.keyspaces(), Set.of("datacenter1"));
    populate(m);
    m.renameTypeFields("ks", "address", Map.of("zip", "postcode"), false, false);
    Schema s = m.current();
    UserType b = s.keyspace("ks").orElseThrow().type("b").orElseThrow();
    assertEquals(List.of("street", "postcode"), ((UserType) b.fieldTypes().get(0)).fieldNames());
    UserType u = (UserType) s.table("ks", "t").orElseThrow().column("u").orElseThrow().type();
    assertEquals(List.of("street", "postcode"), u.fieldNames());
    UserType key = (UserType) s.table("ks", "t").orElseThrow().column("k").orElseThrow().type();
    assertTrue(key.isFrozen());
    assertEquals(List.of("street", "postcode"), key.fieldNames());
  }

  @Test
  void ddlRulesAndMessages() {
    SchemaManager m = SchemaManager.inMemory(SchemaManagerTest.SYSTEM.keyspaces(), Set.of("datacenter1"));
    populate(m);
    MeridianException used = assertThrows(MeridianException.class, () -> m.dropType("ks", "address", false));
    assertTrue(used.getMessage().contains("still used by user types a, b"), used.getMessage());
    MeridianException key = assertThrows(MeridianException.class,
        () -> m.addTypeField("ks", "address", "city", Types.parse("text"), false, false));
    assertTrue(key.getMessage().contains("being used in partition key by the following tables: ks.t"), key.getMessage());
    assertFalse(m.createType("ks", "a", List.of("z"), List.of(Types.parse("int")), true).applied());
    assertFalse(m.dropType("ks", "nope", true).applied());
    assertFalse(m.addTypeField("ks", "nope", "f", null, true, false).applied());
    MeridianException alter = assertThrows(MeridianException.class, () -> m.alterTypeField("ks", "a", false));
    assertEquals("Altering field types is no longer supported", alter.getMessage());
    SchemaResult created = m.createType("ks", "c", List.of("z"), List.of(Types.parse("int")), false);
    assertEquals(SchemaChange.type(SchemaChange.ChangeType.CREATED, "ks", "c"), created.changes().get(0));
    assertTrue(m.dropType("ks", "c", false).applied());
    MeridianException system = assertThrows(MeridianException.class,
        () -> m.createType("system", "c", List.of("z"), List.of(Types.parse("int")), false));
    assertTrue(system.getMessage().contains("not user-modifiable"), system.getMessage());
  }
}
