package io.meridian.cql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.cql.ast.AlterKeyspace;
import io.meridian.cql.ast.AlterMaterializedView;
import io.meridian.cql.ast.AlterRole;
import io.meridian.cql.ast.AlterTable;
import io.meridian.cql.ast.AlterTableAction;
import io.meridian.cql.ast.AlterType;
import io.meridian.cql.ast.AlterTypeAction;
import io.meridian.cql.ast.ArithmeticOp;
import io.meridian.cql.ast.Assignment;
import io.meridian.cql.ast.Batch;
import io.meridian.cql.ast.BindMarker;
import io.meridian.cql.ast.Condition;
import io.meridian.cql.ast.CreateIndex;
import io.meridian.cql.ast.CreateKeyspace;
import io.meridian.cql.ast.CreateMaterializedView;
import io.meridian.cql.ast.CreateRole;
import io.meridian.cql.ast.CreateTable;
import io.meridian.cql.ast.CreateType;
import io.meridian.cql.ast.Delete;
import io.meridian.cql.ast.DeleteTarget;
import io.meridian.cql.ast.DropIndex;
import io.meridian.cql.ast.DropKeyspace;
import io.meridian.cql.ast.DropMaterializedView;
import io.meridian.cql.ast.DropRole;
import io.meridian.cql.ast.DropTable;
import io.meridian.cql.ast.DropType;
import io.meridian.cql.ast.Insert;
import io.meridian.cql.ast.InsertJson;
import io.meridian.cql.ast.Operator;
import io.meridian.cql.ast.Ordering;
import io.meridian.cql.ast.Property;
import io.meridian.cql.ast.QualifiedName;
import io.meridian.cql.ast.Relation;
import io.meridian.cql.ast.Schema;
import io.meridian.cql.ast.Select;
import io.meridian.cql.ast.SelectItem;
import io.meridian.cql.ast.Selector;
import io.meridian.cql.ast.Statement;
import io.meridian.cql.ast.Term;
import io.meridian.cql.ast.Truncate;
import io.meridian.cql.ast.TypeExpr;
import io.meridian.cql.ast.Update;
import io.meridian.cql.ast.UseKeyspace;
import io.meridian.types.LiteralKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Shape of the AST for each statement form. */
class CqlParserTest {

  @SuppressWarnings("unchecked")
  private static <T extends Statement> T parse(String cql, Class<T> type) {
    Statement s = CqlParser.parse(cql);
    return assertInstanceOf(type, s);
  }

  private static Term.Constant c(LiteralKind kind, String text) {
    return new Term.Constant(kind, text);
  }

  private static Term.Constant i(String text) {
    return c(LiteralKind.INTEGER, text);
  }

  private static Term.Constant s(String text) {
    return Term.Constant.string(text);
  }

  /** The single value of "SELECT * FROM t WHERE k = <term>". */
  private static Term whereValue(String term) {
    Select sel = parse("SELECT * FROM t WHERE k = " + term, Select.class);
    return ((Relation.ColumnRelation) sel.where().get(0)).value();
  }

  // ------------------------------------------------------------------ USE / keyspaces

  @Test
  void use() {
    assertEquals(new UseKeyspace("ks"), CqlParser.parse("USE Ks;"));
    assertEquals(new UseKeyspace("Ks"), CqlParser.parse("use \"Ks\""));
  }

  @Test
  void createKeyspace() {
    CreateKeyspace k = parse("CREATE KEYSPACE IF NOT EXISTS ks WITH replication = "
        + "{'class': 'SimpleStrategy', 'replication_factor': 3} AND durable_writes = false",
        CreateKeyspace.class);
    assertEquals("ks", k.name());
    assertTrue(k.ifNotExists());
    assertEquals(2, k.properties().size());
    Property repl = k.properties().get(0);
    assertEquals("replication", repl.name());
    assertEquals(Map.of("class", "SimpleStrategy", "replication_factor", "3"),
        ((Property.MapValue) repl.value()).entries());
    assertTrue(k.properties().get(1).isBooleanLiteral());
    assertEquals("false", k.properties().get(1).asText());
  }

  @Test
  void createSchemaSynonym() {
    CreateKeyspace k = parse("CREATE SCHEMA ks WITH replication = {'class': 'X'}",
        CreateKeyspace.class);
    assertFalse(k.ifNotExists());
  }

  @Test
  void alterKeyspace() {
    AlterKeyspace a = parse("ALTER KEYSPACE ks WITH durable_writes = true", AlterKeyspace.class);
    assertEquals("ks", a.name());
    assertEquals("true", a.properties().get(0).asText());
  }

  @Test
  void dropKeyspace() {
    assertEquals(new DropKeyspace("ks", true), CqlParser.parse("DROP KEYSPACE IF EXISTS ks"));
    assertEquals(new DropKeyspace("ks", false), CqlParser.parse("drop keyspace ks"));
  }

  // ------------------------------------------------------------------ tables

