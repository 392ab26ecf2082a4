package io.meridian.types;

import io.meridian.common.MeridianException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The scalar CQL types as singletons, lookup by native protocol code, and parsing of any CQL type
 * name (scalars, collections, tuples, vectors, user types through a resolver).
 */
public final class CqlTypes {
  public static final CqlType ASCII = new TextType(true);
  public static final CqlType BIGINT = new IntegerType("bigint", 0x0002, true, 8);
  public static final CqlType BLOB = new BlobType();
  public static final CqlType BOOLEAN = new BooleanType();
  /** Serialized like bigint; only its name, code and (elsewhere) update rules differ. */
  public static final CqlType COUNTER = new IntegerType("counter", 0x0005, true, 8);
  public static final CqlType DATE = new DateType();
  public static final CqlType DECIMAL = new DecimalType();
  public static final CqlType DOUBLE = new FloatingType("double", 0x0007, 8);
  public static final CqlType DURATION = new DurationType();
  public static final CqlType FLOAT = new FloatingType("float", 0x0008, 4);
  public static final CqlType INET = new InetType();
  public static final CqlType INT = new IntegerType("int", 0x0009, true, 4);
  public static final CqlType SMALLINT = new IntegerType("smallint", 0x0013, false, 2);
  /** Also known as varchar; its name is always reported as "text". */
  public static final CqlType TEXT = new TextType(false);
  public static final CqlType TIME = new TimeType();
  public static final CqlType TIMESTAMP = new TimestampType();
  public static final CqlType TIMEUUID = new UuidType(true);
  public static final CqlType TINYINT = new IntegerType("tinyint", 0x0014, false, 1);
  public static final CqlType UUID = new UuidType(false);
  public static final CqlType VARINT = new VarintType();

  /** Every scalar type once, in name order. */
  public static final List<CqlType> ALL = List.of(
      ASCII, BIGINT, BLOB, BOOLEAN, COUNTER, DATE, DECIMAL, DOUBLE, DURATION, FLOAT, INET, INT,
      SMALLINT, TEXT, TIME, TIMESTAMP, TIMEUUID, TINYINT, UUID, VARINT);

  /**
   * Ceiling on nesting of collections, tuples, user types and vectors (list<int> is 1 level): keeps
   * recursion in validate/compare and in the type-name parser shallow.
   */
  public static final int NESTING_DEPTH_MAX = 32;

  /** Protocol v1/v2 code of text; v3+ send text as varchar (0x000D), but accept both. */
  private static final int LEGACY_TEXT_CODE = 0x000A;

  private static final Map<String, CqlType> BY_NAME;
  private static final Map<Integer, CqlType> BY_CODE;

  static {
    Map<String, CqlType> byName = new LinkedHashMap<>();
    Map<Integer, CqlType> byCode = new LinkedHashMap<>();
    for (CqlType type : ALL) {
      byName.put(type.cqlName(), type);
      CqlType previous = byCode.put(type.protocolCode(), type);
      if (previous != null) {
        throw new IllegalStateException("Two types share protocol code " + type.protocolCode());
      }
    }
    byName.put("varchar", TEXT);
    byCode.put(LEGACY_TEXT_CODE, TEXT);
    BY_NAME = Collections.unmodifiableMap(byName);
    BY_CODE = Collections.unmodifiableMap(byCode);
  }

  private CqlTypes() {}

  /**
   * The type with this CQL name: a scalar ("int", "varchar" is text) or a parameterized type
   * ("frozen<map<text, frozen<list<int>>>>", "tuple<int, text>"), keywords case-insensitive, spaces
   * optional. User type names cannot be resolved here: INVALID "Unknown type ..." for them; use
   * {@link #parse(String, Function)}.
   */
  public static CqlType parse(String name) {
    return parse(name, unknown -> null);
  }

  /**
   * As {@link #parse(String)}, resolving user type names with {@code udtResolver}: it receives the
   * name as CQL reads it (unquoted names folded to lower case, quoted names exact, no keyspace) and
   * returns the type or null if there is none. Its frozen-ness is set by the name ("address" is
   * non-frozen, "frozen<address>" or a nested use is frozen).
   */
  public static CqlType parse(String name, Function<String, UserType> udtResolver) {
    if (name != null) {
      // The common case, a bare scalar name, needs no parser.
      CqlType scalar = BY_NAME.get(name.trim().toLowerCase(Locale.ROOT));
      if (scalar != null) {
        return scalar;
      }
    }
    return TypeParser.parse(name, BY_NAME, udtResolver);
  }

  /** INVALID when a parameterized type would nest deeper than {@link #NESTING_DEPTH_MAX}. */
  static void checkNestingDepth(int depth, String what) {
    if (depth > NESTING_DEPTH_MAX) {
      throw MeridianException.invalid(
          "A " + what + " type nested " + depth + " levels deep exceeds the limit of " + NESTING_DEPTH_MAX + " levels");
    }
  }

  /** The scalar type with this native protocol [option] id; INVALID if it is not a scalar type. */
  public static CqlType forProtocolCode(int code) {
    CqlType type = BY_CODE.get(code);
    if (type == null) {
      throw MeridianException.invalid(
          "Unknown scalar type code 0x" + Integer.toHexString(code) + "; expected a native protocol scalar type id");
    }
    return type;
  }
}
