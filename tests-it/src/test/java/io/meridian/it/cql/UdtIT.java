package io.meridian.it.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ColumnDefinitions;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.data.TupleValue;
import com.datastax.oss.driver.api.core.data.UdtValue;
import com.datastax.oss.driver.api.core.metadata.schema.SchemaChangeListenerBase;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.type.TupleType;
import com.datastax.oss.driver.api.core.type.UserDefinedType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * User-defined types with Cassandra 5.0's rules: CREATE/ALTER/DROP TYPE and their errors,
 * system_schema.types and driver metadata, frozen and non-frozen columns (field updates, field
 * deletions, per-field write times), literals, bind markers, the driver's UdtValue codec, field
 * selection, and user types inside collections, tuples and other user types.
 */
class UdtIT extends CqlTestSupport {

  /** A keyspace with type address (street text, zip int). */
  private static String keyspaceWithAddress() {
    String ks = newKeyspace();
    session.execute("CREATE TYPE " + ks + ".address (street text, zip int)");
    return ks;
  }

  /** A table t (k int PRIMARY KEY, u address, f frozen<address>) in a new keyspace; returns ks. */
  private static String addressTable() {
    String ks = keyspaceWithAddress();
    session.execute("CREATE TABLE " + ks + ".t (k int PRIMARY KEY, u address, f frozen<address>)");
    return ks;
  }

  private static UserDefinedType udt(String ks, String name) {
    return session.getMetadata().getKeyspace(ks).orElseThrow().getUserDefinedType(name)
        .orElseThrow(() -> new AssertionError("driver metadata lacks type " + ks + "." + name));
  }

  private static Row one(String cql, Object... values) {
    return session.execute(cql, values).one();
  }

  private static String street(UdtValue v) {
    return v == null ? null : v.getString("street");
  }

  private static Integer zip(UdtValue v) {
    return v == null || v.isNull("zip") ? null : v.getInt("zip");
  }

  // --- CREATE TYPE --------------------------------------------------------------------------------

  @Test
  void createdTypeIsListedInSystemSchemaTypes() {
    String ks = newKeyspace();
    session.execute("CREATE TYPE " + ks + ".inner_t (a int)");
    session.execute("CREATE TYPE " + ks + ".address (street text, zip int, tags frozen<set<text>>, i frozen<inner_t>)");
    Row r = one("SELECT * FROM system_schema.types WHERE keyspace_name = ? AND type_name = 'address'", ks);
    assertEquals(List.of("street", "zip", "tags", "i"), r.getList("field_names", String.class));
    assertEquals(List.of("text", "int", "frozen<set<text>>", "frozen<inner_t>"), r.getList("field_types", String.class));
    assertEquals(List.of("address", "inner_t"),
        column(session.execute("SELECT type_name FROM system_schema.types WHERE keyspace_name = ?", ks), x -> x.getString(0)));
  }

  @Test
  void createExistingTypeIsInvalidUnlessIfNotExists() {
    String ks = keyspaceWithAddress();
    assertError(InvalidQueryException.class, "CREATE TYPE " + ks + ".address (x int)", "A user type with name 'address' already exists");
    session.execute("CREATE TYPE IF NOT EXISTS " + ks + ".address (x int)");
    assertEquals(List.of("street", "zip"), udt(ks, "address").getFieldNames().stream().map(CqlIdentifier::asInternal).toList(),
        "IF NOT EXISTS left the type unchanged");
  }

  @Test
  void createTypeRefusesDuplicateFieldsCountersAndNonFrozenUdtFields() {
    String ks = keyspaceWithAddress();
    assertError(InvalidQueryException.class, "CREATE TYPE " + ks + ".a (x int, x text)", "Duplicate field name 'x' in type 'a'");
    assertError(InvalidQueryException.class, "CREATE TYPE " + ks + ".b (c counter)", "A user type cannot contain counters");
    assertError(InvalidQueryException.class, "CREATE TYPE " + ks + ".c (home address)", "A user type cannot contain non-frozen UDTs");
    assertError(InvalidQueryException.class, "CREATE TYPE " + ks + ".d (x nope)", "Unknown type " + ks + ".nope");
    assertEquals(1, rows("SELECT * FROM system_schema.types WHERE keyspace_name = ?", ks).size(), "nothing was created");
  }

  @Test
  void builtInTypeNamesAreReserved() {
    String ks = newKeyspace();
    assertError(com.datastax.oss.driver.api.core.servererrors.SyntaxError.class, "CREATE TYPE " + ks + ".text (x int)",
        "Invalid (reserved) user type name text");
    assertError(com.datastax.oss.driver.api.core.servererrors.SyntaxError.class, "CREATE TYPE " + ks + ".\"map\" (x int)",
        "reserved");
  }

  @Test
  void createTypeNeedsAnExistingKeyspace() {
    assertError(InvalidQueryException.class, "CREATE TYPE no_such_ks.a (x int)", "Keyspace 'no_such_ks' doesn't exist");
    assertError(InvalidQueryException.class, "CREATE TYPE a (x int)", "No keyspace has been specified");
  }

  @Test
  void typeNamesAreKeyspaceQualifiedAndStayInTheirKeyspace() {
    String ks = keyspaceWithAddress();
    String other = newKeyspace();
    try (CqlSession s = session()) {
      s.execute("USE " + ks);
      s.execute("CREATE TYPE phone (number text)");
      s.execute("CREATE TABLE t (k int PRIMARY KEY, p frozen<phone>, a frozen<" + ks + ".address>)");
      s.execute("INSERT INTO t (k, p, a) VALUES (1, {number: '555'}, {street: 'Main'})");
      Row r = s.execute("SELECT p, a FROM t WHERE k = 1").one();
      assertEquals("555", r.getUdtValue("p").getString("number"));
      assertEquals("Main", r.getUdtValue("a").getString("street"));
    }
    assertError(InvalidQueryException.class, "CREATE TABLE " + other + ".t (k int PRIMARY KEY, a frozen<" + ks + ".address>)",
        "cannot refer to a user type in keyspace " + ks);
    assertError(InvalidQueryException.class, "CREATE TABLE " + other + ".t (k int PRIMARY KEY, a frozen<address>)",
        "Unknown type " + other + ".address");
  }

