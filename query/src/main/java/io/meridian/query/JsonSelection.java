package io.meridian.query;

import com.datastax.oss.protocol.internal.response.result.ColumnSpec;
import com.datastax.oss.protocol.internal.response.result.DefaultRows;
import com.datastax.oss.protocol.internal.response.result.Rows;
import com.datastax.oss.protocol.internal.response.result.RowsMetadata;
import io.meridian.schema.TableMetadata;
import io.meridian.types.CqlTypes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
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
    return List.of(new ColumnSpec(table.keyspace(), table.name(), COLUMN, 0, RawTypes.of(CqlTypes.TEXT)));
  }

  /** The JSON form of a page of rows of {@code selection}; the paging state is kept. */
  static Rows toJson(Rows rows, Selection selection, TableMetadata table, boolean skipMetadata) {
    List<Selection.Output> outputs = selection.outputs;
    String[] keys = new String[outputs.size()];
    for (int i = 0; i < keys.length; i++) {
      StringBuilder sb = new StringBuilder();
      JsonCodec.appendQuoted(sb, JsonCodec.jsonKey(outputs.get(i).name()));
      keys[i] = sb.append(": ").toString();
    }
    Queue<List<ByteBuffer>> data = new ArrayDeque<>(rows.getData().size());
    for (List<ByteBuffer> row : rows.getData()) {
      StringBuilder sb = new StringBuilder("{");
      for (int i = 0; i < keys.length; i++) {
        if (i > 0) {
          sb.append(", ");
        }
        sb.append(keys[i]).append(JsonCodec.toJson(outputs.get(i).type(), row.get(i)));
      }
      data.add(List.of(ByteBuffer.wrap(sb.append('}').toString().getBytes(StandardCharsets.UTF_8))));
    }
    RowsMetadata m = rows.getMetadata();
    RowsMetadata metadata = skipMetadata
        ? new RowsMetadata(1, m.pagingState, null, null)
        : new RowsMetadata(specs(table), m.pagingState, null, null);
    return new DefaultRows(metadata, data);
  }
}
