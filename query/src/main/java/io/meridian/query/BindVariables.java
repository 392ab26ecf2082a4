package io.meridian.query;

import io.meridian.common.MeridianException;
import io.meridian.cql.ast.Assignment;
import io.meridian.cql.ast.Attributes;
import io.meridian.cql.ast.Batch;
import io.meridian.cql.ast.BindMarker;
import io.meridian.cql.ast.Delete;
import io.meridian.cql.ast.Insert;
import io.meridian.cql.ast.ModificationStatement;
import io.meridian.cql.ast.Relation;
import io.meridian.cql.ast.Select;
import io.meridian.cql.ast.Statement;
import io.meridian.cql.ast.Term;
import io.meridian.cql.ast.Update;
import io.meridian.schema.ColumnMetadata;
import io.meridian.schema.TableMetadata;
import io.meridian.types.CqlType;
import io.meridian.types.CqlTypes;
import io.meridian.types.ListType;
import io.meridian.types.MapType;
import io.meridian.types.SetType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Describes a statement's bind markers for PREPARED metadata: each marker's receiver (name and
 * type), and which markers carry the partition key (drivers route by it).
 */
final class BindVariables {
  record Variable(String name, CqlType type, String keyspace, String table) {}

  final Variable[] variables;
  final int[] partitionKeyIndices;

  private BindVariables(Variable[] variables, int[] partitionKeyIndices) {
    this.variables = variables;
    this.partitionKeyIndices = partitionKeyIndices;
  }

  List<String> names() {
    return Arrays.stream(variables).map(Variable::name).toList();
  }

  static BindVariables describe(Statement statement, Function<ModificationOrSelect, TableMetadata> tables) {
    int count = statement.bindMarkers().size();
    Variable[] vars = new Variable[count];
    int[] pkIndices = null;
    if (statement instanceof Batch batch) {
      describeAttributes(batch.attributes(), vars, null);
      for (ModificationStatement s : batch.statements()) {
        TableMetadata t = tables.apply(new ModificationOrSelect(s));
        describeModification(s, t, vars);
      }
    } else if (statement instanceof ModificationStatement m) {
      TableMetadata t = tables.apply(new ModificationOrSelect(m));
      describeModification(m, t, vars);
      pkIndices = partitionKeyIndices(m, t, vars);
    } else if (statement instanceof Select s) {
      TableMetadata t = tables.apply(new ModificationOrSelect(s));
      describeRelations(s.where(), t, vars);
      if (s.limit() instanceof BindMarker m) {
        vars[m.index()] = new Variable(name(m, "[limit]"), CqlTypes.INT, t.keyspace(), t.name());
      }
      if (s.perPartitionLimit() instanceof BindMarker m) {
        vars[m.index()] = new Variable(name(m, "[per_partition_limit]"), CqlTypes.INT, t.keyspace(), t.name());
      }
      pkIndices = partitionKeyIndices(s.where(), t, vars);
    }
    for (int i = 0; i < count; i++) {
      if (vars[i] == null) {
        throw MeridianException.invalid("Bind marker " + (i + 1) + " is in a position whose type cannot be inferred yet"
            + " (markers in function arguments, collections and conditions arrive with a later release)");
      }
    }
    return new BindVariables(vars, pkIndices == null ? new int[0] : pkIndices);
  }

  /** A statement whose table can be resolved. */
  record ModificationOrSelect(Statement statement) {}

