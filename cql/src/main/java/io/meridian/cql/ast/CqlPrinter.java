package io.meridian.cql.ast;

import io.meridian.cql.lexer.Keywords;
import io.meridian.types.LiteralKind;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Prints AST nodes back as CQL. The output is normalised (keywords upper case, identifiers quoted
 * only when needed) and parses back to an equal AST; it is not meant to reproduce the input text.
 */
public final class CqlPrinter {
  private static final Pattern PLAIN_IDENT = Pattern.compile("[a-z][a-z0-9_]*");
  // Words the lexer would read as a duration constant rather than an identifier.
  private static final Pattern ISO_DURATION_LIKE = Pattern.compile("p[0-9t].*");

  private final StringBuilder sb = new StringBuilder();

  private CqlPrinter() {}

  public static String print(Statement s) {
    CqlPrinter p = new CqlPrinter();
    p.statement(s);
    return p.sb.toString();
  }

  public static String print(Term t) {
    CqlPrinter p = new CqlPrinter();
    p.term(t);
    return p.sb.toString();
  }

  public static String print(Selector s) {
    CqlPrinter p = new CqlPrinter();
    p.selector(s);
    return p.sb.toString();
  }

  public static String print(TypeExpr t) {
    CqlPrinter p = new CqlPrinter();
    p.type(t);
    return p.sb.toString();
  }

  /**
   * Quotes an identifier when printing it bare would not read back as the same name: upper case
   * or unusual characters, or any keyword (quoting unreserved ones too keeps every position safe).
   */
  public static String identifier(String name) {
    if (PLAIN_IDENT.matcher(name).matches() && !Keywords.isKeyword(name)
        && !ISO_DURATION_LIKE.matcher(name).matches()) {
      return name;
    }
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  /** Like {@link #identifier} but leaves unreserved keywords bare (option and function names). */
  static String softIdentifier(String name) {
    if (PLAIN_IDENT.matcher(name).matches() && !Keywords.isReserved(name)
        && !ISO_DURATION_LIKE.matcher(name).matches()) {
      return name;
    }
    return identifier(name);
  }

  public static String stringLiteral(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private CqlPrinter w(String s) {
    sb.append(s);
    return this;
  }

  private CqlPrinter id(String name) {
    sb.append(identifier(name));
    return this;
  }

  private CqlPrinter qname(QualifiedName q) {
    qnameBody(q);
    return this;
  }

  private void qnameBody(QualifiedName q) {
    if (q.hasKeyspace()) {
      id(q.keyspace()).w(".");
    }
    id(q.name());
  }

  private <T> void list(List<T> items, String sep, BiConsumer<CqlPrinter, T> each) {
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        w(sep);
      }
      each.accept(this, items.get(i));
    }
  }

  private void ids(List<String> names) {
    list(names, ", ", CqlPrinter::id);
  }

  private void statement(Statement s) {
    if (s instanceof Select x) {
      select(x);
    } else if (s instanceof Insert x) {
      insert(x);
    } else if (s instanceof InsertJson x) {
      insertJson(x);
    } else if (s instanceof Update x) {
      update(x);
    } else if (s instanceof Delete x) {
      delete(x);
    } else if (s instanceof Batch x) {
      batch(x);
    } else if (s instanceof UseKeyspace x) {
      w("USE ").id(x.keyspace());
    } else if (s instanceof SchemaStatement x) {
      schema(x);
    } else {
      throw new IllegalStateException("unprintable statement " + s.getClass().getSimpleName());
    }
  }