  @Test
  void quotedTypeAndFieldNamesKeepTheirCase() {
    String ks = newKeyspace();
    session.execute("CREATE TYPE " + ks + ".\"Point\" (\"X\" int, y int)");
    session.execute("CREATE TABLE " + ks + ".t (k int PRIMARY KEY, p frozen<\"Point\">)");
    session.execute("INSERT INTO " + ks + ".t (k, p) VALUES (1, {\"X\": 3, y: 4})");
    Row r = one("SELECT p.\"X\", p.y FROM " + ks + ".t WHERE k = 1");
    assertEquals(3, r.getInt(0));
    assertEquals(4, r.getInt(1));
    UserDefinedType point = udt(ks, "\"Point\"");
    assertEquals(CqlIdentifier.fromInternal("X"), point.getFieldNames().get(0));
  }

  // --- ALTER TYPE ---------------------------------------------------------------------------------

  @Test
  void addedFieldReadsAsNullInExistingRows() {
    String ks = addressTable();
    session.execute("INSERT INTO " + ks + ".t (k, u, f) VALUES (1, {street: 'a', zip: 1}, {street: 'b', zip: 2})");
    session.execute("ALTER TYPE " + ks + ".address ADD city text");
    Row r = one("SELECT u, f, u.city, f.city FROM " + ks + ".t WHERE k = 1");
    assertTrue(r.getUdtValue("u").isNull("city"));
    assertTrue(r.getUdtValue("f").isNull("city"));
    assertEquals("b", r.getUdtValue("f").getString("street"), "old fields keep their values");
    assertNull(r.getString(2));
    assertNull(r.getString(3));
    session.execute("UPDATE " + ks + ".t SET u.city = 'Oslo', f = {city: 'Rome'} WHERE k = 1");
    r = one("SELECT u, f FROM " + ks + ".t WHERE k = 1");
    assertEquals("Oslo", r.getUdtValue("u").getString("city"));
    assertEquals("a", r.getUdtValue("u").getString("street"));
    assertEquals("Rome", r.getUdtValue("f").getString("city"));
    assertNull(r.getUdtValue("f").getString("street"));
    assertEquals(List.of("text", "int", "text"),
        one("SELECT field_types FROM system_schema.types WHERE keyspace_name = ? AND type_name = 'address'", ks)
            .getList(0, String.class));
  }

  @Test
  void preparedSelectSeesAFieldAddedAfterPreparing() {
    String ks = addressTable();
    PreparedStatement select = session.prepare("SELECT u, f FROM " + ks + ".t WHERE k = ?");
    session.execute("ALTER TYPE " + ks + ".address ADD city text");
    session.execute("INSERT INTO " + ks + ".t (k, u, f) VALUES (1, {city: 'Oslo'}, {city: 'Rome'})");
    Row r = session.execute(select.bind(1)).one();
    assertEquals("Oslo", r.getUdtValue("u").getString("city"));
    assertEquals("Rome", r.getUdtValue("f").getString("city"));
  }

  @Test
  void addExistingFieldIsInvalidUnlessIfNotExists() {
    String ks = keyspaceWithAddress();
    assertError(InvalidQueryException.class, "ALTER TYPE " + ks + ".address ADD zip text",
        "Cannot add field zip to type " + ks + ".address: a field with name zip already exists");
    session.execute("ALTER TYPE " + ks + ".address ADD IF NOT EXISTS zip text");
    assertEquals(DataTypes.INT, udt(ks, "address").getFieldTypes().get(1), "the field kept its type");
  }

  @Test
  void addFieldRefusesCircularReferenceAndTypesUsedInPartitionKeys() {
    String ks = keyspaceWithAddress();
    assertError(InvalidQueryException.class, "ALTER TYPE " + ks + ".address ADD self frozen<address>", "circular reference");
    session.execute("CREATE TABLE " + ks + ".keyed (k frozen<address> PRIMARY KEY, v int)");
    assertError(InvalidQueryException.class, "ALTER TYPE " + ks + ".address ADD city text",
        "is being used in partition key by the following tables: " + ks + ".keyed");
  }

  @Test
  void renamedFieldsKeepTheirValues() {
    String ks = addressTable();
    session.execute("INSERT INTO " + ks + ".t (k, u, f) VALUES (1, {street: 'a', zip: 1}, {street: 'b', zip: 2})");
    session.execute("ALTER TYPE " + ks + ".address RENAME zip TO postcode AND street TO road");
    Row r = one("SELECT u.road, u.postcode, f.road, f.postcode FROM " + ks + ".t WHERE k = 1");
    assertEquals("a", r.getString(0));
    assertEquals(1, r.getInt(1));
    assertEquals("b", r.getString(2));
    assertEquals(2, r.getInt(3));
    UserDefinedType address = udt(ks, "address");
    assertEquals(List.of("road", "postcode"), address.getFieldNames().stream().map(CqlIdentifier::asInternal).toList(),
        "the driver's metadata follows the rename");
    assertError(InvalidQueryException.class, "SELECT u.zip FROM " + ks + ".t", "has no field zip");
  }

