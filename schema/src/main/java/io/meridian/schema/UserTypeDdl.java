package io.meridian.schema;

import io.meridian.common.MeridianException;
import io.meridian.types.CqlType;
import io.meridian.types.UserType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of CREATE TYPE, ALTER TYPE and DROP TYPE, with Cassandra 5.0's messages. Each method
 * takes the keyspace as it is and returns it changed, or null when an IF [NOT] EXISTS clause makes
 * the statement a no-op. {@link SchemaManager} serializes the calls and publishes the result.
 */
final class UserTypeDdl {
  private UserTypeDdl() {}

  static KeyspaceMetadata create(
      KeyspaceMetadata ks, String typeName, List<String> fieldNames, List<CqlType> fieldTypes, boolean ifNotExists) {
    if (ks.type(typeName).isPresent()) {
      if (ifNotExists) {
        return null;
      }
      throw MeridianException.invalid("A user type with name '" + typeName + "' already exists");
    }
    Set<String> used = new HashSet<>();
    for (String field : fieldNames) {
      if (!used.add(field)) {
        throw MeridianException.invalid("Duplicate field name '" + field + "' in type '" + typeName + "'");
      }
    }
    for (CqlType t : fieldTypes) {
      checkFieldType(t);
    }
    Map<String, UserType> types = new LinkedHashMap<>(ks.types());
    types.put(typeName, new UserType(ks.name(), typeName, fieldNames, fieldTypes, false));
    return ks.withTablesAndTypes(ks.tables(), types);
  }

  /** ALTER TYPE ... ADD: the field goes last, so stored values (which lack it) read it as null. */
  static KeyspaceMetadata addField(KeyspaceMetadata ks, UserType type, String field, CqlType fieldType, boolean ifFieldNotExists) {
    if (type.fieldPosition(field) >= 0) {
      if (ifFieldNotExists) {
        return null;
      }
      throw MeridianException.invalid("Cannot add field " + field + " to type " + type.qualifiedName()
          + ": a field with name " + field + " already exists");
    }
    if (UserTypes.references(fieldType, type.typeName())) {
      throw MeridianException.invalid("Cannot add new field " + field + " of type " + fieldType.cqlName() + " to user type "
          + type.qualifiedName() + " as it would create a circular reference");
    }
    checkFieldType(fieldType);
    // A key is stored in its byte-comparable form; a new field would change how existing keys compare.
    List<String> keyTables = UserTypes.tablesUsing(ks, type.typeName(), true);
    if (!keyTables.isEmpty()) {
      List<String> qualified = keyTables.stream().map(t -> ks.name() + "." + t).toList();
      throw MeridianException.invalid("Cannot add new field " + field + " of type " + fieldType.cqlName() + " to user type "
          + type.qualifiedName() + " as the type is being used in partition key by the following tables: "
          + String.join(", ", qualified));
    }
    List<String> names = new ArrayList<>(type.fieldNames());
    names.add(field);
    List<CqlType> fieldTypes = new ArrayList<>(type.declaredFieldTypes());
    fieldTypes.add(fieldType);
    return replace(ks, new UserType(ks.name(), type.typeName(), names, fieldTypes, false));
  }

  /** ALTER TYPE ... RENAME a TO b [AND ...]: positions stay, so stored values keep their meaning. */
  static KeyspaceMetadata renameFields(KeyspaceMetadata ks, UserType type, Map<String, String> renames, boolean ifFieldsExist) {
    List<String> names = new ArrayList<>(type.fieldNames());
    boolean changed = false;
    for (Map.Entry<String, String> rename : renames.entrySet()) {
      int position = type.fieldPosition(rename.getKey());
      if (position < 0) {
        if (ifFieldsExist) {
          continue;
        }
        // Cassandra's message, spelling included.
        throw MeridianException.invalid("Unkown field " + rename.getKey() + " in user type " + type.qualifiedName());
      }
      names.set(position, rename.getValue());
      changed = true;
    }
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      if (!seen.add(name)) {
        throw MeridianException.invalid("Duplicate field name " + name + " in type " + type.qualifiedName());
      }
    }
    if (!changed) {
      return null;
    }
    return replace(ks, new UserType(ks.name(), type.typeName(), names, type.declaredFieldTypes(), false));
  }

  static KeyspaceMetadata drop(KeyspaceMetadata ks, UserType type) {
    String qualified = "'" + ks.name() + "." + type.typeName() + "'";
    List<String> types = UserTypes.typesUsing(ks, type.typeName());
    if (!types.isEmpty()) {
      throw MeridianException.invalid("Cannot drop user type " + qualified + " as it is still used by user types "
          + String.join(", ", types));
    }
    List<String> tables = UserTypes.tablesUsing(ks, type.typeName(), false);
    if (!tables.isEmpty()) {
      throw MeridianException.invalid("Cannot drop user type " + qualified + " as it is still used by tables "
          + String.join(", ", tables));
    }
    Map<String, UserType> remaining = new LinkedHashMap<>(ks.types());
    remaining.remove(type.typeName());
    return ks.withTablesAndTypes(ks.tables(), remaining);
  }

  private static KeyspaceMetadata replace(KeyspaceMetadata ks, UserType changed) {
    Map<String, UserType> types = new LinkedHashMap<>(ks.types());
    types.put(changed.typeName(), changed);
    return UserTypes.rebuild(ks, types);
  }

  private static void checkFieldType(CqlType t) {
    if (t.cqlName().equals("counter")) {
      throw MeridianException.invalid("A user type cannot contain counters");
    }
    if (t instanceof UserType u && !u.isFrozen()) {
      throw MeridianException.invalid("A user type cannot contain non-frozen UDTs");
    }
  }
}