  @Test
  void createTableCompositeKey() {
    CreateTable t = parse("CREATE TABLE IF NOT EXISTS ks.t (a int, b text, c timeuuid, d int, "
        + "s text STATIC, v map<text, int>, PRIMARY KEY ((a, b), c, d)) "
        + "WITH CLUSTERING ORDER BY (c DESC, d ASC) AND comment = 'hi' "
        + "AND compaction = {'class': 'LeveledCompactionStrategy'} AND gc_grace_seconds = 10",
        CreateTable.class);
    assertEquals(new QualifiedName("ks", "t"), t.name());
    assertTrue(t.ifNotExists());
    assertEquals(List.of("a", "b"), t.primaryKey().partitionKey());
    assertEquals(List.of("c", "d"), t.primaryKey().clustering());
    assertEquals(List.of(new Schema.ClusteringOrder("c", true),
        new Schema.ClusteringOrder("d", false)), t.clusteringOrder());
    assertEquals(6, t.columns().size());
    assertTrue(t.columns().get(4).isStatic());
    assertEquals(new TypeExpr.Collection(TypeExpr.CollectionKind.MAP,
        List.of(new TypeExpr.Native("text"), new TypeExpr.Native("int"))), t.columns().get(5).type());
    assertEquals(3, t.properties().size());
    assertEquals("hi", t.properties().get(0).asText());
    assertEquals("10", t.properties().get(2).asText());
    assertFalse(t.compactStorage());
  }

  @Test
  void createTableInlinePrimaryKey() {
    CreateTable t = parse("CREATE TABLE t (k int PRIMARY KEY, v text)", CreateTable.class);
    assertEquals(List.of("k"), t.primaryKey().partitionKey());
    assertEquals(List.of(), t.primaryKey().clustering());
    assertEquals(QualifiedName.of("t"), t.name());
  }

  @Test
  void createTableSimplePartitionKeyWithoutParens() {
    CreateTable t = parse("CREATE TABLE t (k int, c int, v int, PRIMARY KEY (k, c))",
        CreateTable.class);
    assertEquals(List.of("k"), t.primaryKey().partitionKey());
    assertEquals(List.of("c"), t.primaryKey().clustering());
  }

  @Test
  void createTableCompactStorage() {
    CreateTable t = parse("CREATE COLUMNFAMILY t (k int PRIMARY KEY, v int) WITH COMPACT STORAGE",
        CreateTable.class);
    assertTrue(t.compactStorage());
  }

  @Test
  void createTableAllTypes() {
    CreateTable t = parse("CREATE TABLE t (k int PRIMARY KEY, a ascii, b bigint, c blob, "
        + "d boolean, e counter, f date, g decimal, h double, i duration, j float, l inet, "
        + "m smallint, n text, o time, p timestamp, q timeuuid, r tinyint, s uuid, u varchar, "
        + "w varint, x list<int>, y set<text>, z frozen<tuple<int, text>>, aa tuple<int, text>, "
        + "bb frozen<addr>, cc ks.addr, dd 'org.example.MyType', ee vector<float, 3>, "
        + "ff map<text, frozen<list<int>>>)", CreateTable.class);
    List<Schema.ColumnDefinition> cols = t.columns();
    assertEquals(30, cols.size());
    for (int k = 1; k <= 20; k++) {
      assertInstanceOf(TypeExpr.Native.class, cols.get(k).type(), cols.get(k).name());
    }
    assertEquals(new TypeExpr.Frozen(new TypeExpr.Tuple(List.of(new TypeExpr.Native("int"),
        new TypeExpr.Native("text")))), cols.get(23).type());
    assertEquals(new TypeExpr.Frozen(new TypeExpr.UserType(QualifiedName.of("addr"))),
        cols.get(25).type());
    assertEquals(new TypeExpr.UserType(new QualifiedName("ks", "addr")), cols.get(26).type());
    assertEquals(new TypeExpr.Custom("org.example.MyType"), cols.get(27).type());
    assertEquals(new TypeExpr.Vector(new TypeExpr.Native("float"), 3), cols.get(28).type());
    assertEquals(new TypeExpr.Collection(TypeExpr.CollectionKind.MAP, List.of(
        new TypeExpr.Native("text"), new TypeExpr.Frozen(new TypeExpr.Collection(
            TypeExpr.CollectionKind.LIST, List.of(new TypeExpr.Native("int")))))),
        cols.get(29).type());
  }

  @Test
  void unreservedKeywordsAsColumnNames() {
    CreateTable t = parse("CREATE TABLE t (key int PRIMARY KEY, type text, ttl int, "
        + "timestamp timestamp, count int, writetime int, value int, values int, keys int, "
        + "json text, filtering int, date date, time time, text text, frozen int, list int, "
        + "options int, login int, static int)", CreateTable.class);
    assertEquals(List.of("key", "type", "ttl", "timestamp", "count", "writetime", "value",
        "values", "keys", "json", "filtering", "date", "time", "text", "frozen", "list",
        "options", "login", "static"),
        t.columns().stream().map(Schema.ColumnDefinition::name).toList());
  }