  private void select(Select s) {
    w("SELECT ");
    if (s.json()) {
      w("JSON ");
    }
    if (s.distinct()) {
      w("DISTINCT ");
    }
    if (s.wildcard()) {
      w("*");
    } else {
      list(s.selection(), ", ", (p, item) -> {
        p.selector(item.selector());
        if (item.hasAlias()) {
          p.w(" AS ").id(item.alias());
        }
      });
    }
    w(" FROM ");
    qname(s.table());
    where(s.where());
    if (!s.groupBy().isEmpty()) {
      w(" GROUP BY ");
      list(s.groupBy(), ", ", CqlPrinter::selector);
    }
    if (!s.orderings().isEmpty()) {
      w(" ORDER BY ");
      list(s.orderings(), ", ", (p, o) -> {
        p.id(o.column());
        if (o.annOf() != null) {
          p.w(" ANN OF ").term(o.annOf());
        } else {
          p.w(o.descending() ? " DESC" : " ASC");
        }
      });
    }
    if (s.perPartitionLimit() != null) {
      w(" PER PARTITION LIMIT ").term(s.perPartitionLimit());
    }
    if (s.limit() != null) {
      w(" LIMIT ").term(s.limit());
    }
    if (s.allowFiltering()) {
      w(" ALLOW FILTERING");
    }
  }

  private void where(List<Relation> where) {
    if (!where.isEmpty()) {
      w(" WHERE ");
      list(where, " AND ", CqlPrinter::relation);
    }
  }

  private void relation(Relation r) {
    if (r instanceof Relation.ColumnRelation c) {
      id(c.column());
      if (c.key() != null) {
        w("[").term(c.key()).w("]");
      }
      if (c.field() != null) {
        w(".");
        id(c.field());
      }
      w(" " + c.op().cql() + " ").term(c.value());
    } else if (r instanceof Relation.TokenRelation t) {
      w("TOKEN(");
      ids(t.columns());
      w(") " + t.op().cql() + " ").term(t.value());
    } else if (r instanceof Relation.MultiColumnRelation m) {
      w("(");
      ids(m.columns());
      w(") " + m.op().cql() + " ").term(m.value());
    } else if (r instanceof Relation.IsNotNull n) {
      id(n.column()).w(" IS NOT NULL");
    }
  }

  private void attributes(Attributes a) {
    if (a.isEmpty()) {
      return;
    }
    w(" USING ");
    if (a.ttl() != null) {
      w("TTL ").term(a.ttl());
      if (a.timestamp() != null) {
        w(" AND ");
      }
    }
    if (a.timestamp() != null) {
      w("TIMESTAMP ").term(a.timestamp());
    }
  }

  private void conditions(boolean ifExists, List<Condition> conditions) {
    if (ifExists) {
      w(" IF EXISTS");
    } else if (!conditions.isEmpty()) {
      w(" IF ");
      list(conditions, " AND ", (p, c) -> {
        p.id(c.column());
        if (c.key() != null) {
          p.w("[").term(c.key()).w("]");
        }
        if (c.field() != null) {
          p.w(".").id(c.field());
        }
        p.w(" " + c.op().cql() + " ").term(c.value());
      });
    }
  }

  private void insert(Insert s) {
    w("INSERT INTO ");
    qname(s.table());
    w(" (");
    ids(s.columns());
    w(") VALUES (");
    list(s.values(), ", ", CqlPrinter::term);
    w(")");
    if (s.ifNotExists()) {
      w(" IF NOT EXISTS");
    }
    attributes(s.attributes());
  }

  private void insertJson(InsertJson s) {
    w("INSERT INTO ");
    qname(s.table());
    w(" JSON ").term(s.json());
    if (s.defaultUnset()) {
      w(" DEFAULT UNSET");
    }
    if (s.ifNotExists()) {
      w(" IF NOT EXISTS");
    }
    attributes(s.attributes());
  }

  private void update(Update s) {
    w("UPDATE ");
    qname(s.table());
    attributes(s.attributes());
    w(" SET ");
    list(s.assignments(), ", ", CqlPrinter::assignment);
    where(s.where());
    conditions(s.ifExists(), s.conditions());
  }