  @Test
  void renameRefusesUnknownAndDuplicateFields() {
    String ks = keyspaceWithAddress();
    assertError(InvalidQueryException.class, "ALTER TYPE " + ks + ".address RENAME nope TO x", "Unkown field nope in user type");
    session.execute("ALTER TYPE " + ks + ".address RENAME IF EXISTS nope TO x");
    assertError(InvalidQueryException.class, "ALTER TYPE " + ks + ".address RENAME zip TO street", "Duplicate field name street");
    assertEquals(List.of("street", "zip"), udt(ks, "address").getFieldNames().stream().map(CqlIdentifier::asInternal).toList());
  }

  @Test
  void alteringAFieldTypeIsRefused() {
    String ks = keyspaceWithAddress();
    assertError(InvalidQueryException.class, "ALTER TYPE " + ks + ".address ALTER zip TYPE bigint",
        "Altering field types is no longer supported");
    assertError(InvalidQueryException.class, "ALTER TYPE " + ks + ".nope ALTER zip TYPE bigint", "Type " + ks + ".nope doesn't exist");
  }

  @Test
  void alterMissingTypeIsInvalidUnlessIfExists() {
    String ks = newKeyspace();
    assertError(InvalidQueryException.class, "ALTER TYPE " + ks + ".nope ADD x int", "Type " + ks + ".nope doesn't exist");
    assertError(InvalidQueryException.class, "ALTER TYPE " + ks + ".nope RENAME x TO y", "doesn't exist");
    session.execute("ALTER TYPE IF EXISTS " + ks + ".nope ADD x int");
    session.execute("ALTER TYPE IF EXISTS " + ks + ".nope ADD x nonexistent_type");
    assertTrue(rows("SELECT * FROM system_schema.types WHERE keyspace_name = ?", ks).isEmpty());
  }

  // --- DROP TYPE ----------------------------------------------------------------------------------

  @Test
  void dropTypeIsRefusedWhileUsedByATableOrAnotherType() {
    String ks = addressTable();
    session.execute("CREATE TYPE " + ks + ".person (name text, home frozen<address>)");
    assertError(InvalidQueryException.class, "DROP TYPE " + ks + ".address",
        "Cannot drop user type '" + ks + ".address' as it is still used by user types person");
    session.execute("DROP TYPE " + ks + ".person");
    assertError(InvalidQueryException.class, "DROP TYPE " + ks + ".address",
        "Cannot drop user type '" + ks + ".address' as it is still used by tables t");
    session.execute("DROP TABLE " + ks + ".t");
    session.execute("DROP TYPE " + ks + ".address");
    assertTrue(session.getMetadata().getKeyspace(ks).orElseThrow().getUserDefinedType("address").isEmpty());
    assertTrue(rows("SELECT * FROM system_schema.types WHERE keyspace_name = ?", ks).isEmpty());
  }

  @Test
  void dropTypeUsedInsideACollectionColumnIsRefused() {
    String ks = keyspaceWithAddress();
    session.execute("CREATE TABLE " + ks + ".t (k int PRIMARY KEY, m map<text, frozen<address>>)");
    assertError(InvalidQueryException.class, "DROP TYPE " + ks + ".address", "still used by tables t");
  }

  @Test
  void dropMissingTypeIsInvalidUnlessIfExists() {
    String ks = newKeyspace();
    assertError(InvalidQueryException.class, "DROP TYPE " + ks + ".nope", "Type '" + ks + ".nope' doesn't exist");
    session.execute("DROP TYPE IF EXISTS " + ks + ".nope");
    session.execute("DROP TYPE IF EXISTS no_such_ks.nope");
  }

  @Test
  void droppingAKeyspaceDropsItsTypes() {
    String ks = keyspaceWithAddress();
    session.execute("DROP KEYSPACE " + ks);
    session.execute("CREATE KEYSPACE " + ks + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    assertTrue(rows("SELECT * FROM system_schema.types WHERE keyspace_name = ?", ks).isEmpty());
    session.execute("CREATE TYPE " + ks + ".address (other int)");
    assertEquals(1, udt(ks, "address").getFieldNames().size());
  }

  // --- driver metadata and events -----------------------------------------------------------------

  @Test
  void driverMetadataShowsTypesWithTheirFields() {
    String ks = newKeyspace();
    session.execute("CREATE TYPE " + ks + ".inner_t (a int, b list<text>)");
    session.execute("CREATE TYPE " + ks + ".outer_t (i frozen<inner_t>, m frozen<map<text, frozen<inner_t>>>)");
    UserDefinedType inner = udt(ks, "inner_t");
    assertEquals(List.of(DataTypes.INT, DataTypes.listOf(DataTypes.TEXT)), inner.getFieldTypes());
    UserDefinedType outer = udt(ks, "outer_t");
    DataType i = outer.getFieldTypes().get(0);
    assertTrue(i instanceof UserDefinedType u && u.isFrozen() && u.getName().asInternal().equals("inner_t"));
    DataType m = outer.getFieldTypes().get(1);
    assertTrue(m instanceof com.datastax.oss.driver.api.core.type.MapType mt && mt.isFrozen()
        && mt.getValueType() instanceof UserDefinedType v && v.isFrozen() && v.getName().asInternal().equals("inner_t"), m.toString());
  }

  @Test
  void typeChangesReachOtherSessionsAsSchemaEvents() throws Exception {
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    SchemaChangeListenerBase listener = new SchemaChangeListenerBase() {
      @Override
      public void onUserDefinedTypeCreated(UserDefinedType type) {
        events.add("created " + type.getName().asInternal() + " " + type.getFieldNames().size());
      }

      @Override
      public void onUserDefinedTypeUpdated(UserDefinedType current, UserDefinedType previous) {
        events.add("updated " + current.getName().asInternal() + " " + current.getFieldNames().size());
      }

      @Override
      public void onUserDefinedTypeDropped(UserDefinedType type) {
        events.add("dropped " + type.getName().asInternal());
      }
    };
    String ks = newKeyspace();
    try (CqlSession other = CqlSession.builder().addContactPoint(node.address()).withLocalDatacenter("datacenter1")
        .withSchemaChangeListener(listener).build()) {
      session.execute("CREATE TYPE " + ks + ".address (street text)");
      awaitEvent(events, "created address 1");
      session.execute("ALTER TYPE " + ks + ".address ADD zip int");
      awaitEvent(events, "updated address 2");
      session.execute("DROP TYPE " + ks + ".address");
      awaitEvent(events, "dropped address");
      assertTrue(other.getMetadata().getKeyspace(ks).orElseThrow().getUserDefinedType("address").isEmpty());
    }
  }

  private static void awaitEvent(BlockingQueue<String> events, String expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
    List<String> seen = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      String e = events.poll(100, TimeUnit.MILLISECONDS);
      if (expected.equals(e)) {
        return;
      }
      if (e != null) {
        seen.add(e);
      }
    }
    throw new AssertionError("no event '" + expected + "'; saw " + seen);
  }

