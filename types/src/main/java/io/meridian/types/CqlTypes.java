package io.meridian.types;

import io.meridian.common.MeridianException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The scalar CQL types as singletons, with lookup by CQL name and by native protocol code. */
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

  /** The scalar type with this CQL name, case-insensitive ("varchar" is text); INVALID if unknown. */
  public static CqlType parse(String name) {
    CqlType type = name == null ? null : BY_NAME.get(name.trim().toLowerCase(Locale.ROOT));
    if (type == null) {
      throw MeridianException.invalid(
          "Unknown type " + (name == null ? "null" : "'" + ScalarType.abbreviate(name) + "'")
              + "; expected one of " + BY_NAME.keySet());
    }
    return type;
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
