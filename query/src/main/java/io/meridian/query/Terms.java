package io.meridian.query;

import io.meridian.common.Clock;
import io.meridian.common.MeridianException;
import io.meridian.cql.ast.BindMarker;
import io.meridian.cql.ast.Term;
import io.meridian.types.CqlType;
import io.meridian.types.CqlTypes;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
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
      }
      return v;
    }
    if (term instanceof Term.TypeCast cast) {
      return evaluate(cast.term(), type, receiver);
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
        + " (collections, tuples, user types and most functions arrive with a later release)");
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
