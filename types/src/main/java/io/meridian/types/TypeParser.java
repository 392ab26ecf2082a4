package io.meridian.types;

import io.meridian.common.MeridianException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a CQL type name as stored in system_schema ("frozen<map<text, frozen<list<int>>>>"):
 * keywords case-insensitive, spaces optional, user type names bare (folded to lower case) or
 * "double quoted" (exact). Inside frozen&lt;&gt; and tuple&lt;&gt; nested types are frozen
 * implicitly; a non-frozen collection inside a non-frozen one is refused, as in Cassandra.
 */
final class TypeParser {
  /** Longest type name read; longer input is refused before any work. */
  static final int NAME_CHARS_MAX = 16 * 1024;

  private final String text;
  private final Map<String, CqlType> natives;
  private final Function<String, UserType> udtResolver;
  private int pos;

  private TypeParser(String text, Map<String, CqlType> natives, Function<String, UserType> udtResolver) {
    this.text = text;
    this.natives = natives;
    this.udtResolver = udtResolver;
  }

  static CqlType parse(String text, Map<String, CqlType> natives, Function<String, UserType> udtResolver) {
    if (text == null) {
      throw MeridianException.invalid("Unknown type null; expected a CQL type name");
    }
    if (text.length() > NAME_CHARS_MAX) {
      throw MeridianException.invalid(
          "Type name of " + text.length() + " characters is longer than the limit of " + NAME_CHARS_MAX);
    }
    TypeParser p = new TypeParser(text, natives, udtResolver);
    CqlType type = p.type(false, 0);
    p.skipSpaces();
    if (p.pos != text.length()) {
      throw p.error("end of type name");
    }
    return type;
  }

  private CqlType type(boolean frozen, int depth) {
    // frozen<> adds a level of syntax but not of nesting, hence twice the nesting ceiling.
    if (depth > 2 * CqlTypes.NESTING_DEPTH_MAX) {
      throw MeridianException.invalid(
          "Type name nests deeper than the limit of " + CqlTypes.NESTING_DEPTH_MAX + " levels: " + ScalarType.abbreviate(text));
    }
    skipSpaces();
    if (peek() == '"') {
      return userType(quoted(), frozen);
    }
    String word = identifier();
    String keyword = word.toLowerCase(Locale.ROOT);
    switch (keyword) {
      case "frozen": {
        expect('<');
        CqlType inner = type(true, depth + 1);
        expect('>');
        if (!inner.isMultiCell() && !(inner instanceof CollectionType) && !(inner instanceof FieldsType)) {
          throw MeridianException.invalid(
              "frozen<> is only allowed on collections, tuples, and user-defined types, got frozen<" + inner.cqlName() + ">");
        }
        return inner.freeze();
      }
      case "list": {
        expect('<');
        CqlType element = type(frozen, depth + 1);
        expect('>');
        return new ListType(element, frozen);
      }
      case "set": {
        expect('<');
        CqlType element = type(frozen, depth + 1);
        expect('>');
        return new SetType(element, frozen);
      }
      case "map": {
        expect('<');
        CqlType key = type(frozen, depth + 1);
        expect(',');
        CqlType value = type(frozen, depth + 1);
        expect('>');
        return new MapType(key, value, frozen);
      }
      case "tuple": {
        expect('<');
        List<CqlType> fields = new ArrayList<>();
        do {
          if (fields.size() == FieldsType.FIELDS_MAX) {
            throw MeridianException.invalid("Tuple type has more than " + FieldsType.FIELDS_MAX + " fields");
          }
          fields.add(type(true, depth + 1));
        } while (accept(','));
        expect('>');
        return new TupleType(fields);
      }
      case "vector": {
        expect('<');
        CqlType element = type(true, depth + 1);
        expect(',');
        int dimension = number();
        expect('>');
        return new VectorType(element, dimension);
      }
      default:
        break;
    }
    CqlType scalar = natives.get(keyword);
    if (scalar != null) {
      return scalar;
    }
    // Unquoted identifiers are case-insensitive: CQL folds them to lower case.
    return userType(keyword, frozen);
  }

  private CqlType userType(String name, boolean frozen) {
    UserType type = udtResolver.apply(name);
    if (type == null) {
      throw MeridianException.invalid("Unknown type " + Identifiers.maybeQuote(name));
    }
    return type.withFrozen(frozen);
  }

  private void skipSpaces() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private String identifier() {
    int start = pos;
    while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
      pos++;
    }
    if (start == pos) {
      throw error("a type name");
    }
    return text.substring(start, pos);
  }

  private String quoted() {
    StringBuilder sb = new StringBuilder();
    pos++; // opening quote
    while (true) {
      if (pos >= text.length()) {
        throw error("a closing \"");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        if (peek() != '"') {
          break;
        }
        pos++; // "" is an escaped quote
      }
      sb.append(c);
    }
    if (sb.length() == 0) {
      throw error("a non-empty quoted name");
    }
    return sb.toString();
  }

  private int number() {
    skipSpaces();
    int start = pos;
    while (pos < text.length() && pos - start < 10 && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
    }
    if (start == pos) {
      throw error("a number");
    }
    long n = Long.parseLong(text.substring(start, pos));
    return n > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) n;
  }

  private boolean accept(char c) {
    skipSpaces();
    if (peek() == c && pos < text.length()) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!accept(c)) {
      throw error("'" + c + "'");
    }
  }

  private MeridianException error(String expected) {
    String seen = pos >= text.length() ? "end of input" : "'" + text.charAt(pos) + "'";
    return MeridianException.invalid(
        "Invalid type name '" + ScalarType.abbreviate(text) + "': expected " + expected + " at offset " + pos + ", got " + seen);
  }
}
