package io.meridian.query;

import com.datastax.oss.protocol.internal.response.result.ColumnSpec;
import io.meridian.common.MeridianException;
import io.meridian.cql.ast.Select;
import io.meridian.cql.ast.SelectItem;
import io.meridian.cql.ast.Selector;
import io.meridian.schema.ColumnMetadata;
import io.meridian.schema.TableMetadata;
import io.meridian.types.CqlType;
import io.meridian.types.CqlTypes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What a SELECT returns: one output per selector, each computed from a row view. Aggregates
 * (count) fold all rows into one.
 */
final class Selection {
  enum Kind { COLUMN, WRITETIME, TTL, TOKEN, COUNT_ROWS, COUNT_COLUMN }

  record Output(Kind kind, ColumnMetadata column, String name, CqlType type) {}

  final List<Output> outputs;
  final boolean aggregate;
  /** Every column any output reads (for filtering and reading). */
  final List<ColumnMetadata> columnsRead;

  private Selection(List<Output> outputs, List<ColumnMetadata> columnsRead) {
    this.outputs = outputs;
    this.aggregate = outputs.stream().anyMatch(o -> o.kind == Kind.COUNT_ROWS || o.kind == Kind.COUNT_COLUMN);
    this.columnsRead = columnsRead;
  }

  static Selection of(TableMetadata table, Select select) {
    List<Output> outputs = new ArrayList<>();
    if (select.wildcard()) {
      for (ColumnMetadata c : table.columns()) {
        outputs.add(new Output(Kind.COLUMN, c, c.name(), c.type()));
      }
    } else {
      for (SelectItem item : select.selection()) {
        Output o = output(table, item.selector());
        outputs.add(item.hasAlias() ? new Output(o.kind, o.column, item.alias(), o.type) : o);
      }
    }
    if (select.distinct()) {
      for (Output o : outputs) {
        if (o.column != null && o.column.kind() != ColumnMetadata.Kind.PARTITION_KEY && o.column.kind() != ColumnMetadata.Kind.STATIC) {
          throw MeridianException.invalid("SELECT DISTINCT queries must only request partition key columns and/or static columns (not "
              + o.column.name() + ")");
        }
      }
      if (select.wildcard()) {
        throw MeridianException.invalid("SELECT DISTINCT queries must request all the partition key columns (got *)");
      }
      for (ColumnMetadata pk : table.partitionKey()) {
        if (outputs.stream().noneMatch(o -> o.column == pk)) {
          throw MeridianException.invalid("SELECT DISTINCT queries must request all the partition key columns (missing "
              + pk.name() + ")");
        }
      }
    }
    return new Selection(outputs, table.columns());
  }

  private static Output output(TableMetadata table, Selector selector) {
    if (selector instanceof Selector.Column c) {
      ColumnMetadata col = WhereClause.column(table, c.name());
      return new Output(Kind.COLUMN, col, col.name(), col.type());
    }
    if (selector instanceof Selector.CountRows) {
      return new Output(Kind.COUNT_ROWS, null, "count", CqlTypes.BIGINT);
    }
    if (selector instanceof Selector.Metadata m && m.column() instanceof Selector.Column c) {
      ColumnMetadata col = WhereClause.column(table, c.name());
      String fn = m.kind() == Selector.MetadataKind.TTL ? "ttl" : "writetime";
      if (col.isPrimaryKey()) {
        throw MeridianException.invalid("Cannot use selection function " + (fn.equals("ttl") ? "ttl" : "writeTime")
            + " on PRIMARY KEY part " + col.name());
      }
      if (m.kind() == Selector.MetadataKind.MAXWRITETIME) {
        return new Output(Kind.WRITETIME, col, "maxwritetime(" + col.name() + ")", CqlTypes.BIGINT);
      }
      return m.kind() == Selector.MetadataKind.TTL
          ? new Output(Kind.TTL, col, "ttl(" + col.name() + ")", CqlTypes.INT)
          : new Output(Kind.WRITETIME, col, "writetime(" + col.name() + ")", CqlTypes.BIGINT);
    }
    if (selector instanceof Selector.Function f) {
      String fn = f.name().name().toLowerCase();
      if (fn.equals("token")) {
        List<String> args = new ArrayList<>();
        for (Selector a : f.arguments()) {
          if (!(a instanceof Selector.Column c)) {
            throw MeridianException.invalid("token() takes the partition key columns as arguments");
          }
          args.add(WhereClause.column(table, c.name()).name());
        }
        if (!args.equals(table.partitionKey().stream().map(ColumnMetadata::name).toList())) {
          throw MeridianException.invalid("Invalid arguments for token(): expected the partition key columns "
              + table.partitionKey().stream().map(ColumnMetadata::name).toList());
        }
        return new Output(Kind.TOKEN, null, "system.token(" + String.join(", ", args) + ")", CqlTypes.BIGINT);
      }
      if (fn.equals("count") && f.arguments().size() == 1) {
        Selector a = f.arguments().get(0);
        if (a instanceof Selector.Column c) {
          ColumnMetadata col = WhereClause.column(table, c.name());
          return new Output(Kind.COUNT_COLUMN, col, "system.count(" + col.name() + ")", CqlTypes.BIGINT);
        }
        if (a instanceof Selector.Value) {
          return new Output(Kind.COUNT_ROWS, null, "count", CqlTypes.BIGINT);
        }
      }
      if (fn.equals("writetime") || fn.equals("ttl")) {
        throw MeridianException.invalid(fn + "() takes exactly one column");
      }
      throw MeridianException.invalid("Unknown function '" + f.name().name() + "' (more functions arrive with a later release)");
    }
    throw MeridianException.invalid("Unsupported selector " + selector.getClass().getSimpleName()
        + " (arrives with a later release)");
  }

  List<ColumnSpec> specs(TableMetadata table) {
    List<ColumnSpec> specs = new ArrayList<>(outputs.size());
    for (int i = 0; i < outputs.size(); i++) {
      Output o = outputs.get(i);
      specs.add(new ColumnSpec(table.keyspace(), table.name(), o.name, i, RawTypes.of(o.type)));
    }
    return specs;
  }

  /** One result row from a row view (non-aggregate selections). */
  List<ByteBuffer> project(RowView row) {
    List<ByteBuffer> out = new ArrayList<>(outputs.size());
    for (Output o : outputs) {
      out.add(switch (o.kind) {
        case COLUMN -> row.value(o.column);
        case WRITETIME -> row.writetime(o.column);
        case TTL -> row.ttl(o.column);
        case TOKEN -> CqlTypes.BIGINT.encode(row.token());
        default -> throw new IllegalStateException("aggregate output in a plain projection");
      });
    }
    return out;
  }
}
