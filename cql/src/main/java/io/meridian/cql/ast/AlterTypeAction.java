package io.meridian.cql.ast;

import java.util.List;

/** What an ALTER TYPE does. */
public sealed interface AlterTypeAction {

  record AddField(boolean ifNotExists, Schema.FieldDefinition field) implements AlterTypeAction {}

  /** {@code ALTER field TYPE type}: parsed so it can be refused as Cassandra 5.0 refuses it. */
  record AlterField(String field, TypeExpr type) implements AlterTypeAction {}

  record RenameFields(boolean ifExists, List<Schema.Rename> renames) implements AlterTypeAction {
    public RenameFields {
      renames = List.copyOf(renames);
    }
  }
}
