package io.meridian.query;

import io.meridian.common.MeridianException;
import io.meridian.cql.ast.ArithmeticOp;
import io.meridian.cql.ast.BindMarker;
import io.meridian.cql.ast.QualifiedName;
import io.meridian.cql.ast.Selector;
import io.meridian.cql.ast.Term;
import io.meridian.cql.ast.TypeExpr;
import io.meridian.schema.ColumnMetadata;
import io.meridian.schema.TableMetadata;
import io.meridian.types.CqlType;
import io.meridian.types.CqlTypes;
import io.meridian.types.LiteralKind;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * Resolves scalar selectors against a table into {@link FunctionExpr}s: columns, literals (typed
 * by their hint or their literal kind), the native time, uuid and blob conversion functions, CAST
 * and arithmetic. Function names are matched in lower case, in Cassandra's camel-case spelling
 * without separators and in the snake-case spelling Cassandra 5 added; result columns are named
 * as Cassandra names them ({@code system.totimestamp(t)}, {@code cast(v as text)}, {@code v + 1}).
 */
final class FunctionSelectors {
  /** Names that are aggregates: not usable as arguments here. */
  static final Set<String> AGGREGATES = Set.of("count", "min", "max", "sum", "avg");

  /** 100-ns intervals between the UUID epoch (1582-10-15) and the Unix epoch. */
  private static final long UUID_EPOCH_OFFSET_100NS = 0x01B21DD213814000L;
  /** Clock sequence and node of the smallest and largest timeuuid of a millisecond (as Cassandra). */
  private static final long MIN_CLOCK_SEQ_AND_NODE = 0x8080808080808080L;
  private static final long MAX_CLOCK_SEQ_AND_NODE = 0x7f7f7f7f7f7f7f7fL;
  private static final DateTimeFormatter TIMESTAMP_TEXT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX")
      .withZone(ZoneOffset.UTC);

  private FunctionSelectors() {}

  static FunctionExpr build(TableMetadata table, Selector selector) {
    if (selector instanceof Selector.Column c) {
      ColumnMetadata col = WhereClause.column(table, c.name());
      return expr(col.type(), col.name(), (row, terms) -> row.value(col));
    }
    if (selector instanceof Selector.Metadata m && m.column() instanceof Selector.Column c) {
      ColumnMetadata col = WhereClause.column(table, c.name());
      if (col.isPrimaryKey()) {
        throw MeridianException.invalid("Cannot use selection function " + (m.kind() == Selector.MetadataKind.TTL ? "ttl" : "writeTime")
            + " on PRIMARY KEY part " + col.name());
      }
      if (m.kind() == Selector.MetadataKind.MAXWRITETIME) {
        return expr(CqlTypes.BIGINT, "maxwritetime(" + col.name() + ")", (row, terms) -> row.maxWritetime(col));
      }
      return m.kind() == Selector.MetadataKind.TTL
          ? expr(RowView.ttlType(col), "ttl(" + col.name() + ")", (row, terms) -> row.ttl(col))
          : expr(RowView.writetimeType(col), "writetime(" + col.name() + ")", (row, terms) -> row.writetime(col));
    }
    if (selector instanceof Selector.Metadata m && m.column() instanceof Selector.Field f) {
      return FieldSelectors.metadata(table, m.kind(), f);
    }
    if (selector instanceof Selector.Field f) {
      return FieldSelectors.field(table, f);
    }
    if (selector instanceof Selector.Value v) {
      return literal(v.term());
    }
    if (selector instanceof Selector.Cast cast) {
      return cast(build(table, cast.selector()), cast.type());
    }
    if (selector instanceof Selector.Arithmetic a) {
      FunctionExpr left = build(table, a.left());
      FunctionExpr right = build(table, a.right());
      requireNumeric(left, a.op());
      requireNumeric(right, a.op());
      CqlType type = FunctionArithmetic.resultType(left.type(), right.type());
      return expr(type, left.name() + " " + a.op().cql() + " " + right.name(),
          (row, terms) -> FunctionArithmetic.apply(a.op(), left.type(), left.eval(row, terms), right.type(), right.eval(row, terms)));
    }
    if (selector instanceof Selector.Negate n) {
      FunctionExpr inner = build(table, n.selector());
      requireNumeric(inner, ArithmeticOp.SUB);
      return expr(inner.type(), "-" + inner.name(), (row, terms) -> FunctionArithmetic.negate(inner.type(), inner.eval(row, terms)));
    }
    if (selector instanceof Selector.Function f) {
      return function(table, f);
    }
    if (selector instanceof Selector.CountRows) {
      throw MeridianException.invalid("Aggregate functions cannot be used as arguments of other functions");
    }
    throw MeridianException.invalid("Unsupported selector " + selector.getClass().getSimpleName()
        + " (arrives with a later release)");
  }