  @Test
  void alterTableAdd() {
    AlterTable a = parse("ALTER TABLE ks.t ADD v list<int>", AlterTable.class);
    assertEquals(new AlterTableAction.AddColumns(false, List.of(new Schema.ColumnDefinition("v",
        new TypeExpr.Collection(TypeExpr.CollectionKind.LIST,
            List.of(new TypeExpr.Native("int"))), false))), a.action());
  }

  @Test
  void alterTableAddMany() {
    AlterTable a = parse("ALTER TABLE t ADD IF NOT EXISTS (a int, b text static)",
        AlterTable.class);
    var add = (AlterTableAction.AddColumns) a.action();
    assertTrue(add.ifNotExists());
    assertEquals(2, add.columns().size());
    assertTrue(add.columns().get(1).isStatic());
  }

  @Test
  void alterTableDrop() {
    assertEquals(new AlterTableAction.DropColumns(false, List.of("v"), null),
        parse("ALTER TABLE t DROP v", AlterTable.class).action());
    assertEquals(new AlterTableAction.DropColumns(true, List.of("a", "b"), i("123")),
        parse("ALTER TABLE IF EXISTS t DROP IF EXISTS (a, b) USING TIMESTAMP 123",
            AlterTable.class).action());
  }

  @Test
  void alterTableRename() {
    AlterTable a = parse("ALTER TABLE t RENAME a TO b AND c TO d", AlterTable.class);
    assertEquals(new AlterTableAction.RenameColumns(false, List.of(new Schema.Rename("a", "b"),
        new Schema.Rename("c", "d"))), a.action());
  }

  @Test
  void alterTableWith() {
    AlterTable a = parse("ALTER TABLE t WITH comment = 'x' AND default_time_to_live = 10",
        AlterTable.class);
    assertEquals(2, ((AlterTableAction.SetOptions) a.action()).properties().size());
  }

  @Test
  void dropTableAndTruncate() {
    assertEquals(new DropTable(new QualifiedName("ks", "t"), true),
        CqlParser.parse("DROP TABLE IF EXISTS ks.t"));
    assertEquals(new Truncate(QualifiedName.of("t")), CqlParser.parse("TRUNCATE t"));
    assertEquals(new Truncate(QualifiedName.of("t")), CqlParser.parse("TRUNCATE TABLE t;"));
  }

  // ------------------------------------------------------------------ types and indexes

  @Test
  void createType() {
    CreateType t = parse("CREATE TYPE IF NOT EXISTS ks.addr (street text, zip int, "
        + "tags frozen<set<text>>)", CreateType.class);
    assertEquals(new QualifiedName("ks", "addr"), t.name());
    assertEquals(3, t.fields().size());
    assertEquals("zip", t.fields().get(1).name());
  }

  @Test
  void alterType() {
    AlterType add = parse("ALTER TYPE addr ADD country text", AlterType.class);
    assertEquals(new AlterTypeAction.AddField(false,
        new Schema.FieldDefinition("country", new TypeExpr.Native("text"))), add.action());
    AlterType ren = parse("ALTER TYPE addr RENAME zip TO postcode AND street TO road",
        AlterType.class);
    assertEquals(2, ((AlterTypeAction.RenameFields) ren.action()).renames().size());
    AlterType alter = parse("ALTER TYPE addr ALTER zip TYPE bigint", AlterType.class);
    assertEquals(new AlterTypeAction.AlterField("zip", new TypeExpr.Native("bigint")), alter.action());
  }

  @Test
  void dropType() {
    assertEquals(new DropType(QualifiedName.of("addr"), true),
        CqlParser.parse("DROP TYPE IF EXISTS addr"));
  }

  @Test
  void createIndexForms() {
    CreateIndex plain = parse("CREATE INDEX ON t (v)", CreateIndex.class);
    assertNull(plain.indexName());
    assertEquals(List.of(new Schema.IndexTarget("v", Schema.IndexTargetKind.SIMPLE)),
        plain.targets());
    CreateIndex named = parse("CREATE INDEX IF NOT EXISTS idx ON ks.t (keys(m))",
        CreateIndex.class);
    assertEquals("idx", named.indexName());
    assertTrue(named.ifNotExists());
    assertEquals(Schema.IndexTargetKind.KEYS, named.targets().get(0).kind());
    assertEquals(Schema.IndexTargetKind.VALUES,
        parse("CREATE INDEX ON t (values(m))", CreateIndex.class).targets().get(0).kind());
    assertEquals(Schema.IndexTargetKind.ENTRIES,
        parse("CREATE INDEX ON t (entries(m))", CreateIndex.class).targets().get(0).kind());
    assertEquals(Schema.IndexTargetKind.FULL,
        parse("CREATE INDEX ON t (full(l))", CreateIndex.class).targets().get(0).kind());
    assertEquals(new Schema.IndexTarget("keys", Schema.IndexTargetKind.SIMPLE),
        parse("CREATE INDEX ON t (keys)", CreateIndex.class).targets().get(0));
  }