  private static void describeModification(ModificationStatement m, TableMetadata t, Variable[] vars) {
    describeAttributes(m.attributes(), vars, t);
    if (m instanceof io.meridian.cql.ast.InsertJson json && json.json() instanceof BindMarker marker) {
      vars[marker.index()] = new Variable(name(marker, JsonSelection.COLUMN), CqlTypes.TEXT, t.keyspace(), t.name());
    }
    if (m instanceof Insert insert) {
      for (int i = 0; i < insert.columns().size(); i++) {
        if (insert.values().get(i) instanceof BindMarker marker) {
          ColumnMetadata c = WhereClause.column(t, insert.columns().get(i));
          vars[marker.index()] = new Variable(name(marker, c.name()), c.type(), t.keyspace(), t.name());
        } else {
          ColumnMetadata c = WhereClause.column(t, insert.columns().get(i));
          describeLiteral(insert.values().get(i), c.type(), c.name(), t, vars);
        }
      }
    } else if (m instanceof Update update) {
      for (Assignment a : update.assignments()) {
        if (a instanceof Assignment.SetValue set && set.value() instanceof BindMarker marker) {
          ColumnMetadata c = WhereClause.column(t, a.column());
          vars[marker.index()] = new Variable(name(marker, c.name()), c.type(), t.keyspace(), t.name());
        } else if (a instanceof Assignment.SetValue set) {
          ColumnMetadata c = WhereClause.column(t, a.column());
          describeLiteral(set.value(), c.type(), c.name(), t, vars);
        } else {
          describeCollectionAssignment(a, t, vars);
        }
      }
      describeRelations(update.where(), t, vars);
      describeConditions(update.conditions(), t, vars);
    } else if (m instanceof Delete delete) {
      for (io.meridian.cql.ast.DeleteTarget target : delete.targets()) {
        if (target.key() instanceof BindMarker marker) {
          ColumnMetadata c = WhereClause.column(t, target.column());
          CqlType keyType = c.type() instanceof MapType mt ? mt.keyType()
              : c.type() instanceof SetType st ? st.elementType() : CqlTypes.INT; // a list index
          vars[marker.index()] = new Variable(name(marker, "key(" + c.name() + ")"), keyType, t.keyspace(), t.name());
        }
      }
      describeRelations(delete.where(), t, vars);
      describeConditions(delete.conditions(), t, vars);
    }
  }

  /** Markers of IF conditions: {@code c = ?}, {@code c IN ?}, {@code c[?] = ?}, {@code c CONTAINS ?}... */
  private static void describeConditions(List<io.meridian.cql.ast.Condition> conditions, TableMetadata t, Variable[] vars) {
    for (io.meridian.cql.ast.Condition cond : conditions) {
      ColumnMetadata c = WhereClause.column(t, cond.column());
      CqlType type = Conditions.receiverType(c, cond);
      String name = cond.key() == null ? c.name() : "value(" + c.name() + ")";
      if (cond.key() instanceof BindMarker k) {
        CqlType keyType = c.type() instanceof MapType mt ? mt.keyType() : CqlTypes.INT;
        vars[k.index()] = new Variable(name(k, c.type() instanceof MapType ? "key(" + c.name() + ")" : "idx(" + c.name() + ")"),
            keyType, t.keyspace(), t.name());
      }
      if (cond.op() == io.meridian.cql.ast.Operator.IN) {
        if (cond.value() instanceof BindMarker m) {
          vars[m.index()] = new Variable(name(m, "in(" + name + ")"), new ListType(type, false), t.keyspace(), t.name());
        } else if (cond.value() instanceof Term.InValues in) {
          for (Term v : in.values()) {
            if (v instanceof BindMarker m) {
              vars[m.index()] = new Variable(name(m, name), type, t.keyspace(), t.name());
            }
          }
        }
      } else if (cond.value() instanceof BindMarker m) {
        vars[m.index()] = new Variable(name(m, name), type, t.keyspace(), t.name());
      } else {
        describeLiteral(cond.value(), type, name, t, vars);
      }
    }
  }