  private static void requireNumeric(FunctionExpr e, ArithmeticOp op) {
    if (!FunctionArithmetic.isNumeric(e.type())) {
      throw MeridianException.invalid("the '" + op.cql() + "' operation is not supported between " + e.name()
          + " of type " + e.type().cqlName() + " and a number (only numeric types are supported)");
    }
  }

  static FunctionExpr expr(CqlType type, String name, BiFunction<RowView, Terms, ByteBuffer> eval) {
    return new FunctionExpr() {
      @Override
      public CqlType type() {
        return type;
      }

      @Override
      public String name() {
        return name;
      }

      @Override
      public ByteBuffer eval(RowView row, Terms terms) {
        return eval.apply(row, terms);
      }
    };
  }

  // ---- literals ----

  private static FunctionExpr literal(Term term) {
    if (term instanceof Term.TypeCast hint && hint.type() instanceof TypeExpr.Native n) {
      CqlType type = CqlTypes.parse(n.name());
      String name = "(" + n.name() + ")" + termText(hint.term());
      return expr(type, name, (row, terms) -> terms.evaluate(hint.term(), type, name));
    }
    if (term instanceof Term.Constant c) {
      CqlType type = preferredType(c);
      if (type != null) {
        String name = termText(c);
        ByteBuffer value = type.fromLiteral(c.kind(), c.text());
        return expr(type, name, (row, terms) -> value.duplicate());
      }
    }
    throw MeridianException.invalid("Cannot infer type for term " + termText(term)
        + " in selection clause (try using a cast to force a type)");
  }

  /** The type a constant gets without a hint: the narrowest of int, bigint, varint; double; text... */
  private static CqlType preferredType(Term.Constant c) {
    return switch (c.kind()) {
      case STRING -> CqlTypes.TEXT;
      case BOOLEAN -> CqlTypes.BOOLEAN;
      case UUID -> CqlTypes.UUID;
      case HEX -> CqlTypes.BLOB;
      case DURATION -> CqlTypes.DURATION;
      case INTEGER -> {
        BigInteger v = new BigInteger(c.text().trim());
        yield v.bitLength() < 32 ? CqlTypes.INT : v.bitLength() < 64 ? CqlTypes.BIGINT : CqlTypes.VARINT;
      }
      case FLOAT -> CqlTypes.DOUBLE;
      default -> null;
    };
  }

  private static String termText(Term term) {
    if (term instanceof Term.Constant c) {
      return c.kind() == LiteralKind.STRING ? "'" + c.text().replace("'", "''") + "'" : c.text();
    }
    if (term instanceof BindMarker) {
      return "?";
    }
    if (term instanceof Term.Null) {
      return "null";
    }
    return Terms.describe(term);
  }

  // ---- functions ----

