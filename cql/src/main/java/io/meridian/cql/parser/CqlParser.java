package io.meridian.cql.parser;

import io.meridian.common.MeridianException;
import io.meridian.cql.ast.AlterKeyspace;
import io.meridian.cql.ast.AlterMaterializedView;
import io.meridian.cql.ast.AlterRole;
import io.meridian.cql.ast.AlterTable;
import io.meridian.cql.ast.AlterTableAction;
import io.meridian.cql.ast.AlterType;
import io.meridian.cql.ast.AlterTypeAction;
import io.meridian.cql.ast.ArithmeticOp;
import io.meridian.cql.ast.Assignment;
import io.meridian.cql.ast.Attributes;
import io.meridian.cql.ast.Batch;
import io.meridian.cql.ast.BindMarker;
import io.meridian.cql.ast.Condition;
import io.meridian.cql.ast.CreateIndex;
import io.meridian.cql.ast.CreateKeyspace;
import io.meridian.cql.ast.CreateMaterializedView;
import io.meridian.cql.ast.CreateRole;
import io.meridian.cql.ast.CreateTable;
import io.meridian.cql.ast.CreateType;
import io.meridian.cql.ast.Delete;
import io.meridian.cql.ast.DeleteTarget;
import io.meridian.cql.ast.DropIndex;
import io.meridian.cql.ast.DropKeyspace;
import io.meridian.cql.ast.DropMaterializedView;
import io.meridian.cql.ast.DropRole;
import io.meridian.cql.ast.DropTable;
import io.meridian.cql.ast.DropType;
import io.meridian.cql.ast.Insert;
import io.meridian.cql.ast.InsertJson;
import io.meridian.cql.ast.ModificationStatement;
import io.meridian.cql.ast.Operator;
import io.meridian.cql.ast.Ordering;
import io.meridian.cql.ast.Property;
import io.meridian.cql.ast.QualifiedName;
import io.meridian.cql.ast.Relation;
import io.meridian.cql.ast.Schema;
import io.meridian.cql.ast.Select;
import io.meridian.cql.ast.SelectItem;
import io.meridian.cql.ast.Selector;
import io.meridian.cql.ast.Statement;
import io.meridian.cql.ast.Term;
import io.meridian.cql.ast.Truncate;
import io.meridian.cql.ast.TypeExpr;
import io.meridian.cql.ast.Update;
import io.meridian.cql.ast.UseKeyspace;
import io.meridian.cql.lexer.CqlLexer;
import io.meridian.cql.lexer.Keywords;
import io.meridian.cql.lexer.Token;
import io.meridian.cql.lexer.TokenType;
import io.meridian.types.LiteralKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Hand-written recursive-descent parser for one CQL statement (Cassandra 5 dialect).
 *
 * <p>Syntax errors throw {@link MeridianException#syntax} with "line L:C" (column 0-based), the
 * offending input and what was expected. A few checks Cassandra reports as invalid requests
 * rather than syntax errors (e.g. two PRIMARY KEY declarations) throw
 * {@link MeridianException#invalid}.
 */
public final class CqlParser {
  /** Nesting ceiling for terms and selectors, so hostile input cannot overflow the stack. */
  public static final int NESTING_DEPTH_MAX = 200;

  private static final Set<String> LITERAL_WORDS = Set.of("true", "false", "null", "nan",
      "infinity");

  private final List<Token> tokens;
  private int pos;
  private int depth;
  private final List<BindMarker> markers = new ArrayList<>();

  private CqlParser(List<Token> tokens) {
    this.tokens = tokens;
  }

  /** Parses exactly one statement, with an optional trailing ';'. */
  public static Statement parse(String cql) {
    CqlParser p = new CqlParser(CqlLexer.tokenize(cql));
    Statement s = p.statement();
    p.accept(TokenType.SEMICOLON);
    if (!p.at(TokenType.EOF)) {
      throw p.mismatched("<EOF>");
    }
    return s;
  }

  /** Parses a script of ';'-separated statements (bind markers are numbered per statement). */
  public static List<Statement> parseAll(String cql) {
    CqlParser p = new CqlParser(CqlLexer.tokenize(cql));
    List<Statement> out = new ArrayList<>();
    while (true) {
      while (p.accept(TokenType.SEMICOLON)) {
        // empty statements are allowed between separators
      }
      if (p.at(TokenType.EOF)) {
        return List.copyOf(out);
      }
      p.markers.clear();
      out.add(p.statement());
      if (!p.at(TokenType.EOF) && !p.at(TokenType.SEMICOLON)) {
        throw p.mismatched("';' or <EOF>");
      }
    }
  }

  // ---------------------------------------------------------------- token helpers

  private Token peek() {
    return tokens.get(pos);
  }

  private Token peek(int ahead) {
    int i = Math.min(pos + ahead, tokens.size() - 1);
    return tokens.get(i);
  }

  private Token next() {
    Token t = tokens.get(pos);
    if (t.type() != TokenType.EOF) {
      pos++;
    }
    return t;
  }

  private boolean at(TokenType t) {
    return peek().type() == t;
  }

  private boolean accept(TokenType t) {
    if (at(t)) {
      next();
      return true;
    }
    return false;
  }

  private Token expect(TokenType t) {
    if (!at(t)) {
      throw mismatched(t.symbol().isEmpty() ? t.name() : "'" + t.symbol() + "'");
    }
    return next();
  }

  private boolean atKeyword(String kw) {
    return peek().isKeyword(kw);
  }

  private boolean acceptKeyword(String kw) {
    if (atKeyword(kw)) {
      next();
      return true;
    }
    return false;
  }

  private void expectKeyword(String kw) {
    if (!atKeyword(kw)) {
      throw mismatched(kw);
    }
    next();
  }

  private MeridianException mismatched(String expecting) {
    Token t = peek();
    return MeridianException.syntax(t.position() + " mismatched input '" + t.display()
        + "' expecting " + expecting);
  }

  private MeridianException noViable(String expecting) {
    Token t = peek();
    return MeridianException.syntax(t.position() + " no viable alternative at input '"
        + t.display() + "' (expecting " + expecting + ")");
  }

  private static boolean isIdentifierToken(Token t) {
    return t.type() == TokenType.QUOTED_IDENT
        || (t.type() == TokenType.IDENT && !Keywords.isReserved(t.text()));
  }

  /** A plain name that is not the start of a function call: used by assignments. */
  private boolean bareIdentifierAt(int ahead) {
    Token t = peek(ahead);
    TokenType after = peek(ahead + 1).type();
    return isIdentifierToken(t) && after != TokenType.LPAREN && after != TokenType.DOT;
  }

  private String identifier() {
    Token t = peek();
    if (t.type() == TokenType.QUOTED_IDENT) {
      next();
      return t.text();
    }
    if (t.type() == TokenType.IDENT && !Keywords.isReserved(t.text())) {
      next();
      return t.text().toLowerCase(Locale.ROOT);
    }
    throw mismatched("an identifier");
  }

  private QualifiedName qualifiedName() {
    String first = identifier();
    if (accept(TokenType.DOT)) {
      return new QualifiedName(first, identifier());
    }
    return QualifiedName.of(first);
  }

  private List<String> identifierList() {
    List<String> out = new ArrayList<>();
    expect(TokenType.LPAREN);
    do {
      out.add(identifier());
    } while (accept(TokenType.COMMA));
    expect(TokenType.RPAREN);
    return out;
  }

  private boolean ifNotExists() {
    if (atKeyword("IF")) {
      next();
      expectKeyword("NOT");
      expectKeyword("EXISTS");
      return true;
    }
    return false;
  }

  private boolean ifExists() {
    if (atKeyword("IF")) {
      next();
      expectKeyword("EXISTS");
      return true;
    }
    return false;
  }

  private BindMarker newMarker(String name) {
    BindMarker m = new BindMarker(markers.size(), name);
    markers.add(m);
    return m;
  }

  private List<BindMarker> markersSince(int first) {
    return List.copyOf(markers.subList(first, markers.size()));
  }

  private void enter() {
    if (++depth > NESTING_DEPTH_MAX) {
      throw MeridianException.syntax(peek().position() + " expression nested deeper than "
          + NESTING_DEPTH_MAX + " levels");
    }
  }

  private MeridianException notSupported(Token start, String what) {
    return MeridianException.syntax(start.position() + " " + what + " statements are not supported yet");
  }

  // ---------------------------------------------------------------- statements

  private Statement statement() {
    Token t = peek();
    if (t.type() != TokenType.IDENT) {
      throw noViable("a statement keyword such as SELECT, INSERT, UPDATE, DELETE, CREATE");
    }
    switch (t.text().toUpperCase(Locale.ROOT)) {
      case "SELECT":
        return select();
      case "INSERT":
        return insert();
      case "UPDATE":
        return update();
      case "DELETE":
        return delete();
      case "BEGIN":
        return batch();
      case "USE":
        next();
        return new UseKeyspace(identifier());
      case "CREATE":
        return create();
      case "ALTER":
        return alter();
      case "DROP":
        return drop();
      case "TRUNCATE":
        next();
        if (!acceptKeyword("TABLE")) {
          acceptKeyword("COLUMNFAMILY");
        }
        return new Truncate(qualifiedName());
      case "GRANT":
      case "REVOKE":
      case "LIST":
      case "DESCRIBE":
      case "DESC":
        throw notSupported(t, t.text().toUpperCase(Locale.ROOT));
      default:
        throw noViable("a statement keyword such as SELECT, INSERT, UPDATE, DELETE, CREATE");
    }
  }

  // ---------------------------------------------------------------- SELECT

  private Select select() {
    int firstMarker = markers.size();
    expectKeyword("SELECT");
    boolean json = false;
    boolean distinct = false;
    if (atKeyword("JSON") && modifierKeywordAhead()) {
      next();
      json = true;
    }
    if (atKeyword("DISTINCT") && modifierKeywordAhead()) {
      next();
      distinct = true;
    }
    boolean wildcard = false;
    List<SelectItem> items = new ArrayList<>();
    if (at(TokenType.STAR)) {
      next();
      wildcard = true;
    } else {
      do {
        Selector sel = selector();
        String alias = null;
        if (acceptKeyword("AS")) {
          alias = identifier();
        }
        items.add(new SelectItem(sel, alias));
      } while (accept(TokenType.COMMA));
    }
    expectKeyword("FROM");
    QualifiedName table = qualifiedName();
    List<Relation> where = List.of();
    if (acceptKeyword("WHERE")) {
      where = relations();
    }
    List<Selector> groupBy = new ArrayList<>();
    if (atKeyword("GROUP")) {
      next();
      expectKeyword("BY");
      do {
        groupBy.add(selector());
      } while (accept(TokenType.COMMA));
    }
    List<Ordering> orderings = new ArrayList<>();
    if (atKeyword("ORDER")) {
      next();
      expectKeyword("BY");
      do {
        String col = identifier();
        if (atKeyword("ANN") && peek(1).isKeyword("OF")) {
          next();
          next();
          orderings.add(new Ordering(col, false, term()));
        } else if (acceptKeyword("DESC")) {
          orderings.add(new Ordering(col, true, null));
        } else {
          acceptKeyword("ASC");
          orderings.add(new Ordering(col, false, null));
        }
      } while (accept(TokenType.COMMA));
    }
    Term perPartitionLimit = null;
    if (atKeyword("PER")) {
      next();
      expectKeyword("PARTITION");
      expectKeyword("LIMIT");
      perPartitionLimit = limitValue();
    }
    Term limit = null;
    if (acceptKeyword("LIMIT")) {
      limit = limitValue();
    }
    boolean allowFiltering = false;
    if (acceptKeyword("ALLOW")) {
      expectKeyword("FILTERING");
      allowFiltering = true;
    }
    return new Select(json, distinct, wildcard, items, table, where, groupBy, orderings,
        perPartitionLimit, limit, allowFiltering, markersSince(firstMarker));
  }

  /**
   * JSON and DISTINCT are unreserved, so {@code SELECT json FROM t} selects a column named json.
   * They are modifiers only when what follows cannot continue a selector that starts with them.
   */
  private boolean modifierKeywordAhead() {
    Token n = peek(1);
    switch (n.type()) {
      case COMMA, LPAREN, LBRACKET, DOT, PLUS, MINUS, SLASH, PERCENT, EOF:
        return false;
      case STAR:
        return peek(2).isKeyword("FROM");
      default:
        return !n.isKeyword("FROM") && !n.isKeyword("AS");
    }
  }

  private Term limitValue() {
    Token t = peek();
    if (t.is(TokenType.INTEGER)) {
      next();
      return new Term.Constant(LiteralKind.INTEGER, t.text());
    }
    // A negative limit is grammatical; the query layer rejects it as "must be strictly positive".
    if (t.is(TokenType.MINUS) && peek(1).is(TokenType.INTEGER)) {
      next();
      return new Term.Constant(LiteralKind.INTEGER, "-" + next().text());
    }
    if (t.is(TokenType.QMARK) || t.is(TokenType.COLON)) {
      return bindMarker();
    }
    throw mismatched("an integer or a bind marker");
  }

  // ---------------------------------------------------------------- selectors

  private Selector selector() {
    enter();
    try {
      Selector left = multiplicativeSelector();
      while (at(TokenType.PLUS) || at(TokenType.MINUS)) {
        ArithmeticOp op = next().is(TokenType.PLUS) ? ArithmeticOp.ADD : ArithmeticOp.SUB;
        left = new Selector.Arithmetic(op, left, multiplicativeSelector());
      }
      return left;
    } finally {
      depth--;
    }
  }

  private Selector multiplicativeSelector() {
    Selector left = unarySelector();
    while (true) {
      ArithmeticOp op = multiplicativeOp();
      if (op == null) {
        return left;
      }
      left = new Selector.Arithmetic(op, left, unarySelector());
    }
  }

  private ArithmeticOp multiplicativeOp() {
    if (accept(TokenType.STAR)) {
      return ArithmeticOp.MUL;
    }
    if (accept(TokenType.SLASH)) {
      return ArithmeticOp.DIV;
    }
    if (accept(TokenType.PERCENT)) {
      return ArithmeticOp.MOD;
    }
    return null;
  }

  private Selector unarySelector() {
    if (at(TokenType.MINUS)) {
      if (numericAfterMinus()) {
        return new Selector.Value(unaryTerm());
      }
      next();
      enter();
      try {
        return new Selector.Negate(unarySelector());
      } finally {
        depth--;
      }
    }
    Selector s = primarySelector();
    while (true) {
      if (accept(TokenType.LBRACKET)) {
        if (accept(TokenType.RANGE)) {
          Term to = at(TokenType.RBRACKET) ? null : term();
          expect(TokenType.RBRACKET);
          s = new Selector.Slice(s, null, to);
          continue;
        }
        Term key = term();
        if (accept(TokenType.RANGE)) {
          Term to = at(TokenType.RBRACKET) ? null : term();
          expect(TokenType.RBRACKET);
          s = new Selector.Slice(s, key, to);
        } else {
          expect(TokenType.RBRACKET);
          s = new Selector.Element(s, key);
        }
      } else if (at(TokenType.DOT)) {
        next();
        s = new Selector.Field(s, identifier());
      } else {
        return s;
      }
    }
  }

  private boolean numericAfterMinus() {
    Token n = peek(1);
    return n.is(TokenType.INTEGER) || n.is(TokenType.FLOAT) || n.is(TokenType.DURATION)
        || n.isKeyword("NAN") || n.isKeyword("INFINITY");
  }

  private Selector primarySelector() {
    Token t = peek();
    switch (t.type()) {
      case STRING, INTEGER, FLOAT, HEX, UUID, DURATION, QMARK, COLON, LBRACKET, LBRACE:
        return new Selector.Value(primaryTerm());
      case LPAREN:
        return parenthesisedSelector();
      case IDENT, QUOTED_IDENT:
        break;
      default:
        throw noViable("a selector");
    }
    if (t.is(TokenType.IDENT) && LITERAL_WORDS.contains(t.text().toLowerCase(Locale.ROOT))) {
      return new Selector.Value(primaryTerm());
    }
    boolean call = peek(1).is(TokenType.LPAREN);
    if (t.is(TokenType.IDENT) && call) {
      String word = t.text().toLowerCase(Locale.ROOT);
      switch (word) {
        case "count":
          if (peek(2).is(TokenType.STAR) && peek(3).is(TokenType.RPAREN)
              || peek(2).is(TokenType.INTEGER) && peek(2).text().equals("1")
                  && peek(3).is(TokenType.RPAREN)) {
            pos += 4;
            return new Selector.CountRows();
          }
          break;
        case "cast": {
          next();
          next();
          Selector inner = selector();
          expectKeyword("AS");
          TypeExpr type = type();
          expect(TokenType.RPAREN);
          return new Selector.Cast(inner, type);
        }
        case "writetime", "maxwritetime", "ttl": {
          next();
          next();
          Selector inner = selector();
          expect(TokenType.RPAREN);
          return new Selector.Metadata(Selector.MetadataKind.valueOf(word.toUpperCase(Locale.ROOT)),
              inner);
        }
        default:
          break;
      }
    }
    if (call || qualifiedCallAhead()) {
      QualifiedName fn = functionName();
      expect(TokenType.LPAREN);
      List<Selector> args = new ArrayList<>();
      if (!at(TokenType.RPAREN)) {
        do {
          args.add(selector());
        } while (accept(TokenType.COMMA));
      }
      expect(TokenType.RPAREN);
      return new Selector.Function(fn, args);
    }
    return new Selector.Column(identifier());
  }

  private Selector parenthesisedSelector() {
    int save = pos;
    next();
    TypeExpr hint = tryTypeHint();
    if (hint != null) {
      if (startsTerm(peek())) {
        return new Selector.Value(new Term.TypeCast(hint, unaryTerm()));
      }
      pos = save + 1;
    }
    Selector inner = selector();
    expect(TokenType.RPAREN);
    return inner;
  }

  private boolean startsTerm(Token t) {
    switch (t.type()) {
      case STRING, INTEGER, FLOAT, HEX, UUID, DURATION, QMARK, COLON, LBRACKET, LBRACE, LPAREN,
          MINUS:
        return true;
      case IDENT:
        return LITERAL_WORDS.contains(t.text().toLowerCase(Locale.ROOT))
            || peek(1).is(TokenType.LPAREN);
      default:
        return false;
    }
  }

  private boolean qualifiedCallAhead() {
    return peek(1).is(TokenType.DOT)
        && (peek(2).is(TokenType.IDENT) || peek(2).is(TokenType.QUOTED_IDENT))
        && peek(3).is(TokenType.LPAREN);
  }

  /** A function name: any unreserved word or quoted name, and also the reserved word token. */
  private QualifiedName functionName() {
    String first = functionWord();
    if (accept(TokenType.DOT)) {
      return new QualifiedName(first, functionWord());
    }
    return QualifiedName.of(first);
  }

  private String functionWord() {
    if (atKeyword("TOKEN")) {
      next();
      return "token";
    }
    return identifier();
  }

  // ---------------------------------------------------------------- terms

  private Term term() {
    enter();
    try {
      Term left = multiplicativeTerm();
      // A '+' or '-' followed by a bare column name ends the term: it belongs to an
      // assignment such as c = [1] + c, not to this expression.
      while ((at(TokenType.PLUS) || at(TokenType.MINUS)) && !bareIdentifierAt(1)) {
        ArithmeticOp op = next().is(TokenType.PLUS) ? ArithmeticOp.ADD : ArithmeticOp.SUB;
        left = new Term.Arithmetic(op, left, multiplicativeTerm());
      }
      return left;
    } finally {
      depth--;
    }
  }

  private Term multiplicativeTerm() {
    Term left = unaryTerm();
    while (true) {
      ArithmeticOp op = multiplicativeOp();
      if (op == null) {
        return left;
      }
      left = new Term.Arithmetic(op, left, unaryTerm());
    }
  }

  private Term unaryTerm() {
    if (!at(TokenType.MINUS)) {
      return primaryTerm();
    }
    next();
    Token t = peek();
    switch (t.type()) {
      case INTEGER:
        next();
        return new Term.Constant(LiteralKind.INTEGER, "-" + t.text());
      case FLOAT:
        next();
        return new Term.Constant(LiteralKind.FLOAT, "-" + t.text());
      case DURATION:
        next();
        return new Term.Constant(LiteralKind.DURATION, "-" + t.text());
      default:
        break;
    }
    if (t.isKeyword("INFINITY")) {
      next();
      return new Term.Constant(LiteralKind.FLOAT, "-Infinity");
    }
    if (t.isKeyword("NAN")) {
      next();
      return new Term.Constant(LiteralKind.FLOAT, "NaN");
    }
    enter();
    try {
      return new Term.Negate(unaryTerm());
    } finally {
      depth--;
    }
  }

  private Term primaryTerm() {
    Token t = peek();
    switch (t.type()) {
      case STRING:
        next();
        return Term.Constant.string(t.text());
      case INTEGER:
        next();
        return new Term.Constant(LiteralKind.INTEGER, t.text());
      case FLOAT:
        next();
        return new Term.Constant(LiteralKind.FLOAT, t.text());
      case HEX:
        next();
        return new Term.Constant(LiteralKind.HEX, t.text());
      case UUID:
        next();
        return new Term.Constant(LiteralKind.UUID, t.text());
      case DURATION:
        next();
        return new Term.Constant(LiteralKind.DURATION, t.text());
      case QMARK, COLON:
        return bindMarker();
      case LBRACKET:
        return listLiteral();
      case LBRACE:
        return braceLiteral();
      case LPAREN:
        return parenthesisedTerm();
      case IDENT, QUOTED_IDENT:
        break;
      default:
        throw noViable("a term (constant, bind marker, collection, function call)");
    }
    if (t.is(TokenType.IDENT)) {
      switch (t.text().toLowerCase(Locale.ROOT)) {
        case "true", "false":
          next();
          return new Term.Constant(LiteralKind.BOOLEAN, t.text().toLowerCase(Locale.ROOT));
        case "null":
          next();
          return new Term.Null();
        case "nan":
          next();
          return new Term.Constant(LiteralKind.FLOAT, "NaN");
        case "infinity":
          next();
          return new Term.Constant(LiteralKind.FLOAT, "Infinity");
        default:
          break;
      }
    }
    if (peek(1).is(TokenType.LPAREN) || qualifiedCallAhead()) {
      QualifiedName fn = functionName();
      expect(TokenType.LPAREN);
      List<Term> args = new ArrayList<>();
      if (!at(TokenType.RPAREN)) {
        do {
          args.add(term());
        } while (accept(TokenType.COMMA));
      }
      expect(TokenType.RPAREN);
      return new Term.FunctionCall(fn, args);
    }
    throw noViable("a term (constant, bind marker, collection, function call)");
  }

  private BindMarker bindMarker() {
    if (accept(TokenType.QMARK)) {
      return newMarker(null);
    }
    expect(TokenType.COLON);
    return newMarker(identifier());
  }

  private Term listLiteral() {
    expect(TokenType.LBRACKET);
    List<Term> elements = new ArrayList<>();
    if (!at(TokenType.RBRACKET)) {
      do {
        elements.add(term());
      } while (accept(TokenType.COMMA));
    }
    expect(TokenType.RBRACKET);
    return new Term.ListLiteral(elements);
  }

  private Term braceLiteral() {
    expect(TokenType.LBRACE);
    if (accept(TokenType.RBRACE)) {
      return new Term.MapLiteral(List.of());
    }
    if (isIdentifierToken(peek()) && peek(1).is(TokenType.COLON)) {
      List<Term.Field> fields = new ArrayList<>();
      do {
        String name = identifier();
        expect(TokenType.COLON);
        fields.add(new Term.Field(name, term()));
      } while (accept(TokenType.COMMA));
      expect(TokenType.RBRACE);
      return new Term.UdtLiteral(fields);
    }
    Term first = term();
    if (accept(TokenType.COLON)) {
      List<Term.Entry> entries = new ArrayList<>();
      entries.add(new Term.Entry(first, term()));
      while (accept(TokenType.COMMA)) {
        Term k = term();
        expect(TokenType.COLON);
        entries.add(new Term.Entry(k, term()));
      }
      expect(TokenType.RBRACE);
      return new Term.MapLiteral(entries);
    }
    List<Term> elements = new ArrayList<>();
    elements.add(first);
    while (accept(TokenType.COMMA)) {
      elements.add(term());
    }
    expect(TokenType.RBRACE);
    return new Term.SetLiteral(elements);
  }

  private Term parenthesisedTerm() {
    expect(TokenType.LPAREN);
    TypeExpr hint = tryTypeHint();
    if (hint != null) {
      return new Term.TypeCast(hint, unaryTerm());
    }
    Term first = term();
    if (!accept(TokenType.COMMA)) {
      expect(TokenType.RPAREN);
      return first;
    }
    List<Term> elements = new ArrayList<>();
    elements.add(first);
    do {
      elements.add(term());
    } while (accept(TokenType.COMMA));
    expect(TokenType.RPAREN);
    return new Term.TupleLiteral(elements);
  }

  /**
   * After '(' : if a type and ')' follow, consumes them and returns the type; otherwise leaves
   * the position unchanged and returns null (a term can never be a bare name, so there is no
   * ambiguity with an expression).
   */
  private TypeExpr tryTypeHint() {
    Token t = peek();
    boolean candidate = (t.is(TokenType.IDENT) || t.is(TokenType.QUOTED_IDENT))
        && !peek(1).is(TokenType.LPAREN)
        && !LITERAL_WORDS.contains(t.text().toLowerCase(Locale.ROOT));
    if (!candidate) {
      return null;
    }
    int save = pos;
    try {
      TypeExpr type = type();
      if (accept(TokenType.RPAREN)) {
        return type;
      }
    } catch (MeridianException notAType) {
      // fall through: not a type hint
    }
    pos = save;
    return null;
  }

  private Term inValues() {
    if (at(TokenType.QMARK) || at(TokenType.COLON)) {
      return bindMarker();
    }
    expect(TokenType.LPAREN);
    List<Term> values = new ArrayList<>();
    if (!at(TokenType.RPAREN)) {
      do {
        values.add(term());
      } while (accept(TokenType.COMMA));
    }
    expect(TokenType.RPAREN);
    return new Term.InValues(values);
  }

  private Term.Constant constant() {
    Token t = peek();
    boolean constantStart = switch (t.type()) {
      case STRING, INTEGER, FLOAT, HEX, UUID, DURATION, MINUS -> true;
      case IDENT -> Set.of("true", "false", "nan", "infinity")
          .contains(t.text().toLowerCase(Locale.ROOT));
      default -> false;
    };
    if (!constantStart) {
      throw mismatched("a constant");
    }
    Term term = unaryTerm();
    if (term instanceof Term.Constant c) {
      return c;
    }
    throw MeridianException.syntax(t.position() + " mismatched input '" + t.display()
        + "' expecting a constant");
  }

  // ---------------------------------------------------------------- types

  private TypeExpr type() {
    enter();
    try {
      Token t = peek();
      if (t.is(TokenType.STRING)) {
        next();
        return new TypeExpr.Custom(t.text());
      }
      if (t.is(TokenType.IDENT) && peek(1).is(TokenType.LT)) {
        String word = t.text().toLowerCase(Locale.ROOT);
        switch (word) {
          case "frozen": {
            pos += 2;
            TypeExpr inner = type();
            expect(TokenType.GT);
            return new TypeExpr.Frozen(inner);
          }
          case "list", "set": {
            pos += 2;
            TypeExpr element = type();
            expect(TokenType.GT);
            return new TypeExpr.Collection(word.equals("list") ? TypeExpr.CollectionKind.LIST
                : TypeExpr.CollectionKind.SET, List.of(element));
          }
          case "map": {
            pos += 2;
            TypeExpr key = type();
            expect(TokenType.COMMA);
            TypeExpr value = type();
            expect(TokenType.GT);
            return new TypeExpr.Collection(TypeExpr.CollectionKind.MAP, List.of(key, value));
          }
          case "tuple": {
            pos += 2;
            List<TypeExpr> elements = new ArrayList<>();
            do {
              elements.add(type());
            } while (accept(TokenType.COMMA));
            expect(TokenType.GT);
            return new TypeExpr.Tuple(elements);
          }
          case "vector": {
            pos += 2;
            TypeExpr element = type();
            expect(TokenType.COMMA);
            Token dim = expect(TokenType.INTEGER);
            expect(TokenType.GT);
            int dimension;
            try {
              dimension = Integer.parseInt(dim.text());
            } catch (NumberFormatException e) {
              throw MeridianException.syntax(dim.position() + " vector dimension '" + dim.text()
                  + "' is not a valid int");
            }
            return new TypeExpr.Vector(element, dimension);
          }
          default:
            break;
        }
      }
      if (t.is(TokenType.IDENT) && TypeExpr.isNativeName(t.text())
          && !peek(1).is(TokenType.DOT)) {
        next();
        return new TypeExpr.Native(t.text().toLowerCase(Locale.ROOT));
      }
      if (!isIdentifierToken(t)) {
        throw mismatched("a type");
      }
      return new TypeExpr.UserType(qualifiedName());
    } finally {
      depth--;
    }
  }

  // ---------------------------------------------------------------- WHERE and IF

  private List<Relation> relations() {
    List<Relation> out = new ArrayList<>();
    do {
      out.add(relation());
    } while (acceptKeyword("AND"));
    return out;
  }

  private Relation relation() {
    if (at(TokenType.LPAREN)) {
      List<String> columns = identifierList();
      Operator op = relationOperator();
      Term value = op == Operator.IN ? inValues() : term();
      return new Relation.MultiColumnRelation(columns, op, value);
    }
    if (atKeyword("TOKEN") && peek(1).is(TokenType.LPAREN)) {
      next();
      List<String> columns = identifierList();
      Operator op = relationOperator();
      Term value = op == Operator.IN ? inValues() : term();
      return new Relation.TokenRelation(columns, op, value);
    }
    if (!isIdentifierToken(peek())) {
      throw noViable("a column name, token(...) or a column tuple");
    }
    String column = identifier();
    Term key = null;
    String field = null;
    if (accept(TokenType.LBRACKET)) {
      key = term();
      expect(TokenType.RBRACKET);
    } else if (accept(TokenType.DOT)) {
      field = identifier();
    }
    if (key == null && field == null && atKeyword("IS")) {
      next();
      expectKeyword("NOT");
      expectKeyword("NULL");
      return new Relation.IsNotNull(column);
    }
    Operator op = relationOperator();
    Term value = op == Operator.IN ? inValues() : term();
    return new Relation.ColumnRelation(column, key, op, value, field);
  }

  private Operator relationOperator() {
    Token t = peek();
    Operator op = switch (t.type()) {
      case EQ -> Operator.EQ;
      case NEQ -> Operator.NEQ;
      case LT -> Operator.LT;
      case LTE -> Operator.LTE;
      case GT -> Operator.GT;
      case GTE -> Operator.GTE;
      default -> null;
    };
    if (op != null) {
      next();
      return op;
    }
    if (acceptKeyword("IN")) {
      return Operator.IN;
    }
    if (acceptKeyword("LIKE")) {
      return Operator.LIKE;
    }
    if (acceptKeyword("CONTAINS")) {
      return acceptKeyword("KEY") ? Operator.CONTAINS_KEY : Operator.CONTAINS;
    }
    throw mismatched("an operator (=, !=, <, <=, >, >=, IN, CONTAINS, CONTAINS KEY, LIKE)");
  }

  /** Parses an optional IF clause; returns true for IF EXISTS, else fills {@code conditions}. */
  private boolean ifClause(List<Condition> conditions) {
    if (!acceptKeyword("IF")) {
      return false;
    }
    if (acceptKeyword("EXISTS")) {
      return true;
    }
    do {
      String column = identifier();
      Term key = null;
      String field = null;
      if (accept(TokenType.LBRACKET)) {
        key = term();
        expect(TokenType.RBRACKET);
      } else if (accept(TokenType.DOT)) {
        field = identifier();
      }
      Operator op = relationOperator();
      Term value = op == Operator.IN ? inValues() : term();
      conditions.add(new Condition(column, key, field, op, value));
    } while (acceptKeyword("AND"));
    return false;
  }

  // ---------------------------------------------------------------- writes

  private Attributes usingClause(boolean timestampOnly) {
    if (!acceptKeyword("USING")) {
      return Attributes.NONE;
    }
    Term ttl = null;
    Term timestamp = null;
    do {
      Token t = peek();
      if (!timestampOnly && acceptKeyword("TTL")) {
        if (ttl != null) {
          throw MeridianException.syntax(t.position() + " TTL given twice in USING clause");
        }
        ttl = term();
      } else if (acceptKeyword("TIMESTAMP")) {
        if (timestamp != null) {
          throw MeridianException.syntax(t.position() + " TIMESTAMP given twice in USING clause");
        }
        timestamp = term();
      } else {
        throw mismatched(timestampOnly ? "TIMESTAMP" : "TTL or TIMESTAMP");
      }
    } while (acceptKeyword("AND"));
    return new Attributes(ttl, timestamp);
  }

  private ModificationStatement insert() {
    int firstMarker = markers.size();
    expectKeyword("INSERT");
    expectKeyword("INTO");
    QualifiedName table = qualifiedName();
    if (acceptKeyword("JSON")) {
      Term json = at(TokenType.STRING) ? primaryTerm() : null;
      if (json == null) {
        if (!at(TokenType.QMARK) && !at(TokenType.COLON)) {
          throw mismatched("a JSON string or a bind marker");
        }
        json = bindMarker();
      }
      boolean defaultUnset = false;
      if (acceptKeyword("DEFAULT")) {
        if (acceptKeyword("UNSET")) {
          defaultUnset = true;
        } else {
          expectKeyword("NULL");
        }
      }
      boolean ifNotExists = ifNotExists();
      Attributes attrs = usingClause(false);
      return new InsertJson(table, json, defaultUnset, ifNotExists, attrs,
          markersSince(firstMarker));
    }
    Token open = peek();
    List<String> columns = identifierList();
    expectKeyword("VALUES");
    expect(TokenType.LPAREN);
    List<Term> values = new ArrayList<>();
    do {
      values.add(term());
    } while (accept(TokenType.COMMA));
    expect(TokenType.RPAREN);
    if (columns.size() != values.size()) {
      throw MeridianException.invalid("Unmatched column names/values: " + columns.size()
          + " columns but " + values.size() + " values (at " + open.position() + ")");
    }
    boolean ifNotExists = ifNotExists();
    Attributes attrs = usingClause(false);
    return new Insert(table, columns, values, ifNotExists, attrs, markersSince(firstMarker));
  }

  private Update update() {
    int firstMarker = markers.size();
    expectKeyword("UPDATE");
    QualifiedName table = qualifiedName();
    Attributes attrs = usingClause(false);
    expectKeyword("SET");
    List<Assignment> assignments = new ArrayList<>();
    do {
      assignments.add(assignment());
    } while (accept(TokenType.COMMA));
    expectKeyword("WHERE");
    List<Relation> where = relations();
    List<Condition> conditions = new ArrayList<>();
    boolean ifExists = ifClause(conditions);
    return new Update(table, attrs, assignments, where, ifExists, conditions,
        markersSince(firstMarker));
  }

  private Assignment assignment() {
    String column = identifier();
    if (accept(TokenType.LBRACKET)) {
      Term key = term();
      expect(TokenType.RBRACKET);
      expect(TokenType.EQ);
      return new Assignment.SetElement(column, key, term());
    }
    if (accept(TokenType.DOT)) {
      String field = identifier();
      expect(TokenType.EQ);
      return new Assignment.SetField(column, field, term());
    }
    if (accept(TokenType.PLUS_EQ)) {
      return new Assignment.Add(column, term());
    }
    if (accept(TokenType.MINUS_EQ)) {
      return new Assignment.Subtract(column, term());
    }
    expect(TokenType.EQ);
    if (bareIdentifierAt(0)) {
      Token other = peek();
      sameColumn(column, identifier(), other);
      if (accept(TokenType.PLUS)) {
        return new Assignment.Add(column, term());
      }
      if (accept(TokenType.MINUS)) {
        return new Assignment.Subtract(column, term());
      }
      throw mismatched("'+' or '-'");
    }
    Term value = term();
    if (at(TokenType.PLUS) && bareIdentifierAt(1)) {
      next();
      Token other = peek();
      sameColumn(column, identifier(), other);
      return new Assignment.Prepend(column, value);
    }
    return new Assignment.SetValue(column, value);
  }

  private static void sameColumn(String column, String other, Token at) {
    if (!column.equals(other)) {
      throw MeridianException.invalid("Only expressions of the form X = <value> + X, X = X + "
          + "<value> or X = X - <value> are supported, found " + other + " for column " + column
          + " at " + at.position());
    }
  }

  private Delete delete() {
    int firstMarker = markers.size();
    expectKeyword("DELETE");
    List<DeleteTarget> targets = new ArrayList<>();
    if (!atKeyword("FROM")) {
      do {
        String column = identifier();
        Term key = null;
        String field = null;
        if (accept(TokenType.LBRACKET)) {
          key = term();
          expect(TokenType.RBRACKET);
        } else if (accept(TokenType.DOT)) {
          field = identifier();
        }
        targets.add(new DeleteTarget(column, key, field));
      } while (accept(TokenType.COMMA));
    }
    expectKeyword("FROM");
    QualifiedName table = qualifiedName();
    Attributes attrs = usingClause(true);
    expectKeyword("WHERE");
    List<Relation> where = relations();
    List<Condition> conditions = new ArrayList<>();
    boolean ifExists = ifClause(conditions);
    return new Delete(targets, table, attrs, where, ifExists, conditions,
        markersSince(firstMarker));
  }

  private Batch batch() {
    int firstMarker = markers.size();
    expectKeyword("BEGIN");
    Batch.BatchType type = Batch.BatchType.LOGGED;
    if (acceptKeyword("UNLOGGED")) {
      type = Batch.BatchType.UNLOGGED;
    } else if (acceptKeyword("COUNTER")) {
      type = Batch.BatchType.COUNTER;
    }
    expectKeyword("BATCH");
    Attributes attrs = usingClause(true);
    List<ModificationStatement> statements = new ArrayList<>();
    while (!atKeyword("APPLY")) {
      if (atKeyword("INSERT")) {
        statements.add(insert());
      } else if (atKeyword("UPDATE")) {
        statements.add(update());
      } else if (atKeyword("DELETE")) {
        statements.add(delete());
      } else {
        throw mismatched("INSERT, UPDATE, DELETE or APPLY BATCH");
      }
      accept(TokenType.SEMICOLON);
    }
    expectKeyword("APPLY");
    expectKeyword("BATCH");
    return new Batch(type, attrs, statements, markersSince(firstMarker));
  }

  // ---------------------------------------------------------------- DDL

  private Statement create() {
    Token start = next();
    boolean custom = false;
    if (atKeyword("CUSTOM")) {
      next();
      if (!atKeyword("INDEX")) {
        throw mismatched("INDEX");
      }
      custom = true;
    }
    Token what = peek();
    String word = what.is(TokenType.IDENT) ? what.text().toUpperCase(Locale.ROOT) : "";
    switch (word) {
      case "KEYSPACE", "SCHEMA": {
        next();
        boolean ine = ifNotExists();
        String name = identifier();
        expectKeyword("WITH");
        return new CreateKeyspace(name, ine, properties());
      }
      case "TABLE", "COLUMNFAMILY":
        next();
        return createTable();
      case "TYPE": {
        next();
        boolean ine = ifNotExists();
        QualifiedName name = qualifiedName();
        expect(TokenType.LPAREN);
        List<Schema.FieldDefinition> fields = new ArrayList<>();
        do {
          String field = identifier();
          fields.add(new Schema.FieldDefinition(field, type()));
        } while (accept(TokenType.COMMA));
        expect(TokenType.RPAREN);
        return new CreateType(name, ine, fields);
      }
      case "INDEX":
        next();
        return createIndex(custom);
      case "MATERIALIZED":
        next();
        expectKeyword("VIEW");
        return createView();
      case "ROLE":
        next();
        return createRole(false);
      case "USER":
        next();
        return createRole(true);
      case "FUNCTION", "AGGREGATE", "TRIGGER", "OR":
        throw notSupported(start, "CREATE " + word);
      default:
        throw noViable("KEYSPACE, TABLE, TYPE, INDEX, MATERIALIZED VIEW, ROLE or USER");
    }
  }

  private CreateTable createTable() {
    boolean ine = ifNotExists();
    QualifiedName name = qualifiedName();
    expect(TokenType.LPAREN);
    List<Schema.ColumnDefinition> columns = new ArrayList<>();
    Schema.PrimaryKey pk = null;
    do {
      if (at(TokenType.RPAREN)) {
        break; // a trailing comma before ')' is tolerated
      }
      Token start = peek();
      if (atKeyword("PRIMARY")) {
        next();
        expectKeyword("KEY");
        if (pk != null) {
          throw MeridianException.invalid("Multiple PRIMARY KEYs specified (exactly one "
              + "required), second one at " + start.position());
        }
        pk = primaryKeySpec();
        continue;
      }
      String column = identifier();
      TypeExpr type = type();
      boolean isStatic = acceptKeyword("STATIC");
      if (atKeyword("PRIMARY")) {
        next();
        expectKeyword("KEY");
        if (pk != null) {
          throw MeridianException.invalid("Multiple PRIMARY KEYs specified (exactly one "
              + "required), second one at " + start.position());
        }
        pk = new Schema.PrimaryKey(List.of(column), List.of());
      }
      columns.add(new Schema.ColumnDefinition(column, type, isStatic));
    } while (accept(TokenType.COMMA));
    expect(TokenType.RPAREN);
    if (pk == null) {
      pk = new Schema.PrimaryKey(List.of(), List.of());
    }
    List<Schema.ClusteringOrder> order = new ArrayList<>();
    List<Property> props = new ArrayList<>();
    boolean compact = false;
    if (acceptKeyword("WITH")) {
      compact = tableOptions(order, props, true);
    }
    return new CreateTable(name, ine, columns, pk, order, compact, props);
  }

  private Schema.PrimaryKey primaryKeySpec() {
    expect(TokenType.LPAREN);
    List<String> partition;
    if (at(TokenType.LPAREN)) {
      partition = identifierList();
    } else {
      partition = List.of(identifier());
    }
    List<String> clustering = new ArrayList<>();
    while (accept(TokenType.COMMA)) {
      clustering.add(identifier());
    }
    expect(TokenType.RPAREN);
    return new Schema.PrimaryKey(partition, clustering);
  }

  /** Parses table options after WITH; returns whether COMPACT STORAGE was given. */
  private boolean tableOptions(List<Schema.ClusteringOrder> order, List<Property> props,
      boolean allowLayout) {
    boolean compact = false;
    do {
      Token start = peek();
      if (atKeyword("COMPACT") && peek(1).isKeyword("STORAGE")) {
        if (!allowLayout) {
          throw MeridianException.syntax(start.position() + " COMPACT STORAGE is only allowed "
              + "when creating a table");
        }
        pos += 2;
        compact = true;
      } else if (atKeyword("CLUSTERING") && peek(1).isKeyword("ORDER")) {
        if (!allowLayout) {
          throw MeridianException.syntax(start.position() + " CLUSTERING ORDER is only allowed "
              + "when creating a table or view");
        }
        pos += 2;
        expectKeyword("BY");
        expect(TokenType.LPAREN);
        do {
          String col = identifier();
          boolean desc = false;
          if (acceptKeyword("DESC")) {
            desc = true;
          } else {
            acceptKeyword("ASC");
          }
          order.add(new Schema.ClusteringOrder(col, desc));
        } while (accept(TokenType.COMMA));
        expect(TokenType.RPAREN);
      } else {
        props.add(property());
      }
    } while (acceptKeyword("AND"));
    return compact;
  }

  private List<Property> properties() {
    List<Property> out = new ArrayList<>();
    do {
      out.add(property());
    } while (acceptKeyword("AND"));
    return out;
  }

  private Property property() {
    String name = identifier();
    expect(TokenType.EQ);
    return new Property(name, propertyValue());
  }

  private Property.Value propertyValue() {
    if (accept(TokenType.LBRACE)) {
      Map<String, String> entries = new LinkedHashMap<>();
      if (!at(TokenType.RBRACE)) {
        do {
          Token keyTok = peek();
          String key = constant().text();
          expect(TokenType.COLON);
          String value = constant().text();
          if (entries.put(key, value) != null) {
            throw MeridianException.syntax(keyTok.position() + " duplicate key '" + key
                + "' in option map");
          }
        } while (accept(TokenType.COMMA));
      }
      expect(TokenType.RBRACE);
      return new Property.MapValue(entries);
    }
    if (isIdentifierToken(peek())) {
      return new Property.Identifier(identifier());
    }
    return new Property.Literal(constant());
  }

  private CreateIndex createIndex(boolean custom) {
    boolean ine = ifNotExists();
    String indexName = null;
    if (!atKeyword("ON")) {
      indexName = identifier();
    }
    expectKeyword("ON");
    QualifiedName table = qualifiedName();
    expect(TokenType.LPAREN);
    List<Schema.IndexTarget> targets = new ArrayList<>();
    do {
      Schema.IndexTargetKind kind = Schema.IndexTargetKind.SIMPLE;
      if (peek().is(TokenType.IDENT) && peek(1).is(TokenType.LPAREN)) {
        String word = peek().text().toUpperCase(Locale.ROOT);
        switch (word) {
          case "KEYS", "VALUES", "ENTRIES", "FULL" -> kind = Schema.IndexTargetKind.valueOf(word);
          default -> throw mismatched("a column name, KEYS(, VALUES(, ENTRIES( or FULL(");
        }
        next();
        next();
        targets.add(new Schema.IndexTarget(identifier(), kind));
        expect(TokenType.RPAREN);
      } else {
        targets.add(new Schema.IndexTarget(identifier(), kind));
      }
    } while (accept(TokenType.COMMA));
    expect(TokenType.RPAREN);
    String usingClass = null;
    if (acceptKeyword("USING")) {
      usingClass = expect(TokenType.STRING).text();
    }
    List<Property> props = List.of();
    if (acceptKeyword("WITH")) {
      props = properties();
    }
    return new CreateIndex(indexName, table, ine, custom, targets, usingClass, props);
  }

  private CreateMaterializedView createView() {
    boolean ine = ifNotExists();
    QualifiedName name = qualifiedName();
    expectKeyword("AS");
    Token selectStart = peek();
    Select select = select();
    if (!select.bindMarkers().isEmpty()) {
      throw MeridianException.invalid("Cannot use bind markers in CREATE MATERIALIZED VIEW "
          + "statements (select at " + selectStart.position() + ")");
    }
    expectKeyword("PRIMARY");
    expectKeyword("KEY");
    Schema.PrimaryKey pk = primaryKeySpec();
    List<Schema.ClusteringOrder> order = new ArrayList<>();
    List<Property> props = new ArrayList<>();
    if (acceptKeyword("WITH")) {
      if (tableOptions(order, props, true)) {
        throw MeridianException.invalid("Cannot use COMPACT STORAGE with materialized views");
      }
    }
    return new CreateMaterializedView(name, ine, select, pk, order, props);
  }

  private String roleName() {
    if (at(TokenType.STRING)) {
      return next().text();
    }
    return identifier();
  }

  private Statement createRole(boolean user) {
    boolean ine = ifNotExists();
    String name = roleName();
    List<Property> options = user ? userOptions() : roleOptions();
    return new CreateRole(name, ine, user, options);
  }

  private List<Property> roleOptions() {
    if (!acceptKeyword("WITH")) {
      return List.of();
    }
    List<Property> out = new ArrayList<>();
    do {
      Token start = peek();
      if (atKeyword("ACCESS")) {
        throw MeridianException.syntax(start.position()
            + " ACCESS TO DATACENTERS role options are not supported yet");
      }
      String name;
      if (atKeyword("HASHED") && peek(1).isKeyword("PASSWORD")) {
        pos += 2;
        name = "hashed_password";
      } else {
        name = identifier();
      }
      switch (name) {
        case "password", "hashed_password", "login", "superuser", "options" -> { }
        default -> throw MeridianException.syntax(start.position() + " unknown role option '"
            + name + "', expecting PASSWORD, HASHED PASSWORD, LOGIN, SUPERUSER or OPTIONS");
      }
      expect(TokenType.EQ);
      out.add(new Property(name, propertyValue()));
    } while (acceptKeyword("AND"));
    return out;
  }

  /** The legacy USER form: {@code [WITH [HASHED] PASSWORD 'p'] [SUPERUSER | NOSUPERUSER]}. */
  private List<Property> userOptions() {
    List<Property> out = new ArrayList<>();
    if (acceptKeyword("WITH")) {
      String name = "password";
      if (acceptKeyword("HASHED")) {
        name = "hashed_password";
      }
      expectKeyword("PASSWORD");
      out.add(new Property(name, new Property.Literal(
          Term.Constant.string(expect(TokenType.STRING).text()))));
    }
    if (acceptKeyword("SUPERUSER")) {
      out.add(new Property("superuser", new Property.Literal(
          new Term.Constant(LiteralKind.BOOLEAN, "true"))));
    } else if (acceptKeyword("NOSUPERUSER")) {
      out.add(new Property("superuser", new Property.Literal(
          new Term.Constant(LiteralKind.BOOLEAN, "false"))));
    }
    return out;
  }

  private Statement alter() {
    Token start = next();
    Token what = peek();
    String word = what.is(TokenType.IDENT) ? what.text().toUpperCase(Locale.ROOT) : "";
    switch (word) {
      case "KEYSPACE", "SCHEMA": {
        next();
        boolean ie = ifExists();
        String name = identifier();
        expectKeyword("WITH");
        return new AlterKeyspace(name, ie, properties());
      }
      case "TABLE", "COLUMNFAMILY":
        next();
        return alterTable();
      case "TYPE":
        next();
        return alterType();
      case "MATERIALIZED": {
        next();
        expectKeyword("VIEW");
        boolean ie = ifExists();
        QualifiedName name = qualifiedName();
        expectKeyword("WITH");
        return new AlterMaterializedView(name, ie, properties());
      }
      case "ROLE", "USER": {
        next();
        boolean user = word.equals("USER");
        boolean ie = ifExists();
        String name = roleName();
        return new AlterRole(name, ie, user, user ? userOptions() : roleOptions());
      }
      default:
        throw noViable("KEYSPACE, TABLE, TYPE, MATERIALIZED VIEW, ROLE or USER after "
            + start.text().toUpperCase(Locale.ROOT));
    }
  }

  private AlterTable alterTable() {
    boolean ie = ifExists();
    QualifiedName name = qualifiedName();
    Token verb = peek();
    if (acceptKeyword("ADD")) {
      boolean ine = ifNotExists();
      List<Schema.ColumnDefinition> columns = new ArrayList<>();
      if (accept(TokenType.LPAREN)) {
        do {
          columns.add(columnDefinition());
        } while (accept(TokenType.COMMA));
        expect(TokenType.RPAREN);
      } else {
        columns.add(columnDefinition());
      }
      return new AlterTable(name, ie, new AlterTableAction.AddColumns(ine, columns));
    }
    if (acceptKeyword("DROP")) {
      if (atKeyword("COMPACT") && peek(1).isKeyword("STORAGE")) {
        throw notSupported(verb, "ALTER TABLE DROP COMPACT STORAGE");
      }
      boolean dropIfExists = ifExists();
      List<String> columns = at(TokenType.LPAREN) ? identifierList() : List.of(identifier());
      Term.Constant ts = null;
      if (acceptKeyword("USING")) {
        expectKeyword("TIMESTAMP");
        ts = constant();
      }
      return new AlterTable(name, ie, new AlterTableAction.DropColumns(dropIfExists, columns, ts));
    }
    if (acceptKeyword("RENAME")) {
      boolean renameIfExists = ifExists();
      return new AlterTable(name, ie,
          new AlterTableAction.RenameColumns(renameIfExists, renames()));
    }
    if (acceptKeyword("WITH")) {
      List<Property> props = new ArrayList<>();
      tableOptions(new ArrayList<>(), props, false);
      return new AlterTable(name, ie, new AlterTableAction.SetOptions(props));
    }
    if (atKeyword("ALTER")) {
      throw notSupported(verb, "ALTER TABLE ... ALTER");
    }
    throw mismatched("ADD, DROP, RENAME or WITH");
  }

  private Schema.ColumnDefinition columnDefinition() {
    String column = identifier();
    TypeExpr type = type();
    return new Schema.ColumnDefinition(column, type, acceptKeyword("STATIC"));
  }

  private List<Schema.Rename> renames() {
    List<Schema.Rename> out = new ArrayList<>();
    do {
      String from = identifier();
      expectKeyword("TO");
      out.add(new Schema.Rename(from, identifier()));
    } while (acceptKeyword("AND"));
    return out;
  }

  private AlterType alterType() {
    boolean ie = ifExists();
    QualifiedName name = qualifiedName();
    if (acceptKeyword("ADD")) {
      boolean ine = ifNotExists();
      String field = identifier();
      return new AlterType(name, ie,
          new AlterTypeAction.AddField(ine, new Schema.FieldDefinition(field, type())));
    }
    if (acceptKeyword("RENAME")) {
      boolean renameIfExists = ifExists();
      return new AlterType(name, ie, new AlterTypeAction.RenameFields(renameIfExists, renames()));
    }
    if (acceptKeyword("ALTER")) {
      String field = identifier();
      expectKeyword("TYPE");
      return new AlterType(name, ie, new AlterTypeAction.AlterField(field, type()));
    }
    throw mismatched("ADD, ALTER or RENAME");
  }

  private Statement drop() {
    Token start = next();
    Token what = peek();
    String word = what.is(TokenType.IDENT) ? what.text().toUpperCase(Locale.ROOT) : "";
    switch (word) {
      case "KEYSPACE", "SCHEMA": {
        next();
        boolean ie = ifExists();
        return new DropKeyspace(identifier(), ie);
      }
      case "TABLE", "COLUMNFAMILY": {
        next();
        boolean ie = ifExists();
        return new DropTable(qualifiedName(), ie);
      }
      case "TYPE": {
        next();
        boolean ie = ifExists();
        return new DropType(qualifiedName(), ie);
      }
      case "INDEX": {
        next();
        boolean ie = ifExists();
        return new DropIndex(qualifiedName(), ie);
      }
      case "MATERIALIZED": {
        next();
        expectKeyword("VIEW");
        boolean ie = ifExists();
        return new DropMaterializedView(qualifiedName(), ie);
      }
      case "ROLE", "USER": {
        next();
        boolean ie = ifExists();
        return new DropRole(roleName(), ie, word.equals("USER"));
      }
      case "FUNCTION", "AGGREGATE", "TRIGGER":
        throw notSupported(start, "DROP " + word);
      default:
        throw noViable("KEYSPACE, TABLE, TYPE, INDEX, MATERIALIZED VIEW, ROLE or USER after DROP");
    }
  }
}
