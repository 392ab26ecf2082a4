package io.meridian.cql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Errors must name the position, what was found and what was expected. */
class SyntaxErrorTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "SELECT * FORM t|line 1:9|FORM|FROM",
      "SELECT * FROM|line 1:13|<EOF>|identifier",
      "SELEC * FROM t|line 1:0|SELEC|statement",
      "SELECT * FROM t WHERE|line 1:21|<EOF>|column",
      "SELECT * FROM t WHERE k == 1|line 1:25|=|term",
      "SELECT * FROM t WHERE k 1|line 1:24|1|operator",
      "SELECT * FROM t LIMIT x|line 1:22|x|integer",
      "SELECT * FROM t ALLOW|line 1:21|<EOF>|FILTERING",
      "SELECT * FROM t extra|line 1:16|extra|<EOF>",
      "SELECT * FROM select|line 1:14|select|identifier",
      "SELECT * FROM t WHERE k = bare|line 1:26|bare|term",
      "INSERT INTO t (a) VALUE (1)|line 1:18|VALUE|VALUES",
      "INSERT t (a) VALUES (1)|line 1:7|t|INTO",
      "INSERT INTO t (a) VALUES (1) IF EXISTS|line 1:32|EXISTS|NOT",
      "INSERT INTO t (a) VALUES (1) USING TTL 1 TIMESTAMP 2|line 1:41|TIMESTAMP|<EOF>",
      "UPDATE t SET v = 1|line 1:18|<EOF>|WHERE",
      "UPDATE t SET v 1 WHERE k = 1|line 1:15|1|'='",
      "UPDATE t SET c = c * 2 WHERE k = 1|line 1:19|*|'+' or '-'",
      "DELETE FROM t USING TTL 1 WHERE k = 1|line 1:20|TTL|TIMESTAMP",
      "DELETE FROM t|line 1:13|<EOF>|WHERE",
      "BEGIN BATCH SELECT * FROM t APPLY BATCH|line 1:12|SELECT|INSERT, UPDATE, DELETE",
      "BEGIN BATCH INSERT INTO t (k) VALUES (1)|line 1:40|<EOF>|APPLY",
      "CREATE TABLE t (k int PRIMARY KEY|line 1:33|<EOF>|')'",
      "CREATE TABLE t (k int PRIMARY KEY, v map<int>)|line 1:44|>|','",
      "CREATE TABLE t (k int PRIMARY KEY, v list<int)|line 1:45|)|'>'",
      "CREATE TABLE t (k PRIMARY KEY)|line 1:18|PRIMARY|type",
      "CREATE TABLE t (k int PRIMARY KEY) WITH CLUSTERING ORDER (k ASC)|line 1:57|(|BY",
      "CREATE TABLEX t (k int)|line 1:7|TABLEX|KEYSPACE",
      "CREATE KEYSPACE ks|line 1:18|<EOF>|WITH",
      "CREATE KEYSPACE ks WITH replication = {'a' 'b'}|line 1:43|'b'|':'",
      "CREATE KEYSPACE ks WITH replication = {'a': x}|line 1:44|x|constant",
      "DROP KEYSPACE IF ks|line 1:17|ks|EXISTS",
      "DROP SOMETHING x|line 1:5|SOMETHING|KEYSPACE",
      "ALTER TABLE t MODIFY x int|line 1:14|MODIFY|ADD, DROP, RENAME or WITH",
      "ALTER TABLE t WITH COMPACT STORAGE|line 1:19|COMPACT|only allowed",
      "CREATE INDEX ON t (foo(m))|line 1:19|foo|KEYS",
      "CREATE CUSTOM TABLE t (k int)|line 1:14|TABLE|INDEX",
      "CREATE FUNCTION f() RETURNS int|line 1:0|FUNCTION|not supported",
      "GRANT SELECT ON ks TO r|line 1:0|GRANT|not supported",
      "SELECT * FROM t WHERE k IN 1|line 1:27|1|'('",
      "SELECT * FROM t WHERE (a, b) =|line 1:30|<EOF>|term",
      "SELECT * FROM t WHERE token(k) CONTAINS|line 1:39|<EOF>|term",
      "SELECT * FROM t WHERE k IS NULL|line 1:27|NULL|NOT",
      "SELECT * FROM t WHERE k = {1: 2, 3}|line 1:34|}|':'",
      "SELECT * FROM t WHERE k = [1, 2|line 1:31|<EOF>|']'",
      "SELECT CAST(a text) FROM t|line 1:14|text|AS",
      "SELECT a AS FROM t|line 1:12|FROM|identifier",
      "USE|line 1:3|<EOF>|identifier",
      "TRUNCATE|line 1:8|<EOF>|identifier",
      "SELECT * FROM t ORDER c|line 1:22|c|BY",
      "SELECT * FROM t PER LIMIT 1|line 1:20|LIMIT|PARTITION",
      "CREATE ROLE r WITH colour = 'red'|line 1:19|colour|unknown role option",
      "CREATE TABLE t (k vector<float, x>)|line 1:32|x|INTEGER",
      "(|line 1:0|(|statement",
  })
  void syntaxErrors(String cql, String position, String found, String expecting) {
    MeridianException e = assertThrows(MeridianException.class, () -> CqlParser.parse(cql));
    assertEquals(CqlErrorCode.SYNTAX_ERROR, e.code(), e.getMessage());
    String m = e.getMessage();
    assertTrue(m.startsWith(position + " "), () -> m + " should start with " + position);
    assertTrue(m.contains(found), () -> m + " should mention " + found);
    assertTrue(m.contains(expecting), () -> m + " should mention " + expecting);
  }

  @Test
  void multiLinePosition() {
    MeridianException e = assertThrows(MeridianException.class,
        () -> CqlParser.parse("SELECT\n* FROM t\nWHERE k = = 1"));
    assertTrue(e.getMessage().startsWith("line 3:10 "), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "INSERT INTO t (a, b) VALUES (1)|Unmatched",
      "CREATE TABLE t (a int PRIMARY KEY, b int PRIMARY KEY)|Multiple PRIMARY KEY",
      "CREATE TABLE t (a int PRIMARY KEY, PRIMARY KEY (a))|Multiple PRIMARY KEY",
      "UPDATE t SET a = b + 1 WHERE k = 1|X = X + <value>",
      "UPDATE t SET a = [1] + b WHERE k = 1|X = <value> + X",
  })
  void invalidRequests(String cql, String words) {
    MeridianException e = assertThrows(MeridianException.class, () -> CqlParser.parse(cql));
    assertEquals(CqlErrorCode.INVALID, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains(words), e.getMessage());
  }
}