  // --- values: literals, binds, codec ------------------------------------------------------------

  @Test
  void literalsRoundTripForFrozenAndNonFrozenColumns() {
    String ks = addressTable();
    session.execute("INSERT INTO " + ks + ".t (k, u, f) VALUES (1, {street: 'Main', zip: 10}, {zip: 20, street: 'High'})");
    Row r = one("SELECT u, f FROM " + ks + ".t WHERE k = 1");
    assertEquals("Main", street(r.getUdtValue("u")));
    assertEquals(10, zip(r.getUdtValue("u")));
    assertEquals("High", street(r.getUdtValue("f")));
    assertEquals(20, zip(r.getUdtValue("f")));
    assertEquals("{street:'Main',zip:10}", r.getUdtValue("u").getFormattedContents());
  }

  @Test
  void fieldsMissingFromALiteralOrNullAreNull() {
    String ks = addressTable();
    session.execute("INSERT INTO " + ks + ".t (k, u, f) VALUES (1, {street: 'x'}, {zip: null, street: null})");
    Row r = one("SELECT u, f FROM " + ks + ".t WHERE k = 1");
    assertEquals("x", street(r.getUdtValue("u")));
    assertNull(zip(r.getUdtValue("u")));
    assertNotNull(r.getUdtValue("f"), "a frozen value with null fields is still a value");
    assertNull(street(r.getUdtValue("f")));
    assertNull(zip(r.getUdtValue("f")));
  }

  @Test
  void nonFrozenValueWithOnlyNullFieldsReadsAsNull() {
    String ks = addressTable();
    session.execute("INSERT INTO " + ks + ".t (k, u) VALUES (1, {street: null})");
    assertNull(one("SELECT u FROM " + ks + ".t WHERE k = 1").getUdtValue("u"), "no field cell is live, as in Cassandra");
  }

  @Test
  void unknownFieldsAndWrongFieldTypesInLiteralsAreInvalid() {
    String ks = addressTable();
    assertError(InvalidQueryException.class, "INSERT INTO " + ks + ".t (k, u) VALUES (1, {nope: 1})",
        "Unknown field 'nope' in value of user defined type address");
    assertError(InvalidQueryException.class, "INSERT INTO " + ks + ".t (k, f) VALUES (1, {zip: 'ten'})",
        "Invalid user type literal for f: field zip is not of type int");
    assertError(InvalidQueryException.class, "INSERT INTO " + ks + ".t (k, f) VALUES (1, [1, 2])", "list literal");
    assertError(InvalidQueryException.class, "INSERT INTO " + ks + ".t (k, f) VALUES (1, {'a': 1})", "map literal");
    assertTrue(rows("SELECT * FROM " + ks + ".t").isEmpty());
  }

  @Test
  void udtValueCodecRoundTripsThroughPreparedStatements() {
    String ks = addressTable();
    PreparedStatement p = session.prepare("INSERT INTO " + ks + ".t (k, u, f) VALUES (?, ?, ?)");
    DataType uType = p.getVariableDefinitions().get("u").getType();
    DataType fType = p.getVariableDefinitions().get("f").getType();
    assertTrue(uType instanceof UserDefinedType ut && ut.getName().asInternal().equals("address"), uType.toString());
    assertTrue(fType instanceof UserDefinedType);
    UserDefinedType address = udt(ks, "address");
    session.execute(p.bind(1, address.newValue().setString("street", "Elm").setInt("zip", 7),
        address.newValue().setString("street", "Oak")));
    Row r = one("SELECT u, f FROM " + ks + ".t WHERE k = 1");
    assertEquals(address.newValue().setString("street", "Elm").setInt("zip", 7), r.getUdtValue("u"));
    assertEquals("Oak", street(r.getUdtValue("f")));
    assertNull(zip(r.getUdtValue("f")));
    session.execute(p.bind(2, null, null));
    r = one("SELECT u, f FROM " + ks + ".t WHERE k = 2");
    assertNull(r.getUdtValue("u"));
    assertNull(r.getUdtValue("f"));
  }

  @Test
  void bindMarkersForSingleFieldsOfALiteral() {
    String ks = addressTable();
    PreparedStatement p = session.prepare("INSERT INTO " + ks + ".t (k, u) VALUES (?, {street: ?, zip: ?})");
    ColumnDefinitions vars = p.getVariableDefinitions();
    assertEquals(List.of("k", "u.street", "u.zip"), columnNames(vars));
    assertEquals(DataTypes.TEXT, vars.get(1).getType());
    assertEquals(DataTypes.INT, vars.get(2).getType());
    session.execute(p.bind(1, "Pine", 3));
    session.execute(p.bind(2, "Ash", null));
    assertEquals("Pine", street(one("SELECT u FROM " + ks + ".t WHERE k = 1").getUdtValue("u")));
    assertNull(zip(one("SELECT u FROM " + ks + ".t WHERE k = 2").getUdtValue("u")));
    assertError(InvalidQueryException.class, () -> session.execute(p.bind(3, "x").unset(2)), "unset");
  }