  private static FunctionExpr function(TableMetadata table, Selector.Function f) {
    String called = f.name().name().toLowerCase(Locale.ROOT);
    if (f.name().hasKeyspace() && !f.name().keyspace().equalsIgnoreCase("system")) {
      throw MeridianException.invalid("Unknown function '" + f.name().keyspace() + "." + f.name().name() + "'");
    }
    String fn = called.replace("_", "");
    if (AGGREGATES.contains(fn) || fn.equals("token")) {
      throw MeridianException.invalid("Function " + fn + " cannot be used as an argument of another function");
    }
    if (fn.equals("fromjson")) {
      throw JsonFunctions.fromJsonInSelection();
    }
    List<FunctionExpr> args = new ArrayList<>();
    for (Selector a : f.arguments()) {
      args.add(build(table, a));
    }
    String name = "system." + called + "(" + String.join(", ", args.stream().map(FunctionExpr::name).toList()) + ")";
    switch (fn) {
      case "now", "currenttimeuuid" -> {
        return noArg(name, args, CqlTypes.TIMEUUID, "now");
      }
      case "uuid" -> {
        return noArg(name, args, CqlTypes.UUID, "uuid");
      }
      case "currenttimestamp" -> {
        return noArg(name, args, CqlTypes.TIMESTAMP, "currenttimestamp");
      }
      case "currentdate" -> {
        return noArg(name, args, CqlTypes.DATE, "currentdate");
      }
      case "currenttime" -> {
        return noArg(name, args, CqlTypes.TIME, "currenttime");
      }
      case "tojson" -> {
        return JsonFunctions.toJson(name, args);
      }
      case "totimestamp", "dateof" -> {
        FunctionExpr a = oneArg(name, args, fn.equals("dateof") ? Set.of(CqlTypes.TIMEUUID)
            : Set.of(CqlTypes.TIMEUUID, CqlTypes.DATE), CqlTypes.TIMESTAMP);
        return expr(CqlTypes.TIMESTAMP, name, (row, terms) -> {
          Long ms = millis(a.type(), a.eval(row, terms));
          return ms == null ? null : CqlTypes.TIMESTAMP.encode(ms);
        });
      }
      case "tounixtimestamp", "unixtimestampof" -> {
        FunctionExpr a = oneArg(name, args, fn.equals("unixtimestampof") ? Set.of(CqlTypes.TIMEUUID)
            : Set.of(CqlTypes.TIMEUUID, CqlTypes.TIMESTAMP, CqlTypes.DATE), CqlTypes.BIGINT);
        return expr(CqlTypes.BIGINT, name, (row, terms) -> {
          Long ms = millis(a.type(), a.eval(row, terms));
          return ms == null ? null : CqlTypes.BIGINT.encode(ms);
        });
      }
      case "todate" -> {
        FunctionExpr a = oneArg(name, args, Set.of(CqlTypes.TIMEUUID, CqlTypes.TIMESTAMP), CqlTypes.DATE);
        return expr(CqlTypes.DATE, name, (row, terms) -> {
          Long ms = millis(a.type(), a.eval(row, terms));
          return ms == null ? null : CqlTypes.DATE.encode(LocalDate.ofEpochDay(Math.floorDiv(ms, 86_400_000L)));
        });
      }
      case "mintimeuuid", "maxtimeuuid" -> {
        FunctionExpr a = oneArg(name, args, Set.of(CqlTypes.TIMESTAMP), CqlTypes.TIMEUUID);
        boolean max = fn.equals("maxtimeuuid");
        return expr(CqlTypes.TIMEUUID, name, (row, terms) -> {
          Long ms = millis(a.type(), a.eval(row, terms));
          return ms == null ? null : CqlTypes.TIMEUUID.encode(timeuuidAt(ms, max));
        });
      }
      default -> {
        FunctionExpr conversion = blobConversion(fn, name, args);
        if (conversion != null) {
          return conversion;
        }
        throw MeridianException.invalid("Unknown function '" + f.name().name() + "'");
      }
    }
  }

  private static FunctionExpr noArg(String name, List<FunctionExpr> args, CqlType type, String termFunction) {
    if (!args.isEmpty()) {
      throw arity(name, 0, args.size());
    }
    Term.FunctionCall call = new Term.FunctionCall(QualifiedName.of(termFunction), List.of());
    return expr(type, name, (row, terms) -> terms.evaluate(call, type, name));
  }

