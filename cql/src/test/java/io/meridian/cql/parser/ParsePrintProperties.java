package io.meridian.cql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meridian.cql.ast.Statement;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random term and identifier shapes survive parse → print → parse unchanged. */
class ParsePrintProperties {

  @Property(tries = 300)
  void insertRoundTrips(@ForAll("identifiers") String column, @ForAll("terms") String value) {
    String cql = "INSERT INTO ks.t (k, " + column + ") VALUES (?, " + value + ")";
    Statement first = CqlParser.parse(cql);
    Statement second = CqlParser.parse(first.toCql());
    assertEquals(first, second, first.toCql());
  }

  @Property(tries = 200)
  void whereRoundTrips(@ForAll("identifiers") String column, @ForAll("terms") String value,
      @ForAll("operators") String op) {
    String cql = "SELECT " + column + " FROM t WHERE " + column + " " + op + " " + value;
    Statement first = CqlParser.parse(cql);
    assertEquals(first, CqlParser.parse(first.toCql()), first.toCql());
  }

  @Provide
  Arbitrary<String> operators() {
    return Arbitraries.of("=", "<", "<=", ">", ">=", "!=", "CONTAINS", "CONTAINS KEY", "LIKE");
  }

  @Provide
  Arbitrary<String> identifiers() {
    Arbitrary<String> plain = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1)
        .ofMaxLength(6).map(s -> s.equals("p") ? "q" : s)
        .filter(s -> !io.meridian.cql.lexer.Keywords.isReserved(s) && !s.matches("p[0-9t].*"));
    Arbitrary<String> quoted = Arbitraries.strings().withChars("aZ_ \"9é").ofMinLength(1)
        .ofMaxLength(6).map(s -> "\"" + s.replace("\"", "\"\"") + "\"");
    Arbitrary<String> keywords = Arbitraries.of("key", "ttl", "type", "values", "json", "count");
    return Arbitraries.oneOf(plain, quoted, keywords);
  }

  @Provide
  Arbitrary<String> terms() {
    return term(3);
  }

  private Arbitrary<String> term(int depth) {
    Arbitrary<String> leaf = Arbitraries.oneOf(
        Arbitraries.integers().map(String::valueOf),
        Arbitraries.doubles().between(-1e6, 1e6).map(String::valueOf),
        Arbitraries.strings().withChars("ab'$ \"").ofMaxLength(5)
            .map(s -> "'" + s.replace("'", "''") + "'"),
        Arbitraries.of("true", "FALSE", "null", "NaN", "-Infinity", "0xBEEF", "1h2m", "P3D",
            "?", ":name", "now()", "(int) ?",
            "123e4567-e89b-12d3-a456-426614174000"));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<String> sub = Arbitraries.lazy(() -> term(depth - 1));
    return Arbitraries.oneOf(leaf, leaf,
        sub.list().ofMaxSize(3).map(l -> "[" + String.join(", ", l) + "]"),
        sub.list().ofMinSize(1).ofMaxSize(3).map(l -> "{" + String.join(", ", l) + "}"),
        sub.list().ofMinSize(2).ofMaxSize(3).map(l -> "(" + String.join(", ", l) + ")"),
        Combinators.combine(sub, sub).as((k, v) -> "{" + k + ": " + v + "}"),
        Combinators.combine(sub, Arbitraries.of("+", "-", "*", "/", "%"), sub)
            .as((a, op, b) -> a + " " + op + " " + b),
        sub.map(t -> "fn(" + t + ")"),
        sub.map(t -> "{f: " + t + "}"));
  }
}
