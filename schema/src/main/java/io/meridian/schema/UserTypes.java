package io.meridian.schema;

import io.meridian.common.MeridianException;
import io.meridian.types.CqlType;
import io.meridian.types.CqlTypes;
import io.meridian.types.Identifiers;
import io.meridian.types.ListType;
import io.meridian.types.MapType;
import io.meridian.types.SetType;
import io.meridian.types.TupleType;
import io.meridian.types.UserType;
import io.meridian.types.VectorType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The user types of one keyspace as a whole: resolving type names against them, finding who uses
 * a type, ordering them so every type comes after the types it uses, and re-resolving a
 * keyspace's types and columns after one type changed.
 *
 * <p>Types and columns hold resolved {@link UserType} objects, not names. When a type gains or
 * renames a field, every type and column that uses it must see the new definition, so {@link
 * #rebuild} re-reads each of them from its CQL name against the changed set of types.
 */
public final class UserTypes {
  private UserTypes() {}

  /** Resolves bare type names of {@code keyspace}; an unknown name is INVALID "Unknown type ks.name". */
  public static Function<String, UserType> resolver(String keyspace, Map<String, UserType> types) {
    return name -> {
      UserType t = types.get(name);
      if (t == null) {
        throw MeridianException.invalid("Unknown type " + Identifiers.maybeQuote(keyspace) + "." + Identifiers.maybeQuote(name));
      }
      return t;
    };
  }

  /** The type named {@code cqlName} (as in DDL or system_schema), user types taken from {@code ks}. */
  public static CqlType parse(String cqlName, String keyspace, Map<String, UserType> types) {
    return CqlTypes.parse(cqlName, resolver(keyspace, types));
  }

  /** Whether {@code type} is, or contains at any depth, the user type named {@code typeName}. */
  public static boolean references(CqlType type, String typeName) {
    if (type instanceof UserType u) {
      if (u.typeName().equals(typeName)) {
        return true;
      }
      return anyReferences(u.fieldTypes(), typeName);
    }
    if (type instanceof TupleType t) {
      return anyReferences(t.fieldTypes(), typeName);
    }
    if (type instanceof ListType l) {
      return references(l.elementType(), typeName);
    }
    if (type instanceof SetType s) {
      return references(s.elementType(), typeName);
    }
    if (type instanceof MapType m) {
      return references(m.keyType(), typeName) || references(m.valueType(), typeName);
    }
    if (type instanceof VectorType v) {
      return references(v.elementType(), typeName);
    }
    return false;
  }

  private static boolean anyReferences(List<CqlType> types, String typeName) {
    for (CqlType t : types) {
      if (references(t, typeName)) {
        return true;
      }
    }
    return false;
  }

  /** Names of the other types of the keyspace that use {@code typeName} in a field, sorted. */
  static List<String> typesUsing(KeyspaceMetadata ks, String typeName) {
    List<String> out = new ArrayList<>();
    for (UserType t : ks.types().values()) {
      if (!t.typeName().equals(typeName) && anyReferences(t.fieldTypes(), typeName)) {
        out.add(t.typeName());
      }
    }
    return out;
  }

  /** Names of the tables with a column (with {@code partitionKeyOnly}, a partition key column) using the type, sorted. */
  static List<String> tablesUsing(KeyspaceMetadata ks, String typeName, boolean partitionKeyOnly) {
    List<String> out = new ArrayList<>();
    for (TableMetadata t : ks.tablesSorted()) {
      List<ColumnMetadata> columns = partitionKeyOnly ? t.partitionKey() : t.columns();
      for (ColumnMetadata c : columns) {
        if (references(c.type(), typeName)) {
          out.add(t.name());
          break;
        }
      }
    }
    return out;
  }

  /**
   * The types in an order where every type follows the types its fields use, ties by name; the
   * order they are stored in, so each can be read back against those before it.
   */
  public static List<UserType> dependencyOrder(Map<String, UserType> types) {
    Map<String, UserType> pending = new TreeMap<>(types);
    List<UserType> out = new ArrayList<>(types.size());
    while (!pending.isEmpty()) {
      UserType ready = null;
      for (UserType candidate : pending.values()) {
        boolean usesPending = false;
        for (String other : pending.keySet()) {
          if (!other.equals(candidate.typeName()) && anyReferences(candidate.fieldTypes(), other)) {
            usesPending = true;
            break;
          }
        }
        if (!usesPending) {
          ready = candidate;
          break;
        }
      }
      if (ready == null) {
        throw new IllegalStateException("User types reference each other in a cycle: " + pending.keySet());
      }
      out.add(ready);
      pending.remove(ready.typeName());
    }
    return out;
  }

  /**
   * {@code ks} with {@code types} as its user types, and every type and table column re-resolved
   * against them, so a changed type is seen everywhere it is used.
   */
  static KeyspaceMetadata rebuild(KeyspaceMetadata ks, Map<String, UserType> types) {
    Map<String, UserType> resolved = new LinkedHashMap<>();
    for (UserType t : dependencyOrder(types)) {
      List<CqlType> fieldTypes = new ArrayList<>();
      for (CqlType f : t.declaredFieldTypes()) {
        fieldTypes.add(parse(f.cqlName(), ks.name(), resolved));
      }
      resolved.put(t.typeName(), new UserType(ks.name(), t.typeName(), t.fieldNames(), fieldTypes, false));
    }
    Map<String, TableMetadata> tables = new TreeMap<>();
    for (TableMetadata table : ks.tablesSorted()) {
      List<ColumnMetadata> columns = new ArrayList<>();
      boolean changed = false;
      for (ColumnMetadata c : table.columns()) {
        CqlType type = parse(c.type().cqlName(), ks.name(), resolved);
        changed |= !type.equals(c.type());
        columns.add(new ColumnMetadata(c.name(), type, c.kind(), c.position(), c.order()));
      }
      tables.put(table.name(), changed ? table.withColumns(columns) : table);
    }
    return ks.withTablesAndTypes(tables, resolved);
  }
}