  private static FunctionExpr oneArg(String name, List<FunctionExpr> args, Set<CqlType> accepted, CqlType result) {
    if (args.size() != 1) {
      throw arity(name, 1, args.size());
    }
    FunctionExpr a = args.get(0);
    if (!accepted.contains(a.type())) {
      String fn = name.substring(0, name.indexOf('('));
      StringBuilder sigs = new StringBuilder();
      for (CqlType t : accepted.stream().sorted(java.util.Comparator.comparing(CqlType::cqlName)).toList()) {
        sigs.append(sigs.length() == 0 ? "" : ", ").append(fn).append(" : (").append(t.cqlName()).append(") -> ")
            .append(result.cqlName());
      }
      throw MeridianException.invalid("Invalid call to function " + fn + ", none of its type signatures match "
          + "(known type signatures: " + sigs + ")");
    }
    return a;
  }

  private static MeridianException arity(String name, int expected, int got) {
    return MeridianException.invalid("Invalid number of arguments in call to function " + name.substring(0, name.indexOf('('))
        + ": " + expected + " required but " + got + " provided");
  }

  /** blobAsX(b) and xAsBlob(v) for every scalar type X (counter excluded, as in Cassandra). */
  private static FunctionExpr blobConversion(String fn, String name, List<FunctionExpr> args) {
    String fnName = name.substring(0, name.indexOf('('));
    if (fn.startsWith("blobas") && fn.length() > "blobas".length()) {
      CqlType target = scalar(fn.substring("blobas".length()));
      if (target == null) {
        return null;
      }
      FunctionExpr a = oneArg(name, args, Set.of(CqlTypes.BLOB), target);
      return expr(target, name, (row, terms) -> {
        ByteBuffer v = a.eval(row, terms);
        if (v == null) {
          return null;
        }
        try {
          target.validate(v.duplicate());
        } catch (MeridianException e) {
          throw MeridianException.invalid("In call to function " + fnName + ", value 0x" + hex(v)
              + " is not a valid binary representation for type " + target.cqlName());
        }
        return v;
      });
    }
    if (fn.endsWith("asblob") && fn.length() > "asblob".length()) {
      CqlType source = scalar(fn.substring(0, fn.length() - "asblob".length()));
      if (source == null) {
        return null;
      }
      FunctionExpr a = oneArg(name, args, source == CqlTypes.UUID ? Set.of(CqlTypes.UUID, CqlTypes.TIMEUUID)
          : source == CqlTypes.TEXT ? Set.of(CqlTypes.TEXT, CqlTypes.ASCII) : Set.of(source), CqlTypes.BLOB);
      return expr(CqlTypes.BLOB, name, (row, terms) -> a.eval(row, terms));
    }
    return null;
  }

  private static CqlType scalar(String name) {
    for (CqlType t : CqlTypes.ALL) {
      if (t != CqlTypes.COUNTER && t.cqlName().equals(name)) {
        return t;
      }
    }
    return name.equals("varchar") ? CqlTypes.TEXT : null;
  }

  private static String hex(ByteBuffer v) {
    StringBuilder sb = new StringBuilder();
    for (int i = v.position(); i < v.limit(); i++) {
      sb.append(String.format("%02x", v.get(i)));
    }
    return sb.toString();
  }

  /** Milliseconds since the epoch of a timeuuid, timestamp or date value; null for null or empty. */
  static Long millis(CqlType type, ByteBuffer v) {
    if (v == null || !v.hasRemaining()) {
      return null;
    }
    Object o = type.decode(v.duplicate());
    if (o instanceof UUID u) {
      return unixMillis(u);
    }
    if (o instanceof Instant i) {
      return i.toEpochMilli();
    }
    if (o instanceof LocalDate d) {
      return d.toEpochDay() * 86_400_000L;
    }
    throw new IllegalStateException("not a time value: " + type.cqlName());
  }

