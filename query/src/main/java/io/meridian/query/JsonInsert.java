package io.meridian.query;

import io.meridian.common.MeridianException;
import io.meridian.cql.ast.BindMarker;
import io.meridian.cql.ast.Insert;
import io.meridian.cql.ast.InsertJson;
import io.meridian.cql.ast.Term;
import io.meridian.schema.ColumnMetadata;
import io.meridian.schema.TableMetadata;
import io.meridian.types.CqlTypes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * INSERT JSON as Cassandra runs it: the JSON object is decoded against the table's columns and the
 * statement becomes a plain INSERT of every column. Columns missing from the object are null
 * (DEFAULT NULL, the default: they are deleted) or unset (DEFAULT UNSET: left untouched).
 *
 * <p>The decoded values are appended to the statement's bound values and the columns receive bind
 * markers pointing at them, so the resulting {@link Insert} goes through exactly the code a
 * hand-written INSERT does (key checks, TTL and timestamp, IF NOT EXISTS).
 */
final class JsonInsert {
  /** The INSERT equivalent to an INSERT JSON, with the terms that resolve its markers. */
  record Expanded(Insert insert, Terms terms) {}

  private JsonInsert() {}

  static Expanded expand(TableMetadata table, InsertJson statement, Terms terms) {
    Map<String, Object> object = decodeObject(jsonText(statement.json(), terms));
    List<String> columns = new ArrayList<>();
    List<ByteBuffer> decoded = new ArrayList<>();
    for (ColumnMetadata c : table.columns()) {
      // containsKey: an explicit JSON null is a null value, an absent key takes the default.
      if (object.containsKey(c.name())) {
        Object v = object.remove(c.name());
        columns.add(c.name());
        decoded.add(v == null ? null : decode(c, v));
      } else {
        columns.add(c.name());
        decoded.add(statement.defaultUnset() ? BoundValues.UNSET : null);
      }
    }
    if (!object.isEmpty()) {
      throw MeridianException.invalid("JSON values map contains unrecognized column: " + object.keySet().iterator().next());
    }
    // The statement's own markers keep their indices and values; the decoded values follow them.
    List<BindMarker> markers = new ArrayList<>(statement.bindMarkers());
    List<ByteBuffer> values = new ArrayList<>(Collections.nCopies(markers.size(), (ByteBuffer) null));
    for (BindMarker m : statement.bindMarkers()) {
      values.set(m.index(), terms.values().get(m));
    }
    List<Term> valueTerms = new ArrayList<>(columns.size());
    for (ByteBuffer v : decoded) {
      BindMarker marker = new BindMarker(markers.size(), null);
      markers.add(marker);
      valueTerms.add(marker);
      values.add(v);
    }
    Insert insert = new Insert(statement.table(), columns, valueTerms, statement.ifNotExists(), statement.attributes(), markers);
    BoundValues bound = BoundValues.of(values, Map.of(), Collections.nCopies(values.size(), ""));
    return new Expanded(insert, terms.withValues(bound));
  }

  private static String jsonText(Term json, Terms terms) {
    ByteBuffer v = terms.evaluate(json, CqlTypes.TEXT, JsonSelection.COLUMN);
    if (v == null) {
      throw MeridianException.invalid("Got null for INSERT JSON values");
    }
    if (BoundValues.isUnset(v)) {
      throw MeridianException.invalid("Invalid unset value for INSERT JSON values");
    }
    return StandardCharsets.UTF_8.decode(v.duplicate()).toString();
  }

  /** The JSON object, keys folded to column names (quoted keys keep their case). */
  private static Map<String, Object> decodeObject(String json) {
    Object parsed;
    try {
      parsed = JsonParser.parse(json);
    } catch (JsonParser.JsonSyntaxException e) {
      throw MeridianException.invalid("Could not decode JSON string as a map: " + e.getMessage() + ". (String was: " + json + ")");
    }
    if (parsed == null) {
      throw MeridianException.invalid("Got null for INSERT JSON values");
    }
    if (!(parsed instanceof Map<?, ?> map)) {
      throw MeridianException.invalid("Could not decode JSON string as a map: expected a JSON object, got a "
          + JsonCodec.className(parsed) + ". (String was: " + json + ")");
    }
    return JsonCodec.caseSensitiveKeys(map);
  }

  private static ByteBuffer decode(ColumnMetadata c, Object v) {
    try {
      return JsonCodec.fromJson(c.type(), v);
    } catch (JsonCodec.JsonValueException e) {
      throw MeridianException.invalid("Error decoding JSON value for " + c.name() + ": " + e.getMessage());
    }
  }
}