  private void assignment(Assignment a) {
    id(a.column());
    if (a instanceof Assignment.SetValue v) {
      w(" = ").term(v.value());
    } else if (a instanceof Assignment.SetElement e) {
      w("[").term(e.key()).w("] = ").term(e.value());
    } else if (a instanceof Assignment.SetField f) {
      w(".").id(f.field()).w(" = ").term(f.value());
    } else if (a instanceof Assignment.Add x) {
      w(" = ").id(a.column()).w(" + ").term(x.value());
    } else if (a instanceof Assignment.Subtract x) {
      w(" = ").id(a.column()).w(" - ").term(x.value());
    } else if (a instanceof Assignment.Prepend x) {
      w(" = ").term(x.value()).w(" + ").id(a.column());
    }
  }

  private void delete(Delete s) {
    w("DELETE ");
    list(s.targets(), ", ", (p, t) -> {
      p.id(t.column());
      if (t.key() != null) {
        p.w("[").term(t.key()).w("]");
      }
      if (t.field() != null) {
        p.w(".").id(t.field());
      }
    });
    if (!s.targets().isEmpty()) {
      w(" ");
    }
    w("FROM ");
    qname(s.table());
    attributes(s.attributes());
    where(s.where());
    conditions(s.ifExists(), s.conditions());
  }

  private void batch(Batch b) {
    w("BEGIN ");
    if (b.type() != Batch.BatchType.LOGGED) {
      w(b.type().name()).w(" ");
    }
    w("BATCH");
    attributes(b.attributes());
    for (ModificationStatement m : b.statements()) {
      w(" ");
      statement(m);
      w(";");
    }
    w(" APPLY BATCH");
  }

  private void schema(SchemaStatement s) {
    if (s instanceof CreateKeyspace x) {
      w("CREATE KEYSPACE ").w(x.ifNotExists() ? "IF NOT EXISTS " : "").id(x.name());
      with(x.properties());
    } else if (s instanceof AlterKeyspace x) {
      w("ALTER KEYSPACE ").w(x.ifExists() ? "IF EXISTS " : "").id(x.name());
      with(x.properties());
    } else if (s instanceof DropKeyspace x) {
      w("DROP KEYSPACE ").w(x.ifExists() ? "IF EXISTS " : "").id(x.name());
    } else if (s instanceof CreateTable x) {
      createTable(x);
    } else if (s instanceof AlterTable x) {
      alterTable(x);
    } else if (s instanceof DropTable x) {
      w("DROP TABLE ").w(x.ifExists() ? "IF EXISTS " : "").qname(x.name());
    } else if (s instanceof Truncate x) {
      w("TRUNCATE TABLE ").qname(x.name());
    } else if (s instanceof CreateType x) {
      w("CREATE TYPE ").w(x.ifNotExists() ? "IF NOT EXISTS " : "").qname(x.name());
      w(" (");
      list(x.fields(), ", ", (p, f) -> p.id(f.name()).w(" ").type(f.type()));
      w(")");
    } else if (s instanceof AlterType x) {
      w("ALTER TYPE ").w(x.ifExists() ? "IF EXISTS " : "").qname(x.name());
      if (x.action() instanceof AlterTypeAction.AddField a) {
        w(" ADD ").w(a.ifNotExists() ? "IF NOT EXISTS " : "").id(a.field().name()).w(" ")
            .type(a.field().type());
      } else if (x.action() instanceof AlterTypeAction.RenameFields r) {
        w(" RENAME ").w(r.ifExists() ? "IF EXISTS " : "");
        renames(r.renames());
      } else if (x.action() instanceof AlterTypeAction.AlterField a) {
        w(" ALTER ").id(a.field()).w(" TYPE ").type(a.type());
      }
    } else if (s instanceof DropType x) {
      w("DROP TYPE ").w(x.ifExists() ? "IF EXISTS " : "").qname(x.name());
    } else if (s instanceof CreateIndex x) {
      createIndex(x);
    } else if (s instanceof DropIndex x) {
      w("DROP INDEX ").w(x.ifExists() ? "IF EXISTS " : "").qname(x.name());
    } else if (s instanceof CreateMaterializedView x) {
      w("CREATE MATERIALIZED VIEW ").w(x.ifNotExists() ? "IF NOT EXISTS " : "").qname(x.name());
      w(" AS ");
      select(x.select());
      w(" ");
      primaryKey(x.primaryKey());
      tableOptions(x.clusteringOrder(), false, x.properties());
    } else if (s instanceof AlterMaterializedView x) {
      w("ALTER MATERIALIZED VIEW ").w(x.ifExists() ? "IF EXISTS " : "").qname(x.name());
      with(x.properties());
    } else if (s instanceof DropMaterializedView x) {
      w("DROP MATERIALIZED VIEW ").w(x.ifExists() ? "IF EXISTS " : "").qname(x.name());
    } else if (s instanceof CreateRole x) {
      w("CREATE ").w(x.user() ? "USER " : "ROLE ").w(x.ifNotExists() ? "IF NOT EXISTS " : "")
          .id(x.name());
      roleOptions(x.user(), x.options());
    } else if (s instanceof AlterRole x) {
      w("ALTER ").w(x.user() ? "USER " : "ROLE ").w(x.ifExists() ? "IF EXISTS " : "").id(x.name());
      roleOptions(x.user(), x.options());
    } else if (s instanceof DropRole x) {
      w("DROP ").w(x.user() ? "USER " : "ROLE ").w(x.ifExists() ? "IF EXISTS " : "").id(x.name());
    }
  }