  static long unixMillis(UUID timeuuid) {
    long msb = timeuuid.getMostSignificantBits();
    long ts = ((msb & 0x0FFFL) << 48) | (((msb >>> 16) & 0xFFFFL) << 32) | (msb >>> 32);
    return Math.floorDiv(ts - UUID_EPOCH_OFFSET_100NS, 10_000L);
  }

  /** The smallest (or largest) timeuuid of the millisecond {@code ms}. */
  static UUID timeuuidAt(long ms, boolean max) {
    long ts = ms * 10_000L + UUID_EPOCH_OFFSET_100NS + (max ? 9_999L : 0L);
    long msb = (ts << 32) | ((ts & 0xFFFF00000000L) >>> 16) | 0x1000L | ((ts >>> 48) & 0x0FFFL);
    return new UUID(msb, max ? MAX_CLOCK_SEQ_AND_NODE : MIN_CLOCK_SEQ_AND_NODE);
  }

  // ---- casts ----

  private static FunctionExpr cast(FunctionExpr arg, TypeExpr typeExpr) {
    if (!(typeExpr instanceof TypeExpr.Native n)) {
      throw MeridianException.invalid(arg.name() + " cannot be cast to " + typeExpr);
    }
    CqlType target = CqlTypes.parse(n.name());
    CqlType source = arg.type() == CqlTypes.COUNTER ? CqlTypes.BIGINT : arg.type();
    String name = "cast(" + arg.name() + " as " + target.cqlName() + ")";
    if (source == target) {
      return expr(target, name, arg::eval);
    }
    if (FunctionArithmetic.isNumeric(source) && FunctionArithmetic.isNumeric(target) && target != CqlTypes.COUNTER) {
      return expr(target, name, (row, terms) -> {
        ByteBuffer v = arg.eval(row, terms);
        if (v == null || !v.hasRemaining()) {
          return null;
        }
        return target.encode(FunctionArithmetic.convert((Number) source.decode(v.duplicate()), target));
      });
    }
    if (target == CqlTypes.TEXT || target == CqlTypes.ASCII) {
      if (source == CqlTypes.DURATION || !CqlTypes.ALL.contains(source)) {
        throw MeridianException.invalid(arg.name() + " cannot be cast to " + target.cqlName());
      }
      return expr(target, name, (row, terms) -> {
        ByteBuffer v = arg.eval(row, terms);
        return v == null ? null : ByteBuffer.wrap(text(source, v).getBytes(StandardCharsets.UTF_8));
      });
    }
    boolean toTimestamp = target == CqlTypes.TIMESTAMP && (source == CqlTypes.DATE || source == CqlTypes.TIMEUUID);
    boolean toDate = target == CqlTypes.DATE && (source == CqlTypes.TIMESTAMP || source == CqlTypes.TIMEUUID);
    if (toTimestamp || toDate) {
      return expr(target, name, (row, terms) -> {
        Long ms = millis(source, arg.eval(row, terms));
        if (ms == null) {
          return null;
        }
        return toTimestamp ? CqlTypes.TIMESTAMP.encode(ms) : CqlTypes.DATE.encode(LocalDate.ofEpochDay(Math.floorDiv(ms, 86_400_000L)));
      });
    }
    throw MeridianException.invalid(arg.name() + " cannot be cast to " + target.cqlName());
  }

  /** The text form CAST(x AS text) gives, as Cassandra's serializers print values. */
  private static String text(CqlType type, ByteBuffer v) {
    if (!v.hasRemaining() && type != CqlTypes.TEXT && type != CqlTypes.ASCII && type != CqlTypes.BLOB) {
      return "";
    }
    Object o = type.decode(v.duplicate());
    if (o instanceof Instant i) {
      return TIMESTAMP_TEXT.format(i);
    }
    if (o instanceof LocalTime t) {
      return String.format("%02d:%02d:%02d.%09d", t.getHour(), t.getMinute(), t.getSecond(), t.getNano());
    }
    if (o instanceof ByteBuffer b) {
      return hex(b);
    }
    if (o instanceof java.net.InetAddress a) {
      return a.getHostAddress();
    }
    return String.valueOf(o);
  }
}
