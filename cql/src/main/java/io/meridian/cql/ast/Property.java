package io.meridian.cql.ast;

import io.meridian.types.LiteralKind;
import java.util.LinkedHashMap;
import java.util.Map;

/** A {@code name = value} option of a WITH clause; names are lower-cased like identifiers. */
public record Property(String name, Value value) {

  /** An option value: a constant, a bare identifier, or a map of constants. */
  public sealed interface Value {}

  public record Literal(Term.Constant constant) implements Value {}

  public record Identifier(String name) implements Value {}

  /** Map entries in source order; keys and values kept as their text. */
  public record MapValue(Map<String, String> entries) implements Value {
    public MapValue {
      entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }
  }

  /** The value as text (constants and identifiers); a map option throws an invalid-request error. */
  public String asText() {
    if (value instanceof Literal l) {
      return l.constant().text();
    }
    if (value instanceof Identifier i) {
      return i.name();
    }
    throw io.meridian.common.MeridianException.invalid(
        "option '" + name + "' expects a simple value, found a map");
  }

  public boolean isBooleanLiteral() {
    return value instanceof Literal l && l.constant().kind() == LiteralKind.BOOLEAN;
  }
}
