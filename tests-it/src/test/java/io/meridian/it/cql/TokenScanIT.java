package io.meridian.it.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import com.datastax.oss.driver.api.core.type.codec.TypeCodecs;
import com.datastax.oss.driver.internal.core.metadata.token.Murmur3Token;
import com.datastax.oss.driver.internal.core.metadata.token.Murmur3TokenFactory;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * token() ranges the way Spark and migration tools scan a table: the ring split into N ranges
 * (start, end], the first starting at the minimum token, the last ending at the maximum; every row
 * must come back exactly once. token(k) must equal the token the driver computes for routing.
 */
class TokenScanIT extends CqlTestSupport {
  private static final int KEYS = 600;
  private static String single;
  private static String compound;

  @BeforeAll
  static void data() {
    single = newTable("CREATE TABLE %s (k int, c int, v int, PRIMARY KEY (k, c))");
    compound = single.replace(".t", ".comp");
    session.execute("CREATE TABLE " + compound + " (a text, b bigint, v int, PRIMARY KEY ((a, b)))");
    PreparedStatement ins = session.prepare("INSERT INTO " + single + " (k, c, v) VALUES (?, ?, ?)");
    PreparedStatement insComp = session.prepare("INSERT INTO " + compound + " (a, b, v) VALUES (?, ?, ?)");
    for (int k = 0; k < KEYS; k++) {
      session.execute(ins.bind(k, 0, k));
      if (k % 3 == 0) {
        session.execute(ins.bind(k, 1, k));
      }
      session.execute(insComp.bind("key" + (k % 37), (long) k, k));
    }
  }

