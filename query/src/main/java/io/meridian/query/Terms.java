package io.meridian.query;

import io.meridian.common.Clock;
import io.meridian.common.MeridianException;
import io.meridian.cql.ast.BindMarker;
import io.meridian.cql.ast.Term;
import io.meridian.types.CqlType;
import io.meridian.types.CqlTypes;
import io.meridian.types.ListType;
import io.meridian.types.MapType;
import io.meridian.types.SetType;
import io.meridian.types.TupleType;
import io.meridian.types.UserType;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Evaluates a term for a receiver of a known type: literals through the type's literal rules,
 * bind markers from the bound values (null and unset pass through), and the few non-deterministic
 * functions that may appear as terms.
 */
final class Terms {
  private final BoundValues values;
  private final Clock clock;

  Terms(BoundValues values, Clock clock) {
    this.values = values;
    this.clock = clock;
  }

  /** The values bound to the statement's markers. */
  BoundValues values() {
    return values;
  }

  /** The same evaluation context over other bound values (INSERT JSON binds its decoded values). */
  Terms withValues(BoundValues other) {
    return new Terms(other, clock);
  }

  /** The serialized value, null for NULL, or {@link BoundValues#UNSET}. */
  ByteBuffer evaluate(Term term, CqlType type, String receiver) {
    if (term instanceof Term.Constant c) {
      return type.fromLiteral(c.kind(), c.text());
    }
    if (term instanceof Term.Null) {
      return null;
    }
    if (term instanceof BindMarker m) {
      ByteBuffer v = values.get(m);
      if (v != null && !BoundValues.isUnset(v)) {
        try {
          type.validate(v);
        } catch (MeridianException e) {
          throw MeridianException.invalid("Invalid value for " + receiver + " of type " + type.cqlName() + ": " + e.getMessage());
        }
        return CollectionValues.canonical(type, v);
      }
      return v;
    }
    if (term instanceof Term.TypeCast cast) {
      return evaluate(cast.term(), type, receiver);
    }
    if (term instanceof Term.UdtLiteral u) {
      return userTypeLiteral(u, type, receiver);
    }
    if (term instanceof Term.ListLiteral || term instanceof Term.SetLiteral || term instanceof Term.MapLiteral
        || term instanceof Term.TupleLiteral) {
      return literal(term, type, receiver);
    }
    if (term instanceof Term.FunctionCall f && JsonFunctions.isJsonFunction(f)) {
      return JsonFunctions.evaluate(this, f, type, receiver);
    }
    if (term instanceof Term.FunctionCall f && f.arguments().isEmpty()) {
      return callNoArgFunction(f.name().name(), type, receiver);
    }
    if (term instanceof Term.FunctionCall f && f.arguments().size() == 1
        && f.name().name().equalsIgnoreCase("totimestamp")
        && f.arguments().get(0) instanceof Term.FunctionCall inner && inner.arguments().isEmpty()
        && inner.name().name().equalsIgnoreCase("now")) {
      return checkType(CqlTypes.TIMESTAMP, type, "toTimestamp(now())", receiver,
          CqlTypes.TIMESTAMP.encode(Instant.ofEpochMilli(clock.currentTimeMicros() / 1000)));
    }
    throw MeridianException.invalid("Unsupported term for " + receiver + ": " + describe(term)
        + " (most functions arrive with a later release)");
  }

  /** A collection or tuple literal, its elements evaluated against the type's element types. */
  private ByteBuffer literal(Term term, CqlType type, String receiver) {
    if (term instanceof Term.ListLiteral l && type instanceof ListType lt) {
      return lt.serializeElements(elements(l.elements(), lt.elementType(), receiver));
    }
    if (term instanceof Term.SetLiteral l && type instanceof SetType st) {
      return st.serializeElements(elements(l.elements(), st.elementType(), receiver));
    }
    // {} is parsed as an empty map; for a set receiver it is the empty set.
    if (term instanceof Term.MapLiteral m && m.entries().isEmpty() && type instanceof SetType st) {
      return st.serializeElements(List.of());
    }
    if (term instanceof Term.MapLiteral m && type instanceof MapType mt) {
      List<Map.Entry<ByteBuffer, ByteBuffer>> entries = new ArrayList<>(m.entries().size());
      for (Term.Entry e : m.entries()) {
        entries.add(new AbstractMap.SimpleImmutableEntry<>(
            element(e.key(), mt.keyType(), receiver), element(e.value(), mt.valueType(), receiver)));
      }
      return mt.serializeEntries(entries);
    }
    if (term instanceof Term.TupleLiteral t && type instanceof TupleType tt) {
      if (t.elements().size() > tt.fieldTypes().size()) {
        throw MeridianException.invalid("Invalid tuple literal for " + receiver + ": too many elements. Type "
            + tt.cqlName() + " expects " + tt.fieldTypes().size() + " but got " + t.elements().size());
      }
      List<ByteBuffer> fields = new ArrayList<>(tt.fieldTypes().size());
      for (int i = 0; i < tt.fieldTypes().size(); i++) {
        ByteBuffer v = i < t.elements().size() ? evaluate(t.elements().get(i), tt.fieldTypes().get(i), receiver) : null;
        if (BoundValues.isUnset(v)) {
          throw MeridianException.invalid("Invalid unset value for tuple field number " + i);
        }
        fields.add(v);
      }
      return tt.serializeFields(fields);
    }
    throw MeridianException.invalid("Invalid " + literalName(term) + " for " + receiver + " of type " + type.cqlName());
  }