  @Test
  void createCustomIndex() {
    CreateIndex idx = parse("CREATE CUSTOM INDEX idx ON t (v) USING 'StorageAttachedIndex' "
        + "WITH OPTIONS = {'case_sensitive': 'false'}", CreateIndex.class);
    assertTrue(idx.custom());
    assertEquals("StorageAttachedIndex", idx.usingClass());
    assertEquals("options", idx.properties().get(0).name());
    assertEquals(Map.of("case_sensitive", "false"),
        ((Property.MapValue) idx.properties().get(0).value()).entries());
  }

  @Test
  void dropIndex() {
    assertEquals(new DropIndex(new QualifiedName("ks", "idx"), true),
        CqlParser.parse("DROP INDEX IF EXISTS ks.idx"));
  }

  // ------------------------------------------------------------------ views and roles

  @Test
  void materializedViews() {
    CreateMaterializedView v = parse("CREATE MATERIALIZED VIEW IF NOT EXISTS ks.mv AS "
        + "SELECT a, b FROM ks.t WHERE a IS NOT NULL AND b IS NOT NULL PRIMARY KEY (b, a) "
        + "WITH CLUSTERING ORDER BY (a DESC) AND comment = 'v'", CreateMaterializedView.class);
    assertEquals(new QualifiedName("ks", "mv"), v.name());
    assertEquals(new QualifiedName("ks", "t"), v.select().table());
    assertEquals(new Relation.IsNotNull("a"), v.select().where().get(0));
    assertEquals(List.of("b"), v.primaryKey().partitionKey());
    assertEquals(1, v.clusteringOrder().size());
    assertEquals(1, v.properties().size());
    assertEquals(new DropMaterializedView(QualifiedName.of("mv"), false),
        CqlParser.parse("DROP MATERIALIZED VIEW mv"));
    assertInstanceOf(AlterMaterializedView.class,
        CqlParser.parse("ALTER MATERIALIZED VIEW mv WITH comment = 'x'"));
  }

  @Test
  void roles() {
    CreateRole r = parse("CREATE ROLE IF NOT EXISTS alice WITH PASSWORD = 'pw' AND LOGIN = true "
        + "AND SUPERUSER = false", CreateRole.class);
    assertEquals("alice", r.name());
    assertEquals(List.of("password", "login", "superuser"),
        r.options().stream().map(Property::name).toList());
    CreateRole u = parse("CREATE USER 'Bob' WITH PASSWORD 'pw' NOSUPERUSER", CreateRole.class);
    assertTrue(u.user());
    assertEquals("Bob", u.name());
    assertEquals("false", u.options().get(1).asText());
    assertInstanceOf(AlterRole.class, CqlParser.parse("ALTER ROLE alice WITH LOGIN = false"));
    assertEquals(new DropRole("alice", true, false), CqlParser.parse("DROP ROLE IF EXISTS alice"));
  }

  // ------------------------------------------------------------------ INSERT

  @Test
  void insert() {
    Insert ins = parse("INSERT INTO ks.t (k, v, \"Mixed\") VALUES (1, 'x', ?) IF NOT EXISTS "
        + "USING TTL 10 AND TIMESTAMP 99", Insert.class);
    assertEquals(List.of("k", "v", "Mixed"), ins.columns());
    assertEquals(List.of(i("1"), s("x"), new BindMarker(0, null)), ins.values());
    assertTrue(ins.ifNotExists());
    assertEquals(i("10"), ins.attributes().ttl());
    assertEquals(i("99"), ins.attributes().timestamp());
  }

  @Test
  void insertJson() {
    InsertJson j = parse("INSERT INTO t JSON '{\"k\": 1}' DEFAULT UNSET", InsertJson.class);
    assertEquals(s("{\"k\": 1}"), j.json());
    assertTrue(j.defaultUnset());
    InsertJson m = parse("INSERT INTO t JSON ? DEFAULT NULL IF NOT EXISTS USING TTL ?",
        InsertJson.class);
    assertFalse(m.defaultUnset());
    assertEquals(2, m.bindMarkers().size());
  }

  // ------------------------------------------------------------------ UPDATE

  @Test
  void updateAssignments() {
    Update u = parse("UPDATE t USING TTL 5 SET a = 1, b = b + [1], c = [0] + c, d = d - {2}, "
        + "m['k'] = 'v', addr.street = 'x', n += 3, o -= 4 WHERE k = 0", Update.class);
    assertEquals(List.of(
        new Assignment.SetValue("a", i("1")),
        new Assignment.Add("b", new Term.ListLiteral(List.of(i("1")))),
        new Assignment.Prepend("c", new Term.ListLiteral(List.of(i("0")))),
        new Assignment.Subtract("d", new Term.SetLiteral(List.of(i("2")))),
        new Assignment.SetElement("m", s("k"), s("v")),
        new Assignment.SetField("addr", "street", s("x")),
        new Assignment.Add("n", i("3")),
        new Assignment.Subtract("o", i("4"))), u.assignments());
    assertEquals(i("5"), u.attributes().ttl());
  }

