package io.meridian.schema;

import io.meridian.types.CqlType;
import io.meridian.types.CqlTypes;

/**
 * The schema module's single point of contact with the type registry, so a change in how types
 * are looked up touches one file.
 */
public final class Types {
  private Types() {}

  /** The type for a CQL type name as written in DDL or stored in system_schema ("int", "frozen<list<text>>"). */
  public static CqlType parse(String cqlName) {
    return CqlTypes.parse(cqlName);
  }

  static boolean isCounter(CqlType type) {
    return type.cqlName().equals("counter");
  }

  static boolean isDuration(CqlType type) {
    return type.cqlName().equals("duration");
  }

  /** A list, set or map that is not frozen: allowed only in regular and static columns. */
  static boolean isMultiCell(CqlType type) {
    String name = type.cqlName();
    return name.startsWith("list<") || name.startsWith("set<") || name.startsWith("map<");
  }
}