  /** Split points of the ring into n ranges, as Spark's splitter does: MIN, ..., MAX. */
  private static List<Long> splits(int n) {
    List<Long> points = new ArrayList<>();
    BigInteger min = BigInteger.valueOf(Long.MIN_VALUE);
    BigInteger width = BigInteger.valueOf(Long.MAX_VALUE).subtract(min);
    for (int i = 0; i <= n; i++) {
      points.add(min.add(width.multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(n))).longValue());
    }
    return points;
  }

  private static Map<String, Integer> scan(String table, String keyColumns, String select, int n, int pageSize) {
    PreparedStatement ps = session.prepare("SELECT " + select + " FROM " + table + " WHERE token(" + keyColumns + ") > ? AND token("
        + keyColumns + ") <= ?");
    Map<String, Integer> seen = new HashMap<>();
    List<Long> points = splits(n);
    for (int i = 0; i < n; i++) {
      for (Row r : session.execute(ps.bind(points.get(i), points.get(i + 1)).setPageSize(pageSize))) {
        long token = r.getLong("tk");
        assertTrue(token > points.get(i) && token <= points.get(i + 1), "row outside its range");
        seen.merge(r.getFormattedContents(), 1, Integer::sum);
      }
    }
    return seen;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 7, 16, 64})
  void splitScanReturnsEveryRowExactlyOnce(int ranges) {
    Map<String, Integer> seen = scan(single, "k", "k, c, token(k) AS tk", ranges, 50);
    assertEquals(KEYS + KEYS / 3, seen.size());
    assertTrue(seen.values().stream().allMatch(c -> c == 1), "some row came back twice");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5, 32})
  void splitScanOverCompositePartitionKey(int ranges) {
    Map<String, Integer> seen = scan(compound, "a, b", "a, b, token(a, b) AS tk", ranges, 100);
    assertEquals(KEYS, seen.size());
    assertTrue(seen.values().stream().allMatch(c -> c == 1), "some row came back twice");
  }

  @Test
  void inclusiveBoundsAtTheRingEnds() {
    // token(k) >= MIN covers the whole ring, as does token(k) <= MAX.
    assertEquals(KEYS + KEYS / 3, session.execute("SELECT k FROM " + single + " WHERE token(k) >= " + Long.MIN_VALUE).all().size());
    assertEquals(KEYS + KEYS / 3, session.execute("SELECT k FROM " + single + " WHERE token(k) <= " + Long.MAX_VALUE).all().size());
    assertEquals(KEYS + KEYS / 3, session.execute("SELECT k FROM " + single + " WHERE token(k) > " + Long.MIN_VALUE
        + " AND token(k) <= " + Long.MAX_VALUE).all().size());
  }

  @Test
  void tokenRangeWithDriverTokensMatchesPerKeyFiltering() {
    long mid = 0;
    Set<Integer> low = new HashSet<>();
    Set<Integer> high = new HashSet<>();
    for (Row r : session.execute("SELECT k, token(k) FROM " + single)) {
      (r.getLong(1) <= mid ? low : high).add(r.getInt(0));
    }
    Set<Integer> gotLow = new HashSet<>(ints("SELECT k FROM " + single + " WHERE token(k) <= 0"));
    Set<Integer> gotHigh = new HashSet<>(ints("SELECT k FROM " + single + " WHERE token(k) > 0"));
    assertEquals(low, gotLow);
    assertEquals(high, gotHigh);
    assertEquals(KEYS, low.size() + high.size());
  }

  @Test
  void emptyAndInvertedRangesReturnNothing() {
    assertEquals(0, session.execute("SELECT k FROM " + single + " WHERE token(k) > 100 AND token(k) <= 100").all().size());
    assertEquals(0, session.execute("SELECT k FROM " + single + " WHERE token(k) > 100 AND token(k) < 50").all().size());
  }

  @Test
  void selectedTokenEqualsDriverToken() {
    TokenMap tokenMap = session.getMetadata().getTokenMap().orElseThrow();
    Murmur3TokenFactory factory = new Murmur3TokenFactory();
    int checked = 0;
    for (Row r : session.execute("SELECT k, token(k) FROM " + single + " WHERE k IN (0, 1, 2, 3, 500, 599)")) {
      ByteBuffer key = TypeCodecs.INT.encode(r.getInt(0), ProtocolVersion.DEFAULT);
      Murmur3Token expected = (Murmur3Token) tokenMap.newToken(key);
      assertEquals(expected.getValue(), r.getLong(1));
      assertEquals(((Murmur3Token) factory.hash(key)).getValue(), r.getLong(1));
      checked++;
    }
    assertTrue(checked >= 6);
    Row r = session.execute("SELECT a, b, token(a, b) FROM " + compound + " WHERE a = 'key5' AND b = 5").one();
    Murmur3Token expected = (Murmur3Token) tokenMap.newToken(
        ByteBuffer.wrap("key5".getBytes(StandardCharsets.UTF_8)), TypeCodecs.BIGINT.encode(5L, ProtocolVersion.DEFAULT));
    assertEquals(expected.getValue(), r.getLong(2));
  }

  @Test
  void tokenOfTextAndBlobKeysMatchesDriver() {
    String t = newTable("CREATE TABLE %s (k text PRIMARY KEY, v int)");
    String b = t.replace(".t", ".b");
    session.execute("CREATE TABLE " + b + " (k blob PRIMARY KEY, v int)");
    TokenMap tokenMap = session.getMetadata().getTokenMap().orElseThrow();
    for (String key : List.of("a", "héllo", "日本語", "x".repeat(300))) {
      session.execute("INSERT INTO " + t + " (k, v) VALUES (?, 1)", key);
      ByteBuffer bytes = ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8));
      session.execute("INSERT INTO " + b + " (k, v) VALUES (?, 1)", bytes);
      long expected = ((Murmur3Token) tokenMap.newToken(bytes)).getValue();
      assertEquals(expected, session.execute("SELECT token(k) FROM " + t + " WHERE k = ?", key).one().getLong(0));
      assertEquals(expected, session.execute("SELECT token(k) FROM " + b + " WHERE k = ?", bytes).one().getLong(0));
    }
  }

  @Test
  void tokenEqualitySelectsThatPartition() {
    long token = session.execute("SELECT token(k) FROM " + single + " WHERE k = 42").one().getLong(0);
    List<Row> rows = session.execute("SELECT k, c FROM " + single + " WHERE token(k) = ?", token).all();
    assertEquals(List.of("42:0", "42:1"), column(session.execute("SELECT k, c FROM " + single + " WHERE token(k) = ?", token),
        x -> x.getInt(0) + ":" + x.getInt(1)));
    assertEquals(2, rows.size());
  }

  @Test
  void tokenRangeResultsComeInTokenOrder() {
    List<Long> tokens = column(session.execute(SimpleStatement.newInstance("SELECT token(k) FROM " + single
        + " WHERE token(k) > ? AND token(k) <= ?", Long.MIN_VALUE, Long.MAX_VALUE).setPageSize(77)), x -> x.getLong(0));
    List<Long> sorted = new ArrayList<>(tokens);
    sorted.sort(Long::compare);
    assertEquals(sorted, tokens);
  }

  @Test
  void tokenOnWrongColumnsIsRejected() {
    assertError(com.datastax.oss.driver.api.core.servererrors.InvalidQueryException.class,
        "SELECT * FROM " + compound + " WHERE token(a) > 0", "token");
    assertError(com.datastax.oss.driver.api.core.servererrors.InvalidQueryException.class,
        "SELECT * FROM " + compound + " WHERE token(b, a) > 0", "token");
  }
}