  /**
   * {@code {f: v, ...}} for a user type: fields left out are null, an unknown field is refused,
   * each value is evaluated against its field's type. A repeated field keeps its last value.
   */
  private ByteBuffer userTypeLiteral(Term.UdtLiteral literal, CqlType type, String receiver) {
    if (!(type instanceof UserType ut)) {
      throw MeridianException.invalid("Invalid user type literal for " + receiver + " of type " + type.cqlName());
    }
    List<ByteBuffer> fields = new ArrayList<>(ut.fieldTypes().size());
    for (int i = 0; i < ut.fieldTypes().size(); i++) {
      fields.add(null);
    }
    for (Term.Field f : literal.fields()) {
      int position = ut.fieldPosition(f.name());
      if (position < 0) {
        throw MeridianException.invalid("Unknown field '" + f.name() + "' in value of user defined type " + ut.typeName());
      }
      CqlType fieldType = ut.fieldTypes().get(position);
      ByteBuffer v;
      try {
        v = evaluate(f.value(), fieldType, receiver + "." + f.name());
      } catch (MeridianException e) {
        if (f.value() instanceof BindMarker || e.code() != io.meridian.common.CqlErrorCode.INVALID) {
          throw e;
        }
        // Cassandra's wording for a literal that does not fit its field.
        throw MeridianException.invalid("Invalid user type literal for " + receiver + ": field " + f.name()
            + " is not of type " + fieldType.cqlName());
      }
      if (BoundValues.isUnset(v)) {
        throw MeridianException.invalid("Invalid unset value for field '" + f.name() + "' of user defined type " + ut.typeName());
      }
      fields.set(position, v);
    }
    return ut.serializeFields(fields);
  }

  private List<ByteBuffer> elements(List<Term> terms, CqlType elementType, String receiver) {
    List<ByteBuffer> out = new ArrayList<>(terms.size());
    for (Term t : terms) {
      out.add(element(t, elementType, receiver));
    }
    return out;
  }

  private ByteBuffer element(Term t, CqlType elementType, String receiver) {
    ByteBuffer v = evaluate(t, elementType, receiver);
    if (v == null) {
      throw MeridianException.invalid("null is not supported inside collections");
    }
    if (BoundValues.isUnset(v)) {
      throw MeridianException.invalid("Invalid unset value in a collection literal for " + receiver);
    }
    return v;
  }

  private static String literalName(Term term) {
    if (term instanceof Term.ListLiteral) {
      return "list literal";
    }
    if (term instanceof Term.SetLiteral) {
      return "set literal";
    }
    if (term instanceof Term.MapLiteral) {
      return "map literal";
    }
    return "tuple literal";
  }

  private ByteBuffer callNoArgFunction(String name, CqlType type, String receiver) {
    long micros = clock.currentTimeMicros();
    switch (name.toLowerCase()) {
      case "now", "currenttimeuuid" -> {
        return checkType(CqlTypes.TIMEUUID, type, name + "()", receiver, CqlTypes.TIMEUUID.encode(TimeUuids.next(micros)));
      }
      case "uuid" -> {
        return checkType(CqlTypes.UUID, type, "uuid()", receiver, CqlTypes.UUID.encode(UUID.randomUUID()));
      }
      case "currenttimestamp" -> {
        return checkType(CqlTypes.TIMESTAMP, type, "currentTimestamp()", receiver,
            CqlTypes.TIMESTAMP.encode(Instant.ofEpochMilli(micros / 1000)));
      }
      case "currentdate" -> {
        return checkType(CqlTypes.DATE, type, "currentDate()", receiver,
            CqlTypes.DATE.encode(LocalDate.ofInstant(Instant.ofEpochMilli(micros / 1000), ZoneOffset.UTC)));
      }
      case "currenttime" -> {
        return checkType(CqlTypes.TIME, type, "currentTime()", receiver,
            CqlTypes.TIME.encode(LocalTime.ofInstant(Instant.ofEpochMilli(micros / 1000), ZoneOffset.UTC)));
      }
      default -> throw MeridianException.invalid("Unknown function '" + name + "' for " + receiver);
    }
  }

  private static ByteBuffer checkType(CqlType produced, CqlType expected, String what, String receiver, ByteBuffer value) {
    if (!produced.equals(expected) && !(produced == CqlTypes.TIMEUUID && expected == CqlTypes.UUID)) {
      throw MeridianException.invalid("Type error: cannot assign result of function " + what + " (type "
          + produced.cqlName() + ") to " + receiver + " (type " + expected.cqlName() + ")");
    }
    return value;
  }

  static String describe(Term term) {
    return term.getClass().getSimpleName();
  }

  /** Reads an int-valued term (LIMIT, TTL): must be set and non-null. */
  int evaluateInt(Term term, String what) {
    ByteBuffer v = evaluate(term, CqlTypes.INT, what);
    if (v == null || BoundValues.isUnset(v) || !v.hasRemaining()) {
      throw MeridianException.invalid("Invalid null value of " + what);
    }
    return (Integer) CqlTypes.INT.decode(v);
  }

  /** Reads a bigint-valued term (USING TIMESTAMP); null means absent. */
  Long evaluateLong(Term term, String what) {
    ByteBuffer v = evaluate(term, CqlTypes.BIGINT, what);
    if (v == null || BoundValues.isUnset(v) || !v.hasRemaining()) {
      throw MeridianException.invalid("Invalid null value of " + what);
    }
    return (Long) CqlTypes.BIGINT.decode(v);
  }
}