  private void roleOptions(boolean user, List<Property> options) {
    if (!user) {
      with(options);
      return;
    }
    // The legacy USER form only knows a password and the superuser flag.
    for (Property p : options) {
      if (p.name().equals("password") || p.name().equals("hashed_password")) {
        w(" WITH ").w(p.name().equals("password") ? "PASSWORD " : "HASHED PASSWORD ")
            .propertyValue(p.value());
      }
    }
    for (Property p : options) {
      if (p.name().equals("superuser")) {
        w(p.asText().equals("true") ? " SUPERUSER" : " NOSUPERUSER");
      }
    }
  }

  private void createTable(CreateTable x) {
    w("CREATE TABLE ").w(x.ifNotExists() ? "IF NOT EXISTS " : "").qname(x.name());
    w(" (");
    list(x.columns(), ", ", CqlPrinter::columnDefinition);
    if (!x.primaryKey().partitionKey().isEmpty()) {
      w(", ");
      primaryKey(x.primaryKey());
    }
    w(")");
    tableOptions(x.clusteringOrder(), x.compactStorage(), x.properties());
  }

  private void columnDefinition(Schema.ColumnDefinition c) {
    id(c.name()).w(" ").type(c.type());
    if (c.isStatic()) {
      w(" STATIC");
    }
  }

  private void primaryKey(Schema.PrimaryKey pk) {
    w("PRIMARY KEY ((");
    ids(pk.partitionKey());
    w(")");
    for (String c : pk.clustering()) {
      w(", ").id(c);
    }
    w(")");
  }

  private void tableOptions(List<Schema.ClusteringOrder> order, boolean compact,
      List<Property> props) {
    String sep = " WITH ";
    if (!order.isEmpty()) {
      w(sep).w("CLUSTERING ORDER BY (");
      list(order, ", ", (p, o) -> p.id(o.column()).w(o.descending() ? " DESC" : " ASC"));
      w(")");
      sep = " AND ";
    }
    if (compact) {
      w(sep).w("COMPACT STORAGE");
      sep = " AND ";
    }
    if (!props.isEmpty()) {
      w(sep);
      properties(props);
    }
  }

  private void with(List<Property> props) {
    if (!props.isEmpty()) {
      w(" WITH ");
      properties(props);
    }
  }

  private void properties(List<Property> props) {
    list(props, " AND ", (p, prop) -> {
      p.w(softIdentifier(prop.name())).w(" = ");
      p.propertyValue(prop.value());
    });
  }

  private CqlPrinter propertyValue(Property.Value v) {
    propertyValueBody(v);
    return this;
  }

