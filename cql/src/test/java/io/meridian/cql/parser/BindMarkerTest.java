package io.meridian.cql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;
import io.meridian.cql.ast.Batch;
import io.meridian.cql.ast.BindMarker;
import io.meridian.cql.ast.Statement;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The query layer builds prepared metadata from these lists, so order and indexes matter. */
class BindMarkerTest {

  /** Names in order; "?" stands for a positional marker. */
  private static List<String> names(String cql) {
    Statement s = CqlParser.parse(cql);
    List<BindMarker> markers = s.bindMarkers();
    for (int i = 0; i < markers.size(); i++) {
      assertEquals(i, markers.get(i).index(), "index of marker " + i);
    }
    return markers.stream().map(m -> m.isNamed() ? m.name() : "?").toList();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "SELECT * FROM t|",
      "SELECT * FROM t WHERE k = ?|?",
      "SELECT * FROM t WHERE k = :k AND c > :c LIMIT :lim|k,c,lim",
      "SELECT ?, a FROM t WHERE k IN ? PER PARTITION LIMIT ? LIMIT ?|?,?,?,?",
      "SELECT * FROM t WHERE (a, b) IN ((?, ?), (:x, ?))|?,?,x,?",
      "SELECT * FROM t WHERE token(k) > token(?) AND m[?] = ?|?,?,?",
      "INSERT INTO t (a, b, c) VALUES (?, :B, ?) USING TTL ? AND TIMESTAMP :ts|?,b,?,?,ts",
      "INSERT INTO t (a, b) VALUES (:\"Quoted\", [?, ?])|Quoted,?,?",
      "UPDATE t USING TTL ? SET v = ?, m[?] = ? WHERE k = ? IF c = ?|?,?,?,?,?,?",
      "DELETE m[?] FROM t USING TIMESTAMP ? WHERE k = ? IF EXISTS|?,?,?",
      "INSERT INTO t JSON ?|?",
      "UPDATE t SET c = c + ? WHERE k = :k|?,k",
      "SELECT * FROM t WHERE k = :k AND k2 = :k|k,k",
  })
  void markersInAppearanceOrder(String cql, String expected) {
    List<String> want = expected == null ? List.of() : Arrays.asList(expected.split(","));
    assertEquals(want, names(cql));
  }

  @Test
  void batchNumbersAcrossStatements() {
    Batch b = (Batch) CqlParser.parse("BEGIN BATCH USING TIMESTAMP ? "
        + "INSERT INTO t (k, v) VALUES (?, ?); UPDATE t SET v = :v WHERE k = ?; "
        + "DELETE FROM t WHERE k = ? APPLY BATCH");
    assertEquals(6, b.bindMarkers().size());
    assertEquals(List.of(new BindMarker(1, null), new BindMarker(2, null)),
        b.statements().get(0).bindMarkers());
    assertEquals(List.of(new BindMarker(3, "v"), new BindMarker(4, null)),
        b.statements().get(1).bindMarkers());
    assertEquals(List.of(new BindMarker(5, null)), b.statements().get(2).bindMarkers());
    assertEquals(new BindMarker(0, null), b.attributes().timestamp());
  }

  @Test
  void ddlHasNoMarkers() {
    assertEquals(List.of(), CqlParser.parse("CREATE TABLE t (k int PRIMARY KEY)").bindMarkers());
    assertEquals(List.of(), CqlParser.parse("USE ks").bindMarkers());
  }

  @Test
  void viewRejectsMarkers() {
    MeridianException e = assertThrows(MeridianException.class, () -> CqlParser.parse(
        "CREATE MATERIALIZED VIEW v AS SELECT * FROM t WHERE k = ? PRIMARY KEY (k)"));
    assertEquals(CqlErrorCode.INVALID, e.code());
  }

  @Test
  void failedTypeHintAttemptDoesNotLeakMarkers() {
    assertEquals(List.of("?", "?"), names("SELECT * FROM t WHERE k = (ks.f(?)) AND c = ?"));
  }
}
