package io.meridian.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.common.MeridianException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LikePatternTest {
  private static ByteBuffer utf8(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean like(String value, String pattern) {
    return LikePattern.parse(utf8(pattern)).matches(utf8(value));
  }

  @Test
  void formsAreRecognised() {
    assertEquals(LikePattern.Kind.PREFIX, LikePattern.parse(utf8("ab%")).kind());
    assertEquals(LikePattern.Kind.SUFFIX, LikePattern.parse(utf8("%ab")).kind());
    assertEquals(LikePattern.Kind.CONTAINS, LikePattern.parse(utf8("%ab%")).kind());
    assertEquals(LikePattern.Kind.EXACT, LikePattern.parse(utf8("ab")).kind());
    // An inner % is an ordinary character.
    assertEquals(LikePattern.Kind.EXACT, LikePattern.parse(utf8("a%b")).kind());
    assertEquals(LikePattern.Kind.CONTAINS, LikePattern.parse(utf8("%%%")).kind());
  }

  @Test
  void matching() {
    assertTrue(like("abc", "ab%"));
    assertTrue(like("ab", "ab%"));
    assertFalse(like("a", "ab%"));
    assertFalse(like("xab", "ab%"));
    assertTrue(like("xab", "%ab"));
    assertFalse(like("abx", "%ab"));
    assertTrue(like("xaby", "%ab%"));
    assertTrue(like("ab", "%ab%"));
    assertFalse(like("a b", "%ab%"));
    assertTrue(like("ab", "ab"));
    assertFalse(like("abc", "ab"));
    assertFalse(like("AB", "ab"), "case-sensitive");
    assertTrue(like("grüße", "%üß%"));
    assertTrue(like("a%b", "a%b"));
    assertFalse(like("axb", "a%b"));
    assertTrue(like("50%", "%%%"));
    assertFalse(like("", "%a%"));
  }

  @Test
  void emptyPatternsAreRefused() {
    for (String p : new String[] {"", "%", "%%"}) {
      MeridianException e = assertThrows(MeridianException.class, () -> LikePattern.parse(utf8(p)), p);
      assertEquals("LIKE value can't be empty.", e.getMessage());
    }
  }

  @Test
  void matchingRespectsTheBufferPosition() {
    ByteBuffer value = utf8("xxabc");
    value.position(2);
    assertTrue(LikePattern.parse(utf8("abc")).matches(value));
    assertEquals(2, value.position(), "matching does not consume the value");
  }
}