  /** Markers of c = c + ?, c = c - ?, c = ? + c and c[?] = ?, named after the column as Cassandra does. */
  private static void describeCollectionAssignment(Assignment a, TableMetadata t, Variable[] vars) {
    ColumnMetadata c = WhereClause.column(t, a.column());
    if (a instanceof Assignment.SetField field) {
      // Named after the field, as Cassandra does: "u.f".
      int position = UdtOperations.checkSetField(c, field);
      CqlType fieldType = ((io.meridian.types.UserType) c.type()).fieldTypes().get(position);
      describeElement(field.value(), fieldType, c.name() + "." + field.field(), t, vars);
      return;
    }
    Term whole = a instanceof Assignment.Add add ? add.value() : a instanceof Assignment.Prepend p ? p.value() : null;
    if (whole instanceof BindMarker m) {
      vars[m.index()] = new Variable(name(m, c.name()), c.type(), t.keyspace(), t.name());
    } else if (whole != null) {
      describeLiteral(whole, c.type(), c.name(), t, vars);
    } else if (a instanceof Assignment.Subtract sub && sub.value() instanceof BindMarker m) {
      CqlType type = c.type() instanceof MapType || c.type() instanceof SetType ? CollectionOperations.removalType(c.type()) : c.type();
      vars[m.index()] = new Variable(name(m, c.name()), type, t.keyspace(), t.name());
    } else if (a instanceof Assignment.SetElement set) {
      CqlType keyType = c.type() instanceof MapType mt ? mt.keyType() : CqlTypes.INT;
      CqlType valueType = c.type() instanceof MapType mt ? mt.valueType()
          : c.type() instanceof ListType lt ? lt.elementType() : c.type();
      if (set.key() instanceof BindMarker k) {
        vars[k.index()] = new Variable(name(k, "key(" + c.name() + ")"), keyType, t.keyspace(), t.name());
      }
      if (set.value() instanceof BindMarker v) {
        vars[v.index()] = new Variable(name(v, "value(" + c.name() + ")"), valueType, t.keyspace(), t.name());
      }
    }
  }

  /** Markers inside a collection or tuple literal take the element, key, value or field type. */
  private static void describeLiteral(Term term, CqlType type, String column, TableMetadata t, Variable[] vars) {
    if (term instanceof Term.FunctionCall f && JsonFunctions.isJsonFunction(f)) {
      BindMarker m = JsonFunctions.fromJsonMarker(f);
      if (m != null) {
        vars[m.index()] = new Variable(name(m, JsonFunctions.FROM_JSON_ARGUMENT), CqlTypes.TEXT, t.keyspace(), t.name());
      }
    } else if (term instanceof Term.ListLiteral l && type instanceof ListType lt) {
      l.elements().forEach(e -> describeElement(e, lt.elementType(), "value(" + column + ")", t, vars));
    } else if (term instanceof Term.SetLiteral l && type instanceof SetType st) {
      l.elements().forEach(e -> describeElement(e, st.elementType(), "value(" + column + ")", t, vars));
    } else if (term instanceof Term.MapLiteral l && type instanceof MapType mt) {
      for (Term.Entry e : l.entries()) {
        describeElement(e.key(), mt.keyType(), "key(" + column + ")", t, vars);
        describeElement(e.value(), mt.valueType(), "value(" + column + ")", t, vars);
      }
    } else if (term instanceof Term.UdtLiteral l && type instanceof io.meridian.types.UserType ut) {
      for (Term.Field f : l.fields()) {
        int position = ut.fieldPosition(f.name());
        if (position < 0) {
          throw MeridianException.invalid("Unknown field '" + f.name() + "' in value of user defined type " + ut.typeName());
        }
        describeElement(f.value(), ut.fieldTypes().get(position), column + "." + f.name(), t, vars);
      }
    } else if (term instanceof Term.TupleLiteral l && type instanceof io.meridian.types.TupleType tt) {
      for (int i = 0; i < l.elements().size() && i < tt.fieldTypes().size(); i++) {
        describeElement(l.elements().get(i), tt.fieldTypes().get(i), column + "[" + i + "]", t, vars);
      }
    }
  }

  private static void describeElement(Term term, CqlType type, String receiver, TableMetadata t, Variable[] vars) {
    if (term instanceof BindMarker m) {
      vars[m.index()] = new Variable(name(m, receiver), type, t.keyspace(), t.name());
    } else {
      describeLiteral(term, type, receiver, t, vars);
    }
  }

  private static void describeAttributes(Attributes attributes, Variable[] vars, TableMetadata t) {
    String ks = t == null ? null : t.keyspace();
    String table = t == null ? null : t.name();
    if (attributes.ttl() instanceof BindMarker m) {
      vars[m.index()] = new Variable(name(m, "[ttl]"), CqlTypes.INT, ks, table);
    }
    if (attributes.timestamp() instanceof BindMarker m) {
      vars[m.index()] = new Variable(name(m, "[timestamp]"), CqlTypes.BIGINT, ks, table);
    }
  }

