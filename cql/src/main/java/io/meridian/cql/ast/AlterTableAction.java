package io.meridian.cql.ast;

import java.util.List;

/** What an ALTER TABLE does. */
public sealed interface AlterTableAction {

  record AddColumns(boolean ifNotExists, List<Schema.ColumnDefinition> columns)
      implements AlterTableAction {
    public AddColumns {
      columns = List.copyOf(columns);
    }
  }

  /** @param timestamp the USING TIMESTAMP constant, or null */
  record DropColumns(boolean ifExists, List<String> columns, Term.Constant timestamp)
      implements AlterTableAction {
    public DropColumns {
      columns = List.copyOf(columns);
    }
  }

  record RenameColumns(boolean ifExists, List<Schema.Rename> renames) implements AlterTableAction {
    public RenameColumns {
      renames = List.copyOf(renames);
    }
  }

  record SetOptions(List<Property> properties) implements AlterTableAction {
    public SetOptions {
      properties = List.copyOf(properties);
    }
  }
}