  @Test
  void unknownFieldInAPreparedLiteralIsInvalidAtPrepare() {
    String ks = addressTable();
    assertError(InvalidQueryException.class, () -> session.prepare("INSERT INTO " + ks + ".t (k, u) VALUES (?, {nope: ?})"),
        "Unknown field 'nope'");
  }

  // --- non-frozen columns: field updates and deletions -------------------------------------------

  @Test
  void updatingOneFieldKeepsTheOthers() {
    String ks = addressTable();
    session.execute("INSERT INTO " + ks + ".t (k, u) VALUES (1, {street: 'a', zip: 1})");
    session.execute("UPDATE " + ks + ".t SET u.zip = 2 WHERE k = 1");
    UdtValue u = one("SELECT u FROM " + ks + ".t WHERE k = 1").getUdtValue("u");
    assertEquals("a", street(u));
    assertEquals(2, zip(u));
    session.execute("UPDATE " + ks + ".t SET u.street = 'fresh' WHERE k = 2");
    u = one("SELECT u FROM " + ks + ".t WHERE k = 2").getUdtValue("u");
    assertEquals("fresh", street(u));
    assertNull(zip(u), "a field update on a new row leaves the other fields null");
  }

  @Test
  void preparedFieldUpdateIsNamedAfterTheField() {
    String ks = addressTable();
    PreparedStatement p = session.prepare("UPDATE " + ks + ".t SET u.zip = ? WHERE k = ?");
    assertEquals(List.of("u.zip", "k"), columnNames(p.getVariableDefinitions()));
    assertEquals(DataTypes.INT, p.getVariableDefinitions().get(0).getType());
    session.execute("INSERT INTO " + ks + ".t (k, u) VALUES (1, {street: 'a', zip: 1})");
    session.execute(p.bind(9, 1));
    assertEquals(9, zip(one("SELECT u FROM " + ks + ".t WHERE k = 1").getUdtValue("u")));
    session.execute(p.bind().unset(0).setInt(1, 1));
    assertEquals(9, zip(one("SELECT u FROM " + ks + ".t WHERE k = 1").getUdtValue("u")), "unset writes nothing");
    session.execute(p.bind(null, 1));
    UdtValue u = one("SELECT u FROM " + ks + ".t WHERE k = 1").getUdtValue("u");
    assertNull(zip(u), "null deletes the field");
    assertEquals("a", street(u));
  }

  @Test
  void fieldUpdatesAreRefusedOnFrozenAndNonUdtColumnsAndUnknownFields() {
    String ks = addressTable();
    session.execute("ALTER TABLE " + ks + ".t ADD n int");
    assertError(InvalidQueryException.class, "UPDATE " + ks + ".t SET f.zip = 1 WHERE k = 1",
        "Invalid operation (f.zip = 1) for frozen UDT column f");
    assertError(InvalidQueryException.class, "UPDATE " + ks + ".t SET n.zip = 1 WHERE k = 1", "for non-UDT column n");
    assertError(InvalidQueryException.class, "UPDATE " + ks + ".t SET u.nope = 1 WHERE k = 1",
        "UDT column u does not have a field named nope");
    assertError(InvalidQueryException.class, "UPDATE " + ks + ".t SET u = u + {zip: 1} WHERE k = 1", "non counter column u");
  }

  @Test
  void deletingAFieldOfANonFrozenValue() {
    String ks = addressTable();
    session.execute("INSERT INTO " + ks + ".t (k, u, f) VALUES (1, {street: 'a', zip: 1}, {street: 'b'})");
    session.execute("DELETE u.zip FROM " + ks + ".t WHERE k = 1");
    UdtValue u = one("SELECT u FROM " + ks + ".t WHERE k = 1").getUdtValue("u");
    assertEquals("a", street(u));
    assertNull(zip(u));
    session.execute("DELETE u.street FROM " + ks + ".t WHERE k = 1");
    assertNull(one("SELECT u FROM " + ks + ".t WHERE k = 1").getUdtValue("u"), "no field left");
    assertError(InvalidQueryException.class, "DELETE f.zip FROM " + ks + ".t WHERE k = 1",
        "Frozen UDT column f does not support field deletions");
    assertError(InvalidQueryException.class, "DELETE u.nope FROM " + ks + ".t WHERE k = 1", "does not have a field named nope");
    assertError(InvalidQueryException.class, "DELETE k.zip FROM " + ks + ".t WHERE k = 1", "PRIMARY KEY");
  }

  @Test
  void wholeValueWritesOfANonFrozenValueReplaceEveryField() {
    String ks = addressTable();
    session.execute("INSERT INTO " + ks + ".t (k, u) VALUES (1, {street: 'a', zip: 1})");
    session.execute("UPDATE " + ks + ".t SET u = {zip: 2} WHERE k = 1");
    UdtValue u = one("SELECT u FROM " + ks + ".t WHERE k = 1").getUdtValue("u");
    assertNull(street(u), "a field left out of the new value is gone");
    assertEquals(2, zip(u));
    session.execute("INSERT INTO " + ks + ".t (k, u) VALUES (1, {street: 'b'})");
    u = one("SELECT u FROM " + ks + ".t WHERE k = 1").getUdtValue("u");
    assertEquals("b", street(u));
    assertNull(zip(u));
    session.execute("UPDATE " + ks + ".t SET u = null WHERE k = 1");
    assertNull(one("SELECT u FROM " + ks + ".t WHERE k = 1").getUdtValue("u"));
  }

