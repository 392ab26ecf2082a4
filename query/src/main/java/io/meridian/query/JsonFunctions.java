package io.meridian.query;

import io.meridian.common.FunctionFailureException;
import io.meridian.common.MeridianException;
import io.meridian.cql.ast.BindMarker;
import io.meridian.cql.ast.Term;
import io.meridian.types.CqlType;
import io.meridian.types.CqlTypes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The native functions toJson(x), usable only in a selection, and fromJson(text), usable only
 * where the receiving type is known (INSERT values, UPDATE SET, WHERE), as in Cassandra.
 */
final class JsonFunctions {
  /** How a bind marker given as fromJson's argument is described in PREPARED metadata. */
  static final String FROM_JSON_ARGUMENT = "arg0(system.fromjson)";

  private JsonFunctions() {}

  /** True for toJson or fromJson (in the system keyspace, or unqualified). */
  static boolean isJsonFunction(Term.FunctionCall f) {
    return isNamed(f, "tojson") || isNamed(f, "fromjson");
  }

  static boolean isFromJson(Term.FunctionCall f) {
    return isNamed(f, "fromjson");
  }

  private static boolean isNamed(Term.FunctionCall f, String name) {
    return f.name().name().toLowerCase(Locale.ROOT).equals(name)
        && (!f.name().hasKeyspace() || f.name().keyspace().equalsIgnoreCase("system"));
  }

  /**
   * The bind marker given as fromJson's argument, or null; fails as Cassandra does when prepared
   * for toJson used as a term, even nested in fromJson.
   */
  static BindMarker fromJsonMarker(Term.FunctionCall f) {
    if (!isFromJson(f)) {
      throw toJsonOutsideSelection();
    }
    if (f.arguments().size() == 1 && f.arguments().get(0) instanceof Term.FunctionCall inner && isJsonFunction(inner)) {
      return fromJsonMarker(inner);
    }
    return f.arguments().size() == 1 && f.arguments().get(0) instanceof BindMarker m ? m : null;
  }

  private static MeridianException toJsonOutsideSelection() {
    return MeridianException.invalid("toJson() may only be used within the selection clause");
  }

  /** toJson(x) in a selection: the JSON text of x; the text "null" (not a null) when x is null. */
  static FunctionExpr toJson(String name, List<FunctionExpr> args) {
    if (args.size() != 1) {
      throw MeridianException.invalid("Invalid number of arguments in call to function system.tojson: 1 required but "
          + args.size() + " provided");
    }
    FunctionExpr arg = args.get(0);
    return FunctionSelectors.expr(CqlTypes.TEXT, name, (row, terms) ->
        ByteBuffer.wrap(JsonCodec.toJson(arg.type(), arg.eval(row, terms)).getBytes(StandardCharsets.UTF_8)));
  }

  static MeridianException fromJsonInSelection() {
    return MeridianException.invalid("fromJson() cannot be used in the selection clause of a SELECT statement");
  }

  /** Evaluates toJson/fromJson used as a term: only fromJson is allowed there. */
  static ByteBuffer evaluate(Terms terms, Term.FunctionCall f, CqlType type, String receiver) {
    if (!isFromJson(f)) {
      throw toJsonOutsideSelection();
    }
    if (f.arguments().size() != 1) {
      throw MeridianException.invalid("Invalid number of arguments in call to function system.fromjson: 1 required but "
          + f.arguments().size() + " provided");
    }
    ByteBuffer text = terms.evaluate(f.arguments().get(0), CqlTypes.TEXT, FROM_JSON_ARGUMENT);
    if (BoundValues.isUnset(text)) {
      throw MeridianException.invalid("Invalid unset value for argument in call to function fromjson");
    }
    if (text == null) {
      return null;
    }
    String json = StandardCharsets.UTF_8.decode(text.duplicate()).toString();
    Object parsed;
    try {
      parsed = JsonParser.parse(json);
    } catch (JsonParser.JsonSyntaxException e) {
      throw failure("Could not decode JSON string '" + json + "': " + e.getMessage());
    }
    if (parsed == null) {
      return null;
    }
    try {
      return JsonCodec.fromJson(type, parsed);
    } catch (JsonCodec.JsonValueException e) {
      throw failure(e.getMessage());
    }
  }

  private static FunctionFailureException failure(String detail) {
    return FunctionFailureException.ofFunction("system", "fromjson", List.of("text"), detail);
  }
}
