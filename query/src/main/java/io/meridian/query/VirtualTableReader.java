package io.meridian.query;

import com.datastax.oss.protocol.internal.response.result.ColumnSpec;
import com.datastax.oss.protocol.internal.response.result.DefaultRows;
import com.datastax.oss.protocol.internal.response.result.Rows;
import com.datastax.oss.protocol.internal.response.result.RowsMetadata;
import io.meridian.common.MeridianException;
import io.meridian.cql.ast.Operator;
import io.meridian.cql.ast.Relation;
import io.meridian.cql.ast.Select;
import io.meridian.cql.ast.SelectItem;
import io.meridian.cql.ast.Selector;
import io.meridian.cql.ast.Term;
import io.meridian.schema.Schema;
import io.meridian.schema.system.SystemColumn;
import io.meridian.schema.system.VirtualTable;
import io.meridian.types.CqlTypes;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * Answers SELECTs on the system tables drivers read (system.local, system.peers*, system_schema.*).
 * They are small and generated from the schema, so rows are materialized, filtered on = / IN
 * restrictions, projected, and returned in one page.
 */
final class VirtualTableReader {
  private VirtualTableReader() {}

  static Rows read(VirtualTable table, Schema schema, Select select, Terms terms, boolean skipMetadata) {
    List<SystemColumn> columns = table.columns();
    List<int[]> projection = new ArrayList<>(); // {column index} or {-1} for count(*)
    List<ColumnSpec> specs = new ArrayList<>();
    if (select.wildcard()) {
      for (int i = 0; i < columns.size(); i++) {
        projection.add(new int[] {i});
        specs.add(spec(table, columns.get(i).name(), i, RawTypes.of(columns.get(i).type())));
      }
    } else {
      for (SelectItem item : select.selection()) {
        if (item.selector() instanceof Selector.Column c) {
          int i = index(table, c.name());
          projection.add(new int[] {i});
          specs.add(spec(table, item.hasAlias() ? item.alias() : c.name(), specs.size(), RawTypes.of(columns.get(i).type())));
        } else if (item.selector() instanceof Selector.CountRows) {
          projection.add(new int[] {-1});
          specs.add(spec(table, item.hasAlias() ? item.alias() : "count", specs.size(), RawTypes.of(CqlTypes.BIGINT)));
        } else {
          throw MeridianException.invalid("Only columns and count(*) can be selected from " + table.keyspace() + "." + table.name());
        }
      }
    }
    List<int[]> filterColumns = new ArrayList<>();
    List<List<ByteBuffer>> filterValues = new ArrayList<>();
    for (Relation r : select.where()) {
      if (!(r instanceof Relation.ColumnRelation cr) || cr.field() != null || (cr.op() != Operator.EQ && cr.op() != Operator.IN)) {
        throw MeridianException.invalid("Only = and IN restrictions are supported on " + table.keyspace() + "." + table.name());
      }
      int i = index(table, cr.column());
      List<Term> ts = cr.value() instanceof Term.InValues in ? in.values() : List.of(cr.value());
      List<ByteBuffer> values = new ArrayList<>();
      for (Term t : ts) {
        values.add(terms.evaluate(t, columns.get(i).type().cqlType(), cr.column()));
      }
      filterColumns.add(new int[] {i});
      filterValues.add(values);
    }
    Queue<List<ByteBuffer>> out = new ArrayDeque<>();
    long count = 0;
    boolean counting = projection.stream().anyMatch(p -> p[0] < 0);
    int limit = select.limit() == null ? Integer.MAX_VALUE : terms.evaluateInt(select.limit(), "[limit]");
    for (List<Object> row : table.rows(schema)) {
      List<ByteBuffer> cells = table.serializeRow(row);
      if (!matches(cells, filterColumns, filterValues)) {
        continue;
      }
      if (counting) {
        count++;
        continue;
      }
      if (out.size() >= limit) {
        break;
      }
      List<ByteBuffer> projected = new ArrayList<>(projection.size());
      for (int[] p : projection) {
        projected.add(cells.get(p[0]));
      }
      out.add(projected);
    }
    if (counting) {
      List<ByteBuffer> row = new ArrayList<>();
      for (int[] p : projection) {
        row.add(p[0] < 0 ? CqlTypes.BIGINT.encode(count) : null);
      }
      out.add(row);
    }
    RowsMetadata metadata = skipMetadata ? new RowsMetadata(specs.size(), null, null, null) : new RowsMetadata(specs, null, null, null);
    return new DefaultRows(metadata, out);
  }

  private static boolean matches(List<ByteBuffer> cells, List<int[]> columns, List<List<ByteBuffer>> values) {
    for (int f = 0; f < columns.size(); f++) {
      ByteBuffer actual = cells.get(columns.get(f)[0]);
      boolean any = false;
      for (ByteBuffer v : values.get(f)) {
        if (actual != null && v != null && actual.equals(v)) {
          any = true;
          break;
        }
      }
      if (!any) {
        return false;
      }
    }
    return true;
  }

  private static int index(VirtualTable table, String column) {
    List<SystemColumn> columns = table.columns();
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(column)) {
        return i;
      }
    }
    throw MeridianException.invalid("Undefined column name " + column + " in table " + table.keyspace() + "." + table.name());
  }

  private static ColumnSpec spec(VirtualTable table, String name, int index, com.datastax.oss.protocol.internal.response.result.RawType type) {
    return new ColumnSpec(table.keyspace(), table.name(), name, index, type);
  }
}