  @Test
  void olderFieldWritesDoNotSurviveANewerWholeValue() {
    String ks = addressTable();
    session.execute("UPDATE " + ks + ".t USING TIMESTAMP 100 SET u.zip = 1 WHERE k = 1");
    session.execute("UPDATE " + ks + ".t USING TIMESTAMP 200 SET u = {street: 'new'} WHERE k = 1");
    session.execute("UPDATE " + ks + ".t USING TIMESTAMP 150 SET u.zip = 5 WHERE k = 1");
    UdtValue u = one("SELECT u FROM " + ks + ".t WHERE k = 1").getUdtValue("u");
    assertEquals("new", street(u));
    assertNull(zip(u), "writes at or before the overwrite are shadowed");
    session.execute("UPDATE " + ks + ".t USING TIMESTAMP 300 SET u.zip = 6 WHERE k = 1");
    assertEquals(6, zip(one("SELECT u FROM " + ks + ".t WHERE k = 1").getUdtValue("u")));
  }

  @Test
  void writetimeAndTtlOfSingleFields() {
    String ks = addressTable();
    session.execute("UPDATE " + ks + ".t USING TIMESTAMP 100 SET u.street = 'a' WHERE k = 1");
    session.execute("UPDATE " + ks + ".t USING TIMESTAMP 200 AND TTL 1000 SET u.zip = 5 WHERE k = 1");
    session.execute("UPDATE " + ks + ".t USING TIMESTAMP 300 SET f = {street: 'b'} WHERE k = 1");
    Row r = one("SELECT writetime(u.street), writetime(u.zip), ttl(u.street), ttl(u.zip), writetime(f.street), writetime(f.zip)"
        + " FROM " + ks + ".t WHERE k = 1");
    assertEquals(100L, r.getLong(0));
    assertEquals(200L, r.getLong(1));
    assertTrue(r.isNull(2), "no TTL on street");
    assertTrue(r.getInt(3) > 990 && r.getInt(3) <= 1000, "ttl " + r.getInt(3));
    assertEquals(300L, r.getLong(4), "a frozen value's fields share its write time");
    assertTrue(r.isNull(5), "a null field of a frozen value has no write time");
    assertEquals(List.of("writetime(u.street)", "writetime(u.zip)", "ttl(u.street)", "ttl(u.zip)",
        "writetime(f.street)", "writetime(f.zip)"), columnNames(r.getColumnDefinitions()));
  }

  @Test
  void writetimeOfAWholeNonFrozenValueListsItsFields() {
    // As Apache Cassandra 5.0 answers (checked against a real Cassandra 5 node): one write time per
    // field that has a value, in field order; a frozen value is one cell with one write time.
    String ks = addressTable();
    session.execute("INSERT INTO " + ks + ".t (k, u, f) VALUES (1, {street: 'Main'}, {zip: 1}) USING TIMESTAMP 42");
    session.execute("UPDATE " + ks + ".t USING TIMESTAMP 50 SET u.zip = 7 WHERE k = 1");
    assertEquals(List.of(42L, 50L), one("SELECT writetime(u) FROM " + ks + ".t WHERE k = 1").getList(0, Long.class));
    assertEquals(42L, one("SELECT writetime(f) FROM " + ks + ".t WHERE k = 1").getLong(0));
  }

  @Test
  void insertWithTtlExpiresEveryField() {
    String ks = addressTable();
    session.execute("INSERT INTO " + ks + ".t (k, u) VALUES (1, {street: 'a', zip: 1}) USING TTL 500");
    Row r = one("SELECT ttl(u.street), ttl(u.zip) FROM " + ks + ".t WHERE k = 1");
    assertTrue(r.getInt(0) > 490 && r.getInt(0) <= 500);
    assertTrue(r.getInt(1) > 490 && r.getInt(1) <= 500);
  }

  @Test
  void staticNonFrozenUdtColumn() {
    String ks = keyspaceWithAddress();
    session.execute("CREATE TABLE " + ks + ".t (k int, c int, s address STATIC, PRIMARY KEY (k, c))");
    session.execute("INSERT INTO " + ks + ".t (k, c, s) VALUES (1, 1, {street: 'a', zip: 1})");
    session.execute("UPDATE " + ks + ".t SET s.zip = 9 WHERE k = 1");
    session.execute("INSERT INTO " + ks + ".t (k, c) VALUES (1, 2)");
    List<Row> rows = rows("SELECT c, s.street, s.zip FROM " + ks + ".t WHERE k = 1");
    assertEquals(2, rows.size());
    for (Row r : rows) {
      assertEquals("a", r.getString(1));
      assertEquals(9, r.getInt(2));
    }
  }

  // --- selection ----------------------------------------------------------------------------------

  @Test
  void fieldSelectorsReturnOneFieldNamedLikeCassandra() {
    String ks = addressTable();
    session.execute("INSERT INTO " + ks + ".t (k, u, f) VALUES (1, {street: 'a', zip: 1}, {street: 'b', zip: 2})");
    session.execute("INSERT INTO " + ks + ".t (k) VALUES (2)");
    ResultSet rs = session.execute("SELECT k, u.street, f.zip, u.zip AS z FROM " + ks + ".t WHERE k IN (1, 2)");
    assertEquals(List.of("k", "u.street", "f.zip", "z"), columnNames(rs.getColumnDefinitions()));
    assertEquals(DataTypes.TEXT, rs.getColumnDefinitions().get(1).getType());
    List<Row> rows = rs.all();
    assertEquals("a", rows.get(0).getString(1));
    assertEquals(2, rows.get(0).getInt(2));
    assertEquals(1, rows.get(0).getInt(3));
    assertTrue(rows.get(1).isNull(1) && rows.get(1).isNull(2) && rows.get(1).isNull(3), "null values give null fields");
  }