  private void propertyValueBody(Property.Value v) {
    if (v instanceof Property.Literal l) {
      term(l.constant());
    } else if (v instanceof Property.Identifier i) {
      id(i.name());
    } else if (v instanceof Property.MapValue m) {
      w("{");
      int i = 0;
      for (Map.Entry<String, String> e : m.entries().entrySet()) {
        if (i++ > 0) {
          w(", ");
        }
        w(stringLiteral(e.getKey())).w(": ").w(stringLiteral(e.getValue()));
      }
      w("}");
    }
  }

  private void alterTable(AlterTable x) {
    w("ALTER TABLE ").w(x.ifExists() ? "IF EXISTS " : "").qname(x.name());
    AlterTableAction a = x.action();
    if (a instanceof AlterTableAction.AddColumns add) {
      w(" ADD ").w(add.ifNotExists() ? "IF NOT EXISTS " : "").w("(");
      list(add.columns(), ", ", CqlPrinter::columnDefinition);
      w(")");
    } else if (a instanceof AlterTableAction.DropColumns drop) {
      w(" DROP ").w(drop.ifExists() ? "IF EXISTS " : "").w("(");
      ids(drop.columns());
      w(")");
      if (drop.timestamp() != null) {
        w(" USING TIMESTAMP ").term(drop.timestamp());
      }
    } else if (a instanceof AlterTableAction.RenameColumns r) {
      w(" RENAME ").w(r.ifExists() ? "IF EXISTS " : "");
      renames(r.renames());
    } else if (a instanceof AlterTableAction.SetOptions o) {
      w(" WITH ");
      properties(o.properties());
    }
  }

  private void renames(List<Schema.Rename> renames) {
    list(renames, " AND ", (p, r) -> p.id(r.from()).w(" TO ").id(r.to()));
  }

  private void createIndex(CreateIndex x) {
    w("CREATE ").w(x.custom() ? "CUSTOM " : "").w("INDEX ").w(x.ifNotExists() ? "IF NOT EXISTS " : "");
    if (x.indexName() != null) {
      id(x.indexName()).w(" ");
    }
    w("ON ").qname(x.table());
    w(" (");
    list(x.targets(), ", ", (p, t) -> {
      if (t.kind() == Schema.IndexTargetKind.SIMPLE) {
        p.id(t.column());
      } else {
        p.w(t.kind().name()).w("(").id(t.column()).w(")");
      }
    });
    w(")");
    if (x.usingClass() != null) {
      w(" USING ").w(stringLiteral(x.usingClass()));
    }
    with(x.properties());
  }

  private CqlPrinter type(TypeExpr t) {
    typeBody(t);
    return this;
  }

  private void typeBody(TypeExpr t) {
    if (t instanceof TypeExpr.Native n) {
      w(n.name());
    } else if (t instanceof TypeExpr.UserType u) {
      qname(u.name());
    } else if (t instanceof TypeExpr.Custom c) {
      w(stringLiteral(c.className()));
    } else if (t instanceof TypeExpr.Collection c) {
      w(c.kind().name().toLowerCase()).w("<");
      list(c.arguments(), ", ", CqlPrinter::type);
      w(">");
    } else if (t instanceof TypeExpr.Tuple tu) {
      w("tuple<");
      list(tu.elements(), ", ", CqlPrinter::type);
      w(">");
    } else if (t instanceof TypeExpr.Vector v) {
      w("vector<").type(v.element());
      w(", " + v.dimension() + ">");
    } else if (t instanceof TypeExpr.Frozen f) {
      w("frozen<").type(f.inner());
      w(">");
    }
  }

  private CqlPrinter term(Term t) {
    termBody(t);
    return this;
  }