  @Test
  void updateCounterAndConditions() {
    Update u = parse("UPDATE t SET c = c + 1 WHERE k = 1 IF v = 3 AND m['a'] != 'b' "
        + "AND u.f > 2 AND w IN (1, 2)", Update.class);
    assertEquals(new Assignment.Add("c", i("1")), u.assignments().get(0));
    assertEquals(List.of(
        new Condition("v", null, null, Operator.EQ, i("3")),
        new Condition("m", s("a"), null, Operator.NEQ, s("b")),
        new Condition("u", null, "f", Operator.GT, i("2")),
        new Condition("w", null, null, Operator.IN, new Term.InValues(List.of(i("1"), i("2"))))),
        u.conditions());
    assertFalse(u.ifExists());
  }

  @Test
  void updateIfExists() {
    assertTrue(parse("UPDATE t SET v = 1 WHERE k = 1 IF EXISTS", Update.class).ifExists());
  }

  @Test
  void updateArithmeticValueIsNotPrepend() {
    Update u = parse("UPDATE t SET v = 1 + 2 WHERE k = 1", Update.class);
    assertEquals(new Assignment.SetValue("v", new Term.Arithmetic(ArithmeticOp.ADD, i("1"), i("2"))),
        u.assignments().get(0));
  }

  // ------------------------------------------------------------------ DELETE

  @Test
  void deleteForms() {
    Delete d = parse("DELETE v, m['k'], l[0], addr.city FROM ks.t USING TIMESTAMP 7 "
        + "WHERE k = 1 AND c > 2 IF EXISTS", Delete.class);
    assertEquals(List.of(new DeleteTarget("v", null, null), new DeleteTarget("m", s("k"), null),
        new DeleteTarget("l", i("0"), null), new DeleteTarget("addr", null, "city")), d.targets());
    assertEquals(i("7"), d.attributes().timestamp());
    assertTrue(d.ifExists());
    Delete rows = parse("DELETE FROM t WHERE k IN (1, 2) IF v = 3", Delete.class);
    assertTrue(rows.targets().isEmpty());
    assertEquals(1, rows.conditions().size());
  }

  // ------------------------------------------------------------------ BATCH

  @Test
  void batch() {
    Batch b = parse("BEGIN UNLOGGED BATCH USING TIMESTAMP 5 "
        + "INSERT INTO t (k, v) VALUES (1, 1); UPDATE t SET v = 2 WHERE k = 2; "
        + "DELETE FROM t WHERE k = 3 APPLY BATCH;", Batch.class);
    assertEquals(Batch.BatchType.UNLOGGED, b.type());
    assertEquals(i("5"), b.attributes().timestamp());
    assertEquals(3, b.statements().size());
    assertInstanceOf(Insert.class, b.statements().get(0));
    assertInstanceOf(Update.class, b.statements().get(1));
    assertInstanceOf(Delete.class, b.statements().get(2));
    assertEquals(Batch.BatchType.COUNTER,
        parse("BEGIN COUNTER BATCH UPDATE t SET c = c + 1 WHERE k = 1 APPLY BATCH", Batch.class)
            .type());
    assertEquals(Batch.BatchType.LOGGED,
        parse("BEGIN BATCH APPLY BATCH", Batch.class).type());
  }

  // ------------------------------------------------------------------ SELECT

  @Test
  void selectStar() {
    Select s = parse("SELECT * FROM ks.t", Select.class);
    assertTrue(s.wildcard());
    assertTrue(s.selection().isEmpty());
    assertEquals(new QualifiedName("ks", "t"), s.table());
    assertNull(s.limit());
  }

  @Test
  void selectAllClauses() {
    Select s = parse("SELECT JSON DISTINCT a AS x, b FROM t WHERE a = 1 GROUP BY a, b "
        + "ORDER BY b DESC, c PER PARTITION LIMIT 2 LIMIT 10 ALLOW FILTERING", Select.class);
    assertTrue(s.json());
    assertTrue(s.distinct());
    assertEquals(new SelectItem(new Selector.Column("a"), "x"), s.selection().get(0));
    assertEquals(List.of(new Selector.Column("a"), new Selector.Column("b")), s.groupBy());
    assertEquals(List.of(new Ordering("b", true, null), new Ordering("c", false, null)),
        s.orderings());
    assertEquals(i("2"), s.perPartitionLimit());
    assertEquals(i("10"), s.limit());
    assertTrue(s.allowFiltering());
  }

