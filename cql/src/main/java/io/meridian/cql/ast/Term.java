package io.meridian.cql.ast;

import io.meridian.types.LiteralKind;
import java.util.List;
import java.util.Objects;

/** A value expression: what may appear on the right of {@code =}, in VALUES, in IF and so on. */
public sealed interface Term
    permits Term.Constant, Term.Null, Term.ListLiteral, Term.SetLiteral, Term.MapLiteral,
        Term.TupleLiteral, Term.UdtLiteral, Term.FunctionCall, Term.TypeCast, Term.Arithmetic,
        Term.Negate, Term.InValues, BindMarker {

  /**
   * A constant. For STRING, {@code text} is the unescaped content; for BOOLEAN it is "true" or
   * "false"; for NaN/Infinity it is "NaN", "Infinity" or "-Infinity"; otherwise it is the source
   * spelling, with a leading '-' when the constant was negated in the source.
   */
  record Constant(LiteralKind kind, String text) implements Term {
    public Constant {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(text, "text");
    }

    public static Constant string(String s) {
      return new Constant(LiteralKind.STRING, s);
    }
  }

  /** The NULL literal. */
  record Null() implements Term {}

  /** {@code [a, b]}: a list, or a vector once the type is known. */
  record ListLiteral(List<Term> elements) implements Term {
    public ListLiteral {
      elements = List.copyOf(elements);
    }
  }

  /** {@code {a, b}}. An empty {@code {}} is parsed as an empty {@link MapLiteral}. */
  record SetLiteral(List<Term> elements) implements Term {
    public SetLiteral {
      elements = List.copyOf(elements);
    }
  }

  /** {@code {k: v, ...}}, entries in source order; {@code {}} is empty and may also mean a set. */
  record MapLiteral(List<Entry> entries) implements Term {
    public MapLiteral {
      entries = List.copyOf(entries);
    }
  }

  record Entry(Term key, Term value) {}

  /** {@code (a, b)} with at least two elements (one element in parentheses is just grouping). */
  record TupleLiteral(List<Term> elements) implements Term {
    public TupleLiteral {
      elements = List.copyOf(elements);
    }
  }

  /** {@code {field: v, ...}}: field names are identifiers, so it never clashes with a map. */
  record UdtLiteral(List<Field> fields) implements Term {
    public UdtLiteral {
      fields = List.copyOf(fields);
    }
  }

  record Field(String name, Term value) {}

  /** A function call such as {@code now()} or {@code ks.f(1, ?)}. */
  record FunctionCall(QualifiedName name, List<Term> arguments) implements Term {
    public FunctionCall {
      arguments = List.copyOf(arguments);
    }
  }

  /** A type hint {@code (type) term}, e.g. {@code (int) ?}. */
  record TypeCast(TypeExpr type, Term term) implements Term {}

  record Arithmetic(ArithmeticOp op, Term left, Term right) implements Term {}

  /** Unary minus of something that is not a numeric constant (those fold into the constant). */
  record Negate(Term term) implements Term {}

  /** The parenthesised candidate list after IN, e.g. {@code IN (1, 2, ?)}; may be empty. */
  record InValues(List<Term> values) implements Term {
    public InValues {
      values = List.copyOf(values);
    }
  }
}