  @Test
  void fieldSelectionErrors() {
    String ks = addressTable();
    assertError(InvalidQueryException.class, "SELECT k.street FROM " + ks + ".t", "Invalid field selection", "is not a user type");
    assertError(InvalidQueryException.class, "SELECT u.nope FROM " + ks + ".t", "has no field nope");
  }

  @Test
  void nestedUserTypesAndNestedFieldSelection() {
    String ks = keyspaceWithAddress();
    session.execute("CREATE TYPE " + ks + ".person (name text, home frozen<address>, phones frozen<list<text>>)");
    session.execute("CREATE TABLE " + ks + ".t (k int PRIMARY KEY, p person)");
    session.execute("INSERT INTO " + ks + ".t (k, p) VALUES (1, {name: 'Ada', home: {street: 'Elm', zip: 5}, phones: ['1', '2']})");
    Row r = one("SELECT p, p.home.street, p.home FROM " + ks + ".t WHERE k = 1");
    UdtValue p = r.getUdtValue("p");
    assertEquals("Ada", p.getString("name"));
    assertEquals("Elm", p.getUdtValue("home").getString("street"));
    assertEquals(List.of("1", "2"), p.getList("phones", String.class));
    assertEquals("Elm", r.getString(1));
    assertEquals(5, r.getUdtValue(2).getInt("zip"));
    session.execute("UPDATE " + ks + ".t SET p.home = {street: 'Oak'} WHERE k = 1");
    p = one("SELECT p FROM " + ks + ".t WHERE k = 1").getUdtValue("p");
    assertEquals("Oak", p.getUdtValue("home").getString("street"));
    assertTrue(p.getUdtValue("home").isNull("zip"), "a frozen field is replaced whole");
    assertEquals("Ada", p.getString("name"));
  }

  // --- keys, collections, tuples -----------------------------------------------------------------

  @Test
  void frozenUserTypesAsPartitionAndClusteringKeys() {
    String ks = keyspaceWithAddress();
    session.execute("CREATE TABLE " + ks + ".t (a frozen<address>, c frozen<address>, v int, PRIMARY KEY (a, c))");
    session.execute("INSERT INTO " + ks + ".t (a, c, v) VALUES ({street: 'x'}, {street: 'b', zip: 2}, 1)");
    session.execute("INSERT INTO " + ks + ".t (a, c, v) VALUES ({street: 'x'}, {street: 'a', zip: 9}, 2)");
    session.execute("INSERT INTO " + ks + ".t (a, c, v) VALUES ({street: 'x'}, {street: 'b', zip: 1}, 3)");
    assertEquals(List.of(2, 3, 1), ints("SELECT v FROM " + ks + ".t WHERE a = {street: 'x'}"), "ordered field by field");
    assertEquals(List.of(3), ints("SELECT v FROM " + ks + ".t WHERE a = {street: 'x', zip: null} AND c = {street: 'b', zip: 1}"));
    UserDefinedType address = udt(ks, "address");
    PreparedStatement p = session.prepare("SELECT v FROM " + ks + ".t WHERE a = ? AND c > ?");
    assertEquals(List.of(3, 1), column(session.execute(p.bind(address.newValue().setString("street", "x"),
        address.newValue().setString("street", "a").setInt("zip", 100))), x -> x.getInt(0)));
  }

  @Test
  void nonFrozenUserTypesAreRefusedInPrimaryKeys() {
    String ks = keyspaceWithAddress();
    assertError(InvalidQueryException.class, "CREATE TABLE " + ks + ".t (k address PRIMARY KEY, v int)",
        "Invalid non-frozen user-defined type", "for PRIMARY KEY column 'k'");
    assertError(InvalidQueryException.class, "CREATE TABLE " + ks + ".t (k int, c address, PRIMARY KEY (k, c))",
        "for PRIMARY KEY column 'c'");
  }

  @Test
  void userTypesInsideFrozenAndNonFrozenCollections() {
    String ks = keyspaceWithAddress();
    session.execute("CREATE TABLE " + ks + ".t (k int PRIMARY KEY, l list<frozen<address>>, m map<text, frozen<address>>,"
        + " s frozen<set<frozen<address>>>)");
    session.execute("INSERT INTO " + ks + ".t (k, l, m, s) VALUES (1, [{street: 'a'}], {'home': {zip: 1}},"
        + " {{street: 'z'}, {street: 'b'}})");
    session.execute("UPDATE " + ks + ".t SET l = l + [{street: 'c'}], m['work'] = {zip: 2} WHERE k = 1");
    Row r = one("SELECT l, m, s FROM " + ks + ".t WHERE k = 1");
    assertEquals(List.of("a", "c"), r.getList("l", UdtValue.class).stream().map(UdtIT::street).toList());
    Map<String, UdtValue> m = r.getMap("m", String.class, UdtValue.class);
    assertEquals(1, zip(m.get("home")));
    assertEquals(2, zip(m.get("work")));
    assertEquals(List.of("b", "z"), r.getSet("s", UdtValue.class).stream().map(UdtIT::street).toList(), "set sorted by value");
  }

  @Test
  void nonFrozenUserTypesAreRefusedInsideCollections() {
    String ks = keyspaceWithAddress();
    assertError(InvalidQueryException.class, "CREATE TABLE " + ks + ".t (k int PRIMARY KEY, l list<address>)",
        "Non-frozen UDTs are not allowed inside collections");
    assertError(InvalidQueryException.class, "CREATE TABLE " + ks + ".t (k int PRIMARY KEY, m map<text, address>)",
        "Non-frozen UDTs are not allowed inside collections");
  }

