package io.meridian.query;

import com.datastax.oss.protocol.internal.response.result.ColumnSpec;
import com.datastax.oss.protocol.internal.response.result.DefaultRows;
import com.datastax.oss.protocol.internal.response.result.Rows;
import com.datastax.oss.protocol.internal.response.result.RowsMetadata;
import io.meridian.cql.ast.Select;
import io.meridian.cql.ast.SelectItem;
import io.meridian.cql.ast.Selector;
import io.meridian.schema.TableMetadata;
import io.meridian.schema.system.SystemColumn;
import io.meridian.schema.system.VirtualTable;
import io.meridian.types.CqlType;
import io.meridian.types.CqlTypes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * SELECT JSON: the rows a plain SELECT would return (same selection, paging, LIMIT, aggregates),
 * each turned into one text column named {@code [json]} holding an object keyed by the result
 * column names (aliases included; names that are not lower case are given in double quotes).
 */
final class JsonSelection {
  static final String COLUMN = "[json]";

  private JsonSelection() {}

  /** The single result column of a SELECT JSON. */
  static List<ColumnSpec> specs(TableMetadata table) {
    return specs(table.keyspace(), table.name());
  }

  private static List<ColumnSpec> specs(String keyspace, String table) {
    return List.of(new ColumnSpec(keyspace, table, COLUMN, 0, RawTypes.of(CqlTypes.TEXT)));
  }

  /** The JSON form of a page of rows of {@code selection}; the paging state is kept. */
  static Rows toJson(Rows rows, Selection selection, TableMetadata table, boolean skipMetadata) {
    List<String> names = new ArrayList<>(selection.outputs.size());
    List<CqlType> types = new ArrayList<>(selection.outputs.size());
    for (Selection.Output o : selection.outputs) {
      names.add(o.name());
      types.add(o.type());
    }
    return toJson(rows, names, types, table.keyspace(), table.name(), skipMetadata);
  }

  /**
   * The JSON form of a system table's rows (read in one page, always with metadata): columns and
   * count(*) are all such a selection can hold.
   */
  static Rows toJson(Rows rows, VirtualTable table, Select select) {
    List<String> names = new ArrayList<>();
    for (ColumnSpec spec : rows.getMetadata().columnSpecs) {
      names.add(spec.name);
    }
    List<CqlType> types = new ArrayList<>();
    if (select.wildcard()) {
      for (SystemColumn c : table.columns()) {
        types.add(c.type().cqlType());
      }
    } else {
      for (SelectItem item : select.selection()) {
        types.add(item.selector() instanceof Selector.Column c ? systemColumn(table, c.name()).type().cqlType() : CqlTypes.BIGINT);
      }
    }
    return toJson(rows, names, types, table.keyspace(), table.name(), false);
  }

  private static SystemColumn systemColumn(VirtualTable table, String name) {
    for (SystemColumn c : table.columns()) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    throw new IllegalStateException("column " + name + " was read from " + table.name() + " but is not in it");
  }

  private static Rows toJson(Rows rows, List<String> names, List<CqlType> types, String keyspace, String table,
                             boolean skipMetadata) {
    String[] keys = new String[names.size()];
    for (int i = 0; i < keys.length; i++) {
      StringBuilder sb = new StringBuilder();
      JsonCodec.appendQuoted(sb, JsonCodec.jsonKey(names.get(i)));
      keys[i] = sb.append(": ").toString();
    }
    Queue<List<ByteBuffer>> data = new ArrayDeque<>(rows.getData().size());
    for (List<ByteBuffer> row : rows.getData()) {
      StringBuilder sb = new StringBuilder("{");
      for (int i = 0; i < keys.length; i++) {
        if (i > 0) {
          sb.append(", ");
        }
        sb.append(keys[i]).append(JsonCodec.toJson(types.get(i), row.get(i)));
      }
      data.add(List.of(ByteBuffer.wrap(sb.append('}').toString().getBytes(StandardCharsets.UTF_8))));
    }
    RowsMetadata m = rows.getMetadata();
    RowsMetadata metadata = skipMetadata
        ? new RowsMetadata(1, m.pagingState, null, null)
        : new RowsMetadata(specs(keyspace, table), m.pagingState, null, null);
    return new DefaultRows(metadata, data);
  }
}
