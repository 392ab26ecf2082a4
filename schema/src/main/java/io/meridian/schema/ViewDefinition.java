package io.meridian.schema;

import java.util.Objects;
import java.util.UUID;

/**
 * What makes a table a materialized view: its base table (by id, and by name as system_schema.views
 * shows it), whether it was created with {@code SELECT *} (then columns added to the base are added
 * to the view too), and its WHERE clause as CQL text (IS NOT NULL and the other restrictions), which
 * the query layer parses to decide which base rows have a view row.
 *
 * <p>{@code building} is true from CREATE until the initial build from the base table's existing
 * rows has finished; a view still marked building at start-up is built again (see the query layer's
 * ViewBuilder).
 */
public record ViewDefinition(UUID baseTableId, String baseTableName, boolean includeAllColumns, String whereClause,
                             boolean building) {
  public ViewDefinition {
    Objects.requireNonNull(baseTableId, "baseTableId");
    Objects.requireNonNull(baseTableName, "baseTableName");
    Objects.requireNonNull(whereClause, "whereClause");
  }

  public ViewDefinition built() {
    return new ViewDefinition(baseTableId, baseTableName, includeAllColumns, whereClause, false);
  }

  public ViewDefinition withBaseTableName(String name) {
    return new ViewDefinition(baseTableId, name, includeAllColumns, whereClause, building);
  }
}