  private void termBody(Term t) {
    if (t instanceof Term.Constant c) {
      w(c.kind() == LiteralKind.STRING ? stringLiteral(c.text()) : c.text());
    } else if (t instanceof Term.Null) {
      w("NULL");
    } else if (t instanceof BindMarker b) {
      if (b.isNamed()) {
        w(":").id(b.name());
      } else {
        w("?");
      }
    } else if (t instanceof Term.ListLiteral l) {
      w("[");
      list(l.elements(), ", ", CqlPrinter::term);
      w("]");
    } else if (t instanceof Term.SetLiteral s) {
      w("{");
      list(s.elements(), ", ", CqlPrinter::term);
      w("}");
    } else if (t instanceof Term.MapLiteral m) {
      w("{");
      list(m.entries(), ", ", (p, e) -> p.term(e.key()).w(": ").term(e.value()));
      w("}");
    } else if (t instanceof Term.UdtLiteral u) {
      w("{");
      list(u.fields(), ", ", (p, f) -> p.id(f.name()).w(": ").term(f.value()));
      w("}");
    } else if (t instanceof Term.TupleLiteral tu) {
      w("(");
      list(tu.elements(), ", ", CqlPrinter::term);
      w(")");
    } else if (t instanceof Term.InValues in) {
      w("(");
      list(in.values(), ", ", CqlPrinter::term);
      w(")");
    } else if (t instanceof Term.FunctionCall f) {
      functionName(f.name());
      w("(");
      list(f.arguments(), ", ", CqlPrinter::term);
      w(")");
    } else if (t instanceof Term.TypeCast c) {
      w("(").type(c.type());
      w(") ");
      termOperand(c.term());
    } else if (t instanceof Term.Arithmetic a) {
      // Fully parenthesised so that precedence never depends on the printer getting it right.
      w("(");
      termOperand(a.left());
      w(" " + a.op().cql() + " ");
      termOperand(a.right());
      w(")");
    } else if (t instanceof Term.Negate n) {
      w("-");
      termOperand(n.term());
    }
  }

  /** Operands that could merge with a neighbouring operator are wrapped. */
  private void termOperand(Term t) {
    boolean wrap = t instanceof Term.Negate || t instanceof Term.TypeCast
        || (t instanceof Term.Constant c && c.text().startsWith("-"));
    if (wrap) {
      w("(");
    }
    term(t);
    if (wrap) {
      w(")");
    }
  }

  private void functionName(QualifiedName name) {
    if (name.hasKeyspace()) {
      id(name.keyspace()).w(".");
    }
    // In call position any unreserved word reads back as a name, so only reserved ones (other
    // than token, which is a function) need quotes.
    w(name.name().equals("token") && !name.hasKeyspace() ? "token" : softIdentifier(name.name()));
  }

  private CqlPrinter selector(Selector s) {
    selectorBody(s);
    return this;
  }

  private void selectorBody(Selector s) {
    if (s instanceof Selector.Column c) {
      id(c.name());
    } else if (s instanceof Selector.CountRows) {
      w("COUNT(*)");
    } else if (s instanceof Selector.Function f) {
      functionName(f.name());
      w("(");
      list(f.arguments(), ", ", CqlPrinter::selector);
      w(")");
    } else if (s instanceof Selector.Metadata m) {
      w(m.kind().name()).w("(").selector(m.column());
      w(")");
    } else if (s instanceof Selector.Cast c) {
      w("CAST(").selector(c.selector());
      w(" AS ").type(c.type());
      w(")");
    } else if (s instanceof Selector.Value v) {
      term(v.term());
    } else if (s instanceof Selector.Element e) {
      selector(e.collection());
      w("[").term(e.key());
      w("]");
    } else if (s instanceof Selector.Slice sl) {
      selector(sl.collection());
      w("[");
      if (sl.from() != null) {
        term(sl.from());
      }
      w("..");
      if (sl.to() != null) {
        term(sl.to());
      }
      w("]");
    } else if (s instanceof Selector.Field f) {
      selector(f.udt());
      w(".").id(f.field());
    } else if (s instanceof Selector.Arithmetic a) {
      w("(").selector(a.left());
      w(" " + a.op().cql() + " ").selector(a.right());
      w(")");
    } else if (s instanceof Selector.Negate n) {
      w("-(").selector(n.selector());
      w(")");
    }
  }
}