  @Test
  void selectJsonAndDistinctAsColumnNames() {
    Select s = parse("SELECT json, distinct FROM t", Select.class);
    assertFalse(s.json());
    assertFalse(s.distinct());
    assertEquals(2, s.selection().size());
    Select one = parse("SELECT json FROM t", Select.class);
    assertFalse(one.json());
    assertEquals(new Selector.Column("json"), one.selection().get(0).selector());
    assertTrue(parse("SELECT JSON * FROM t", Select.class).json());
    assertTrue(parse("SELECT JSON a FROM t", Select.class).json());
  }

  @Test
  void selectorForms() {
    Select s = parse("SELECT COUNT(*), count(1), count(v), writetime(v), ttl(v), "
        + "maxwritetime(v), token(a, b), CAST(v AS text), m['k'], l[1..3], l[..2], u.f, "
        + "a + b * 2, -a, 'lit', ?, (int) ?, toJson(v), ks.f(v), now() FROM t", Select.class);
    List<Selector> sel = s.selection().stream().map(SelectItem::selector).toList();
    Selector v = new Selector.Column("v");
    assertEquals(new Selector.CountRows(), sel.get(0));
    assertEquals(new Selector.CountRows(), sel.get(1));
    assertEquals(new Selector.Function(QualifiedName.of("count"), List.of(v)), sel.get(2));
    assertEquals(new Selector.Metadata(Selector.MetadataKind.WRITETIME, v), sel.get(3));
    assertEquals(new Selector.Metadata(Selector.MetadataKind.TTL, v), sel.get(4));
    assertEquals(new Selector.Metadata(Selector.MetadataKind.MAXWRITETIME, v), sel.get(5));
    assertEquals(new Selector.Function(QualifiedName.of("token"),
        List.of(new Selector.Column("a"), new Selector.Column("b"))), sel.get(6));
    assertEquals(new Selector.Cast(v, new TypeExpr.Native("text")), sel.get(7));
    assertEquals(new Selector.Element(new Selector.Column("m"), s("k")), sel.get(8));
    assertEquals(new Selector.Slice(new Selector.Column("l"), i("1"), i("3")), sel.get(9));
    assertEquals(new Selector.Slice(new Selector.Column("l"), null, i("2")), sel.get(10));
    assertEquals(new Selector.Field(new Selector.Column("u"), "f"), sel.get(11));
    assertEquals(new Selector.Arithmetic(ArithmeticOp.ADD, new Selector.Column("a"),
        new Selector.Arithmetic(ArithmeticOp.MUL, new Selector.Column("b"),
            new Selector.Value(i("2")))), sel.get(12));
    assertEquals(new Selector.Negate(new Selector.Column("a")), sel.get(13));
    assertEquals(new Selector.Value(s("lit")), sel.get(14));
    assertEquals(new Selector.Value(new BindMarker(0, null)), sel.get(15));
    assertEquals(new Selector.Value(new Term.TypeCast(new TypeExpr.Native("int"),
        new BindMarker(1, null))), sel.get(16));
    assertEquals(new Selector.Function(QualifiedName.of("tojson"), List.of(v)), sel.get(17));
    assertEquals(new Selector.Function(new QualifiedName("ks", "f"), List.of(v)), sel.get(18));
    assertEquals(new Selector.Function(QualifiedName.of("now"), List.of()), sel.get(19));
  }

  @Test
  void selectUnreservedKeywordColumns() {
    Select s = parse("SELECT key, ttl, writetime, count, value FROM t WHERE key = 1",
        Select.class);
    assertEquals(List.of("key", "ttl", "writetime", "count", "value"),
        s.selection().stream().map(x -> ((Selector.Column) x.selector()).name()).toList());
  }

  @Test
  void negativeLimitsParseSoTheQueryLayerCanRejectThem() {
    Select s = parse("SELECT * FROM t PER PARTITION LIMIT -2 LIMIT -1", Select.class);
    assertEquals(c(LiteralKind.INTEGER, "-1"), s.limit());
    assertEquals(c(LiteralKind.INTEGER, "-2"), s.perPartitionLimit());
  }

  @Test
  void annOrdering() {
    Select s = parse("SELECT * FROM t ORDER BY v ANN OF [1.0, 2.0] LIMIT 3", Select.class);
    assertEquals(new Term.ListLiteral(List.of(c(LiteralKind.FLOAT, "1.0"),
        c(LiteralKind.FLOAT, "2.0"))), s.orderings().get(0).annOf());
  }

  @Test
  void groupByFunction() {
    Select s = parse("SELECT * FROM t GROUP BY k, floor(ts, 1h)", Select.class);
    assertEquals(new Selector.Function(QualifiedName.of("floor"), List.of(
        new Selector.Column("ts"), new Selector.Value(c(LiteralKind.DURATION, "1h")))),
        s.groupBy().get(1));
  }

  // ------------------------------------------------------------------ relations