  private static void describeRelations(List<Relation> relations, TableMetadata t, Variable[] vars) {
    for (Relation r : relations) {
      if (r instanceof Relation.ColumnRelation cr) {
        ColumnMetadata c = WhereClause.column(t, cr.column());
        CqlType type = c.type();
        if (cr.op() == io.meridian.cql.ast.Operator.CONTAINS || cr.op() == io.meridian.cql.ast.Operator.CONTAINS_KEY) {
          type = CollectionFilters.elementType(c, cr.op() == io.meridian.cql.ast.Operator.CONTAINS_KEY);
        }
        String receiver = c.name();
        if (cr.op() == io.meridian.cql.ast.Operator.IN && cr.value() instanceof BindMarker) {
          type = WhereClause.inListType(c);
          receiver = "in(" + c.name() + ")";
        }
        for (BindMarker m : markers(cr.value())) {
          vars[m.index()] = new Variable(name(m, receiver), type, t.keyspace(), t.name());
        }
        describeLiteral(cr.value(), type, c.name(), t, vars);
      } else if (r instanceof Relation.TokenRelation tr && tr.value() instanceof BindMarker m) {
        vars[m.index()] = new Variable(name(m, "partition key token"), CqlTypes.BIGINT, t.keyspace(), t.name());
      } else if (r instanceof Relation.MultiColumnRelation mr) {
        List<Term> tuples = mr.value() instanceof Term.InValues in ? in.values() : List.of(mr.value());
        for (Term tuple : tuples) {
          if (tuple instanceof Term.TupleLiteral tl) {
            for (int i = 0; i < tl.elements().size() && i < mr.columns().size(); i++) {
              if (tl.elements().get(i) instanceof BindMarker m) {
                ColumnMetadata c = WhereClause.column(t, mr.columns().get(i));
                vars[m.index()] = new Variable(name(m, c.name()), c.type(), t.keyspace(), t.name());
              }
            }
          }
        }
      }
    }
  }

  private static List<BindMarker> markers(Term term) {
    if (term instanceof BindMarker m) {
      return List.of(m);
    }
    List<BindMarker> out = new ArrayList<>();
    if (term instanceof Term.InValues in) {
      for (Term t : in.values()) {
        if (t instanceof BindMarker m) {
          out.add(m);
        }
      }
    } else if (term instanceof Term.TypeCast cast && cast.term() instanceof BindMarker m) {
      out.add(m);
    }
    return out;
  }

  private static int[] partitionKeyIndices(ModificationStatement m, TableMetadata t, Variable[] vars) {
    if (m instanceof Insert insert) {
      int[] out = new int[t.partitionKey().size()];
      for (ColumnMetadata pk : t.partitionKey()) {
        int i = insert.columns().indexOf(pk.name());
        if (i < 0 || !(insert.values().get(i) instanceof BindMarker marker)) {
          return null;
        }
        out[pk.position()] = marker.index();
      }
      return out;
    }
    if (m instanceof Update u) {
      return partitionKeyIndices(u.where(), t, vars);
    }
    if (m instanceof Delete d) {
      return partitionKeyIndices(d.where(), t, vars);
    }
    return null;
  }

  private static int[] partitionKeyIndices(List<Relation> where, TableMetadata t, Variable[] vars) {
    int[] out = new int[t.partitionKey().size()];
    for (ColumnMetadata pk : t.partitionKey()) {
      int found = -1;
      for (Relation r : where) {
        if (r instanceof Relation.ColumnRelation cr && cr.column().equals(pk.name())
            && cr.op() == io.meridian.cql.ast.Operator.EQ && cr.value() instanceof BindMarker m) {
          found = m.index();
        }
      }
      if (found < 0) {
        return null;
      }
      out[pk.position()] = found;
    }
    return out;
  }

  private static String name(BindMarker m, String receiver) {
    return m.isNamed() ? m.name() : receiver;
  }
}
