package io.meridian.schema.system;

import io.meridian.common.Invariants;
import io.meridian.schema.ColumnMetadata;
import io.meridian.schema.Schema;
import io.meridian.schema.TableMetadata;
import io.meridian.schema.TableParams;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/** A {@link VirtualTable} defined by its columns and a function from schema to rows. */
final class SystemTable implements VirtualTable {
  private final String keyspace;
  private final String name;
  private final TableMetadata metadata;
  private final List<SystemColumn> columns;
  private final Map<String, Integer> indexByName = new HashMap<>();
  private final Function<Schema, List<Map<String, Object>>> rows;

  SystemTable(
      String keyspace,
      String name,
      TableParams params,
      List<SystemColumn> definition,
      Function<Schema, List<Map<String, Object>>> rows) {
    this.keyspace = keyspace;
    this.name = name;
    this.rows = rows;
    List<ColumnMetadata> columnMetadata = new ArrayList<>();
    Map<String, SystemColumn> byName = new HashMap<>();
    for (SystemColumn c : definition) {
      columnMetadata.add(c.toColumnMetadata());
      byName.put(c.name(), c);
    }
    this.metadata = new TableMetadata(keyspace, name, idFor(keyspace, name), columnMetadata, params);
    List<SystemColumn> ordered = new ArrayList<>();
    for (ColumnMetadata c : metadata.columns()) {
      indexByName.put(c.name(), ordered.size());
      ordered.add(byName.get(c.name()));
    }
    this.columns = List.copyOf(ordered);
  }

  /** A stable id derived from the names, so system tables keep their ids across restarts. */
  static UUID idFor(String keyspace, String table) {
    return UUID.nameUUIDFromBytes((keyspace + table).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String keyspace() {
    return keyspace;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public TableMetadata metadata() {
    return metadata;
  }

  @Override
  public List<SystemColumn> columns() {
    return columns;
  }

  @Override
  public List<List<Object>> rows(Schema schema) {
    List<Map<String, Object>> maps = rows.apply(schema);
    List<List<Object>> result = new ArrayList<>(maps.size());
    for (Map<String, Object> map : maps) {
      Object[] row = new Object[columns.size()];
      for (Map.Entry<String, Object> e : map.entrySet()) {
        Integer index = indexByName.get(e.getKey());
        Invariants.check(index != null, "%s.%s has no column %s", keyspace, name, e.getKey());
        row[index] = e.getValue();
      }
      for (SystemColumn c : columns) {
        if (c.kind().isPrimaryKey()) {
          Invariants.check(row[indexByName.get(c.name())] != null, "%s.%s row without key %s", keyspace, name, c.name());
        }
      }
      result.add(java.util.Collections.unmodifiableList(Arrays.asList(row)));
    }
    return result;
  }
}