  @Test
  void relationOperators() {
    Select s = parse("SELECT * FROM t WHERE a = 1 AND b < 2 AND c <= 3 AND d > 4 AND e >= 5 "
        + "AND f != 6 AND g IN (7, 8) AND h IN ? AND i CONTAINS 9 AND j CONTAINS KEY 'k' "
        + "AND l LIKE 'a%' AND m['x'] = 10 AND n IS NOT NULL AND o IN ()", Select.class);
    List<Relation> r = s.where();
    assertEquals(new Relation.ColumnRelation("a", null, Operator.EQ, i("1")), r.get(0));
    assertEquals(Operator.LT, ((Relation.ColumnRelation) r.get(1)).op());
    assertEquals(Operator.LTE, ((Relation.ColumnRelation) r.get(2)).op());
    assertEquals(Operator.GT, ((Relation.ColumnRelation) r.get(3)).op());
    assertEquals(Operator.GTE, ((Relation.ColumnRelation) r.get(4)).op());
    assertEquals(Operator.NEQ, ((Relation.ColumnRelation) r.get(5)).op());
    assertEquals(new Relation.ColumnRelation("g", null, Operator.IN,
        new Term.InValues(List.of(i("7"), i("8")))), r.get(6));
    assertEquals(new Relation.ColumnRelation("h", null, Operator.IN, new BindMarker(0, null)),
        r.get(7));
    assertEquals(Operator.CONTAINS, ((Relation.ColumnRelation) r.get(8)).op());
    assertEquals(Operator.CONTAINS_KEY, ((Relation.ColumnRelation) r.get(9)).op());
    assertEquals(Operator.LIKE, ((Relation.ColumnRelation) r.get(10)).op());
    assertEquals(new Relation.ColumnRelation("m", s("x"), Operator.EQ, i("10")), r.get(11));
    assertEquals(new Relation.IsNotNull("n"), r.get(12));
    assertEquals(new Term.InValues(List.of()), ((Relation.ColumnRelation) r.get(13)).value());
  }

  @Test
  void tokenRelation() {
    Select s = parse("SELECT * FROM t WHERE token(a, b) > token(1, 2) AND token(a, b) <= ?",
        Select.class);
    assertEquals(new Relation.TokenRelation(List.of("a", "b"), Operator.GT,
        new Term.FunctionCall(QualifiedName.of("token"), List.of(i("1"), i("2")))),
        s.where().get(0));
    assertEquals(new Relation.TokenRelation(List.of("a", "b"), Operator.LTE,
        new BindMarker(0, null)), s.where().get(1));
  }

  @Test
  void multiColumnRelations() {
    Select s = parse("SELECT * FROM t WHERE k = 0 AND (c1, c2) > (1, 'a') AND (c1, c2) <= ? "
        + "AND (c1, c2) IN ((1, 'a'), (2, 'b')) AND (c1) IN ? AND (c1, c2) IN (?, ?)",
        Select.class);
    assertEquals(new Relation.MultiColumnRelation(List.of("c1", "c2"), Operator.GT,
        new Term.TupleLiteral(List.of(i("1"), s("a")))), s.where().get(1));
    assertEquals(new BindMarker(0, null),
        ((Relation.MultiColumnRelation) s.where().get(2)).value());
    assertEquals(new Term.InValues(List.of(new Term.TupleLiteral(List.of(i("1"), s("a"))),
        new Term.TupleLiteral(List.of(i("2"), s("b"))))),
        ((Relation.MultiColumnRelation) s.where().get(3)).value());
    assertEquals(new BindMarker(1, null),
        ((Relation.MultiColumnRelation) s.where().get(4)).value());
    assertEquals(new Term.InValues(List.of(new BindMarker(2, null), new BindMarker(3, null))),
        ((Relation.MultiColumnRelation) s.where().get(5)).value());
  }

