package io.meridian.cql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meridian.cql.ast.Statement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** parse → print → parse must give an equal AST, and printing must be stable. */
class RoundTripTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "USE \"MyKs\"",
      "CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {'class': 'NetworkTopologyStrategy', "
          + "'dc1': 3} AND durable_writes = false",
      "ALTER KEYSPACE IF EXISTS ks WITH replication = {'class': 'SimpleStrategy'}",
      "DROP KEYSPACE IF EXISTS ks",
      "CREATE TABLE IF NOT EXISTS ks.t (a int, b text, c timeuuid, s text static, "
          + "PRIMARY KEY ((a, b), c)) WITH CLUSTERING ORDER BY (c DESC) AND comment = 'it''s' "
          + "AND compaction = {'class': 'X', 'enabled': true} AND bloom_filter_fp_chance = 0.01",
      "CREATE TABLE t (k int PRIMARY KEY, v frozen<map<text, frozen<list<tuple<int, blob>>>>>)",
      "CREATE TABLE t (k int PRIMARY KEY, v vector<float, 128>, u 'org.Custom', w ks.udt)",
      "CREATE TABLE t (k int PRIMARY KEY, \"Key\" text, \"select\" int, key int, ttl int) "
          + "WITH COMPACT STORAGE",
      "CREATE TABLE t (k int, c int, PRIMARY KEY (k, c)) WITH CLUSTERING ORDER BY (c ASC) "
          + "AND COMPACT STORAGE AND caching = {'keys': 'ALL'} AND speculative_retry = '99p'",
      "ALTER TABLE t ADD v int",
      "ALTER TABLE IF EXISTS t ADD IF NOT EXISTS (a int, b set<text> static)",
      "ALTER TABLE t DROP (a, b) USING TIMESTAMP 1000",
      "ALTER TABLE t DROP IF EXISTS a",
      "ALTER TABLE t RENAME IF EXISTS a TO b AND \"C\" TO d",
      "ALTER TABLE t WITH gc_grace_seconds = 0 AND comment = ''",
      "DROP TABLE IF EXISTS ks.t",
      "TRUNCATE ks.t",
      "CREATE TYPE IF NOT EXISTS ks.addr (street text, \"Zip\" int, tags frozen<set<text>>)",
      "ALTER TYPE IF EXISTS addr ADD IF NOT EXISTS country text",
      "ALTER TYPE addr RENAME IF EXISTS a TO b AND c TO d",
      "DROP TYPE IF EXISTS ks.addr",
      "CREATE INDEX ON t (v)",
      "CREATE INDEX IF NOT EXISTS idx ON ks.t (keys(m))",
      "CREATE INDEX i2 ON t (entries(m))",
      "CREATE INDEX ON t (full(l))",
      "CREATE INDEX ON t (values(m))",
      "CREATE CUSTOM INDEX i ON t (v) USING 'sai' WITH OPTIONS = {'case_sensitive': false}",
      "CREATE INDEX ON t (v) USING 'sai'",
      "DROP INDEX IF EXISTS ks.idx",
      "CREATE MATERIALIZED VIEW ks.mv AS SELECT a, b FROM ks.t WHERE a IS NOT NULL "
          + "AND b IS NOT NULL PRIMARY KEY ((b), a) WITH CLUSTERING ORDER BY (a DESC)",
      "CREATE MATERIALIZED VIEW IF NOT EXISTS mv AS SELECT * FROM t WHERE k IS NOT NULL "
          + "AND c = 1 PRIMARY KEY (c, k)",
      "ALTER MATERIALIZED VIEW mv WITH comment = 'x'",
      "DROP MATERIALIZED VIEW IF EXISTS ks.mv",
      "CREATE ROLE IF NOT EXISTS alice WITH PASSWORD = 'p' AND LOGIN = true "
          + "AND OPTIONS = {'a': 'b'}",
      "CREATE ROLE bob",
      "CREATE USER IF NOT EXISTS carol WITH PASSWORD 'p' SUPERUSER",
      "ALTER USER carol WITH PASSWORD 'q'",
      "ALTER ROLE alice WITH SUPERUSER = false",
      "DROP ROLE IF EXISTS alice",
      "DROP USER carol",
      "INSERT INTO ks.t (k, v, l, s, m, u, tu) VALUES (1, 'x', [1, 2], {1, 2}, {'a': 1}, "
          + "{f: 1, \"G\": 'y'}, (1, 'a')) IF NOT EXISTS USING TTL 10 AND TIMESTAMP 20",
      "INSERT INTO t (k, b, h, f, d, n, x) VALUES (0x0A, true, -0x1f, -1.5e-3, 1h30m, NaN, "
          + "-Infinity)",
      "INSERT INTO t (k, u, d2, d3) VALUES (550e8400-e29b-41d4-a716-446655440000, P1Y2M, "
          + "P0001-02-03T04:05:06, null)",
      "INSERT INTO t (k, v) VALUES (:k, (int) ?) USING TIMESTAMP :ts",
      "INSERT INTO t JSON '{\"k\": 1}' DEFAULT UNSET IF NOT EXISTS USING TTL 3",
      "INSERT INTO t JSON :j",
      "INSERT INTO t (k, v) VALUES (toTimestamp(now()), ks.f(1, uuid()))",
      "INSERT INTO t (k, v) VALUES (1 + 2 * 3, (4 - 5) % 6 / -7)",
      "INSERT INTO t (k, v) VALUES (-?, -(1 + 2))",
      "INSERT INTO t (k, v) VALUES ((int) -1, (list<frozen<addr>>) [])",
      "UPDATE t USING TTL 5 AND TIMESTAMP 6 SET a = 1, b = b + [1], c = [0] + c, d = d - {2}, "
          + "m['k'] = 'v', u.f = 3, n = n + 1 WHERE k = 0 AND c IN (1, 2) IF EXISTS",
      "UPDATE t SET v = ? WHERE k = ? IF v = 1 AND m['a'] != 'b' AND u.f >= 2 AND w IN (1, 2) "
          + "AND x IN ?",
      "UPDATE t SET v = {} WHERE k = 1",
      "DELETE FROM t WHERE k = 1",
      "DELETE a, m['k'], l[0], u.f FROM ks.t USING TIMESTAMP 7 WHERE k = 1 IF a = 2",
      "BEGIN BATCH INSERT INTO t (k) VALUES (1); UPDATE t SET v = 1 WHERE k = 2; APPLY BATCH",
      "BEGIN UNLOGGED BATCH USING TIMESTAMP ? DELETE FROM t WHERE k = ? APPLY BATCH",
      "BEGIN COUNTER BATCH UPDATE t SET c = c + 1 WHERE k = 1; UPDATE t SET c = c - 2 "
          + "WHERE k = 2; APPLY BATCH",
      "SELECT * FROM t",
      "SELECT k FROM t WHERE home.city = 'Paris' AND work.zip >= ? AND \"Addr\".\"Zip\" IN (1, 2)",
      "ALTER TABLE t WITH indexing = {'exclude': 'notes, raw'}",
      "SELECT JSON DISTINCT k FROM t",
      "SELECT k AS \"K\", count(*) AS n, count(v), writetime(v), ttl(v), maxwritetime(v), "
          + "token(a, b), CAST(v AS text), m['k'], l[1..3], l[..2], l[1..], u.f.g, -a, "
          + "a + b * 2 - c % 3, 'lit', ?, (int) ?, now(), ks.f(v), [1, 2], {'a': 1} FROM t",
      "SELECT * FROM t WHERE a = 1 AND b < 2 AND c <= 3 AND d > 4 AND e >= 5 AND f != 6 "
          + "AND g IN (7, 8) AND h IN ? AND i CONTAINS 9 AND j CONTAINS KEY 'k' AND l LIKE 'a%' "
          + "AND m['x'] = 10 AND o IN ()",
      "SELECT * FROM t WHERE token(a, b) > token(1, 2) AND token(a, b) <= ?",
      "SELECT * FROM t WHERE (c1, c2) > (1, 'a') AND (c1, c2) IN ((1, 'a'), (2, 'b')) "
          + "AND (c1) IN ? AND (c1, c2) <= ?",
      "SELECT a FROM t WHERE k = 1 GROUP BY a, floor(ts, 1h) ORDER BY c DESC, d ASC "
          + "PER PARTITION LIMIT ? LIMIT 10 ALLOW FILTERING",
      "SELECT * FROM t ORDER BY v ANN OF [0.1, -0.2] LIMIT 5",
      "SELECT json, distinct, key, value, type FROM t",
      "SELECT \"p1d\", \"1h\" FROM t",
  })
  void parsePrintParse(String cql) {
    Statement first = CqlParser.parse(cql);
    String printed = first.toCql();
    Statement second = CqlParser.parse(printed);
    assertEquals(first, second, () -> "printed as: " + printed);
    assertEquals(printed, second.toCql());
  }
}
