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
 * What a SELECT returns: one output per selector, each computed from a row view (scalar
 * expressions are resolved by {@link FunctionSelectors}). Aggregates fold all rows, or each GROUP
 * BY group, into one.
 */
final class Selection {
  enum Kind { COLUMN, WRITETIME, MAXWRITETIME, TTL, TOKEN, COUNT_ROWS, COUNT_COLUMN, EXPR, AGGREGATE }

  /**
   * One result column. {@code expr} is set for {@link Kind#EXPR} (a scalar expression) and
   * {@code aggregateSpec} for {@link Kind#AGGREGATE}.
   */
  record Output(Kind kind, ColumnMetadata column, String name, CqlType type, FunctionExpr expr,
                AggregateFunctions.Spec aggregateSpec) {
    Output(Kind kind, ColumnMetadata column, String name, CqlType type) {
      this(kind, column, name, type, null, null);
    }

    Output withName(String alias) {
      return new Output(kind, column, alias, type, expr, aggregateSpec);
    }

    boolean isAggregate() {
      return kind == Kind.COUNT_ROWS || kind == Kind.COUNT_COLUMN || kind == Kind.AGGREGATE;
    }
  }

  final List<Output> outputs;
  final boolean aggregate;
  /** Every column any output reads (for filtering and reading). */
  final List<ColumnMetadata> columnsRead;
  /** GROUP BY columns: a prefix of the primary key (less columns restricted by equality); empty without GROUP BY. */
  final List<ColumnMetadata> groupBy;

  private Selection(List<Output> outputs, List<ColumnMetadata> columnsRead, List<ColumnMetadata> groupBy) {
    this.outputs = outputs;
    this.aggregate = outputs.stream().anyMatch(Output::isAggregate);
    this.columnsRead = columnsRead;
    this.groupBy = groupBy;
  }

  /** True when rows are folded: aggregates, or GROUP BY (one row per group). */
  boolean folds() {
    return aggregate || !groupBy.isEmpty();
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
        outputs.add(item.hasAlias() ? o.withName(item.alias()) : o);
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
    return new Selection(outputs, table.columns(), groupBy(table, select));
  }

  /**
   * The GROUP BY columns, checked as Cassandra does: primary key columns in their declared order,
   * where a column restricted by equality may be skipped, covering the whole partition key.
   */
  private static List<ColumnMetadata> groupBy(TableMetadata table, Select select) {
    List<ColumnMetadata> groups = new ArrayList<>();
    if (select.groupBy().isEmpty()) {
      return groups;
    }
    java.util.Set<String> restrictedByEq = new java.util.HashSet<>();
    for (io.meridian.cql.ast.Relation r : select.where()) {
      if (r instanceof io.meridian.cql.ast.Relation.ColumnRelation c && c.key() == null
          && c.op() == io.meridian.cql.ast.Operator.EQ) {
        restrictedByEq.add(WhereClause.column(table, c.column()).name());
      }
    }
    List<ColumnMetadata> primaryKey = table.primaryKey();
    int next = 0;
    for (Selector s : select.groupBy()) {
      if (!(s instanceof Selector.Column c)) {
        throw MeridianException.invalid("Functions are not supported in GROUP BY yet (only primary key columns are)");
      }
      ColumnMetadata col = WhereClause.column(table, c.name());
      if (!col.isPrimaryKey()) {
        throw MeridianException.invalid("Group by is currently only supported on the columns of the PRIMARY KEY, got "
            + col.name());
      }
      while (next < primaryKey.size() && primaryKey.get(next) != col && restrictedByEq.contains(primaryKey.get(next).name())) {
        next++;
      }
      if (next >= primaryKey.size() || primaryKey.get(next) != col) {
        throw MeridianException.invalid(
            "Group by currently only support groups of columns following their declared order in the PRIMARY KEY");
      }
      groups.add(col);
      next++;
    }
    if (next < table.partitionKey().size()) {
      throw MeridianException.invalid("Group by is not supported on only a part of the partition key");
    }
    return groups;
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
        // Defined on multi-cell columns too: the newest write time among their cells.
        return new Output(Kind.MAXWRITETIME, col, "maxwritetime(" + col.name() + ")", CqlTypes.BIGINT);
      }
      return m.kind() == Selector.MetadataKind.TTL
          ? new Output(Kind.TTL, col, "ttl(" + col.name() + ")", RowView.ttlType(col))
          : new Output(Kind.WRITETIME, col, "writetime(" + col.name() + ")", RowView.writetimeType(col));
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
      if (FunctionSelectors.AGGREGATES.contains(fn) && (f.name().keyspace() == null || f.name().keyspace().equalsIgnoreCase("system"))) {
        if (f.arguments().size() != 1) {
          throw MeridianException.invalid("Invalid number of arguments in call to function system." + fn + ": 1 required but "
              + f.arguments().size() + " provided");
        }
        AggregateFunctions.Spec spec = AggregateFunctions.resolve(fn, fn, FunctionSelectors.build(table, f.arguments().get(0)));
        return new Output(Kind.AGGREGATE, null, spec.name(), spec.type(), null, spec);
      }
    }
    FunctionExpr expr = FunctionSelectors.build(table, selector);
    return new Output(Kind.EXPR, null, expr.name(), expr.type(), expr, null);
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
  List<ByteBuffer> project(RowView row, Terms terms) {
    List<ByteBuffer> out = new ArrayList<>(outputs.size());
    for (Output o : outputs) {
      if (o.isAggregate()) {
        throw new IllegalStateException("aggregate output in a plain projection");
      }
      out.add(value(o, row, terms));
    }
    return out;
  }

  /** The value of a non-aggregate output for one row; null for aggregate outputs. */
  static ByteBuffer value(Output o, RowView row, Terms terms) {
    return switch (o.kind) {
      case COLUMN -> row.value(o.column);
      case WRITETIME -> row.writetime(o.column);
      case MAXWRITETIME -> row.maxWritetime(o.column);
      case TTL -> row.ttl(o.column);
      case TOKEN -> CqlTypes.BIGINT.encode(row.token());
      case EXPR -> o.expr.eval(row, terms);
      default -> null;
    };
  }
}