  // ------------------------------------------------------------------ terms

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "42|INTEGER|42",
      "-42|INTEGER|-42",
      "- 42|INTEGER|-42",
      "1.5|FLOAT|1.5",
      "-1.5e3|FLOAT|-1.5e3",
      "NaN|FLOAT|NaN",
      "nan|FLOAT|NaN",
      "Infinity|FLOAT|Infinity",
      "-Infinity|FLOAT|-Infinity",
      "0xdeadBEEF|HEX|0xdeadBEEF",
      "550e8400-e29b-41d4-a716-446655440000|UUID|550e8400-e29b-41d4-a716-446655440000",
      "TRUE|BOOLEAN|true",
      "false|BOOLEAN|false",
      "1h30m|DURATION|1h30m",
      "-2d|DURATION|-2d",
      "P1Y2M|DURATION|P1Y2M",
      "P0001-02-03T04:05:06|DURATION|P0001-02-03T04:05:06",
      "'text'|STRING|text",
      "'it''s'|STRING|it's",
      "$$dollar 'quoted'$$|STRING|dollar 'quoted'",
  })
  void constants(String src, LiteralKind kind, String text) {
    assertEquals(c(kind, text), whereValue(src));
  }

  @Test
  void nullLiteral() {
    assertEquals(new Term.Null(), whereValue("null"));
  }

  @Test
  void collectionLiterals() {
    assertEquals(new Term.ListLiteral(List.of(i("1"), i("2"))), whereValue("[1, 2]"));
    assertEquals(new Term.ListLiteral(List.of()), whereValue("[]"));
    assertEquals(new Term.SetLiteral(List.of(s("a"), s("b"))), whereValue("{'a', 'b'}"));
    assertEquals(new Term.MapLiteral(List.of(new Term.Entry(s("a"), i("1")),
        new Term.Entry(s("b"), i("2")))), whereValue("{'a': 1, 'b': 2}"));
    assertEquals(new Term.MapLiteral(List.of()), whereValue("{}"));
    assertEquals(new Term.TupleLiteral(List.of(i("1"), s("x"), new Term.Null())),
        whereValue("(1, 'x', null)"));
    assertEquals(new Term.UdtLiteral(List.of(new Term.Field("street", s("x")),
        new Term.Field("Zip", i("1")))), whereValue("{street: 'x', \"Zip\": 1}"));
    assertEquals(new Term.MapLiteral(List.of(new Term.Entry(
        new Term.FunctionCall(QualifiedName.of("now"), List.of()), i("1")))),
        whereValue("{now(): 1}"));
  }

  @Test
  void functionCallsAndCasts() {
    assertEquals(new Term.FunctionCall(QualifiedName.of("totimestamp"), List.of(
        new Term.FunctionCall(QualifiedName.of("now"), List.of()))),
        whereValue("toTimestamp(now())"));
    assertEquals(new Term.FunctionCall(new QualifiedName("ks", "MyFn"), List.of(i("1"))),
        whereValue("ks.\"MyFn\"(1)"));
    assertEquals(new Term.TypeCast(new TypeExpr.Native("bigint"), new BindMarker(0, null)),
        whereValue("(bigint) ?"));
    assertEquals(new Term.TypeCast(new TypeExpr.Collection(TypeExpr.CollectionKind.LIST,
        List.of(new TypeExpr.Native("int"))), new Term.ListLiteral(List.of())),
        whereValue("(list<int>) []"));
    assertEquals(new Term.TypeCast(new TypeExpr.UserType(QualifiedName.of("addr")),
        new Term.UdtLiteral(List.of(new Term.Field("a", i("1"))))), whereValue("(addr) {a: 1}"));
  }

  @Test
  void arithmeticPrecedence() {
    assertEquals(new Term.Arithmetic(ArithmeticOp.SUB,
        new Term.Arithmetic(ArithmeticOp.ADD, i("1"),
            new Term.Arithmetic(ArithmeticOp.MUL, i("2"), i("3"))),
        new Term.Arithmetic(ArithmeticOp.MOD, i("4"), i("5"))), whereValue("1 + 2 * 3 - 4 % 5"));
    assertEquals(new Term.Arithmetic(ArithmeticOp.DIV,
        new Term.Arithmetic(ArithmeticOp.ADD, i("1"), i("2")), i("3")), whereValue("(1 + 2) / 3"));
    assertEquals(new Term.Negate(new BindMarker(0, null)), whereValue("-?"));
    assertEquals(new Term.Arithmetic(ArithmeticOp.SUB, i("1"), i("2")), whereValue("1 -2"));
  }

  // ------------------------------------------------------------------ quoting and case

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "SELECT a FROM T|t|a",
      "SELECT A FROM MyTable|mytable|a",
      "SELECT \"A\" FROM \"MyTable\"|MyTable|A",
      "SELECT \"select\" FROM \"from\"|from|select",
      "SELECT \"a\"\"b\" FROM t|t|a\"b",
      "select a from t|t|a",
      "SeLeCt \"Key\" FrOm t|t|Key",
  })
  void identifierCase(String cql, String table, String column) {
    Select s = parse(cql, Select.class);
    assertEquals(table, s.table().name());
    assertEquals(new Selector.Column(column), s.selection().get(0).selector());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "-- leading comment\nSELECT * FROM t",
      "SELECT * FROM t -- trailing",
      "SELECT * // c++ style\nFROM t",
      "SELECT /* inline */ * FROM /* x */ t /* end */;",
      "/* multi\n line */ SELECT * FROM t ; ",
      "\n\n   SELECT\t*\r\nFROM t",
  })
  void commentsAndWhitespace(String cql) {
    assertEquals(parse("SELECT * FROM t", Select.class), parse(cql, Select.class));
  }

  @Test
  void parseAllSplitsStatements() {
    List<Statement> all = CqlParser.parseAll("USE ks; SELECT * FROM t WHERE k = ?;; "
        + "INSERT INTO t (k) VALUES (?)");
    assertEquals(3, all.size());
    assertEquals(0, all.get(2).bindMarkers().get(0).index());
  }
}