  @Test
  void nonFrozenUserTypeWithNonFrozenCollectionFieldIsRefusedAsAColumn() {
    String ks = newKeyspace();
    session.execute("CREATE TYPE " + ks + ".tagged (tags set<text>)");
    assertError(InvalidQueryException.class, "CREATE TABLE " + ks + ".t (k int PRIMARY KEY, v tagged)",
        "Non-frozen UDTs with nested non-frozen collections are not supported");
    session.execute("CREATE TABLE " + ks + ".t (k int PRIMARY KEY, v frozen<tagged>)");
    session.execute("INSERT INTO " + ks + ".t (k, v) VALUES (1, {tags: {'b', 'a'}})");
    assertEquals(Set.of("a", "b"), one("SELECT v FROM " + ks + ".t WHERE k = 1").getUdtValue("v").getSet("tags", String.class));
  }

  @Test
  void boundSetsInsideUserTypesAreStoredCanonically() {
    String ks = newKeyspace();
    session.execute("CREATE TYPE " + ks + ".tagged (tags frozen<set<int>>)");
    session.execute("CREATE TABLE " + ks + ".t (k frozen<tagged> PRIMARY KEY, v int)");
    UserDefinedType tagged = udt(ks, "tagged");
    PreparedStatement p = session.prepare("INSERT INTO " + ks + ".t (k, v) VALUES (?, ?)");
    session.execute(p.bind(tagged.newValue().setSet("tags", new java.util.LinkedHashSet<>(List.of(3, 1, 2)), Integer.class), 1));
    session.execute(p.bind(tagged.newValue().setSet("tags", new java.util.LinkedHashSet<>(List.of(2, 3, 1)), Integer.class), 2));
    List<Row> rows = rows("SELECT k, v FROM " + ks + ".t");
    assertEquals(1, rows.size(), "equal values are one key whatever order the driver sent");
    assertEquals(List.of(1, 2, 3), List.copyOf(rows.get(0).getUdtValue("k").getSet("tags", Integer.class)));
  }

  @Test
  void userTypesInsideTuples() {
    String ks = keyspaceWithAddress();
    session.execute("CREATE TABLE " + ks + ".t (k int PRIMARY KEY, tu tuple<int, frozen<address>>)");
    session.execute("INSERT INTO " + ks + ".t (k, tu) VALUES (1, (7, {street: 'a', zip: 3}))");
    TupleValue tu = one("SELECT tu FROM " + ks + ".t WHERE k = 1").getTupleValue("tu");
    assertEquals(7, tu.getInt(0));
    assertEquals("a", street(tu.getUdtValue(1)));
    PreparedStatement p = session.prepare("INSERT INTO " + ks + ".t (k, tu) VALUES (?, ?)");
    TupleType type = (TupleType) p.getVariableDefinitions().get("tu").getType();
    UserDefinedType address = udt(ks, "address");
    session.execute(p.bind(2, type.newValue(8, address.newValue().setInt("zip", 4))));
    assertEquals(4, zip(one("SELECT tu FROM " + ks + ".t WHERE k = 2").getTupleValue("tu").getUdtValue(1)));
  }

  @Test
  void userTypeColumnsAddedAndDroppedWithAlterTable() {
    String ks = keyspaceWithAddress();
    session.execute("CREATE TABLE " + ks + ".t (k int PRIMARY KEY)");
    session.execute("ALTER TABLE " + ks + ".t ADD u address");
    session.execute("INSERT INTO " + ks + ".t (k, u) VALUES (1, {zip: 1})");
    assertEquals(1, zip(one("SELECT u FROM " + ks + ".t WHERE k = 1").getUdtValue("u")));
    assertEquals("address", one("SELECT type FROM system_schema.columns WHERE keyspace_name = ? AND table_name = 't'"
        + " AND column_name = 'u'", ks).getString(0));
    session.execute("ALTER TABLE " + ks + ".t DROP u");
    session.execute("DROP TYPE " + ks + ".address");
  }

  @Test
  void systemSchemaColumnsNamesFrozenAndNonFrozenTypes() {
    String ks = addressTable();
    List<Row> rows = rows("SELECT column_name, type FROM system_schema.columns WHERE keyspace_name = ? AND table_name = 't'", ks);
    assertEquals(List.of("f:frozen<address>", "k:int", "u:address"),
        rows.stream().map(r -> r.getString(0) + ":" + r.getString(1)).toList());
    var table = session.getMetadata().getKeyspace(ks).orElseThrow().getTable("t").orElseThrow();
    UserDefinedType u = (UserDefinedType) table.getColumn("u").orElseThrow().getType();
    UserDefinedType f = (UserDefinedType) table.getColumn("f").orElseThrow().getType();
    assertFalse(u.isFrozen());
    assertTrue(f.isFrozen());
  }

  // --- persistence ---------------------------------------------------------------------------------

  @Test
  void typesAndValuesSurviveARestart() {
    String ks = addressTable();
    session.execute("CREATE TYPE " + ks + ".person (name text, home frozen<address>)");
    session.execute("ALTER TYPE " + ks + ".address ADD city text");
    session.execute("ALTER TABLE " + ks + ".t ADD p frozen<person>");
    session.execute("INSERT INTO " + ks + ".t (k, u, p) VALUES (1, {street: 'a', city: 'c'}, {name: 'n', home: {zip: 3, city: 'x'}})");
    session.close();
    node.restart();
    session = session();
    Row r = one("SELECT u, p FROM " + ks + ".t WHERE k = 1");
    assertEquals("c", r.getUdtValue("u").getString("city"));
    assertEquals("x", r.getUdtValue("p").getUdtValue("home").getString("city"));
    assertEquals(List.of("street", "zip", "city"),
        one("SELECT field_names FROM system_schema.types WHERE keyspace_name = ? AND type_name = 'address'", ks)
            .getList(0, String.class));
    assertEquals(3, udt(ks, "address").getFieldNames().size());
    assertError(InvalidQueryException.class, "DROP TYPE " + ks + ".address", "still used by user types person");
  }
}
