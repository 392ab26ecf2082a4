package io.meridian.index;

import io.meridian.schema.ColumnMetadata;
import io.meridian.schema.TableMetadata;
import io.meridian.storage.Cell;
import io.meridian.storage.IndexTerms;
import io.meridian.storage.TableIndexing;
import io.meridian.types.CqlType;
import io.meridian.types.CqlTypes;
import io.meridian.types.ListType;
import io.meridian.types.MapType;
import io.meridian.types.SetType;
import io.meridian.types.UserType;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A table's indexing as storage applies it: every regular and static column the table's indexing
 * policy covers (all of them by default), except counters (whose cells are deltas, not values).
 * The terms of a cell:
 *
 * <ul>
 *   <li>a simple or frozen column: its whole value ({@link IndexTerms#PART_VALUE});
 *   <li>a non-frozen set: each element ({@link IndexTerms#PART_ELEMENT}), held in the cell path;
 *   <li>a non-frozen list: each element, held in the cell value;
 *   <li>a non-frozen map: each key ({@link IndexTerms#PART_KEY}) and each value ({@code PART_ELEMENT});
 *   <li>a user-defined type, frozen or not: each field that has a value ({@link IndexTerms#PART_FIELD},
 *       by position), and a frozen one also its whole value.
 * </ul>
 *
 * Values are in the type's byte-comparable form, so a range of values is a range of terms.
 */
public final class SchemaIndexing implements TableIndexing {
  /** How one indexed column turns its cells into terms. */
  private record Column(ColumnMetadata metadata, String description) {}

  private final Map<String, Column> columns;
  private final Map<String, String> descriptions;

  private SchemaIndexing(Map<String, Column> columns) {
    this.columns = columns;
    Map<String, String> d = new TreeMap<>();
    columns.forEach((name, c) -> d.put(name, c.description()));
    this.descriptions = Collections.unmodifiableMap(d);
  }

  /**
   * The columns the table's indexing policy (the {@code indexing} table option) covers, plus any
   * column an explicit {@code CREATE INDEX} names: an index on an excluded column includes it.
   */
  public static SchemaIndexing of(TableMetadata table) {
    Map<String, Column> out = new LinkedHashMap<>();
    if (!table.isCounter()) {
      for (ColumnMetadata c : table.columns()) {
        if (indexable(c) && (table.params().indexingCovers(c.name()) || !table.indexesOn(c.name()).isEmpty())) {
          // The description names what the terms are: a change (fields indexed) rebuilds the entries.
          String fields = c.type() instanceof UserType ? " with fields" : "";
          out.put(c.name(), new Column(c, c.kind().schemaName() + " " + c.type().cqlName() + fields));
        }
      }
    }
    return new SchemaIndexing(out);
  }

  /** Regular and static columns whose cells hold values an index can order. */
  public static boolean indexable(ColumnMetadata c) {
    if (c.kind().isPrimaryKey() || c.type() == CqlTypes.COUNTER) {
      return false;
    }
    CqlType t = c.type();
    return !t.isMultiCell() || t instanceof SetType || t instanceof ListType || t instanceof MapType || t instanceof UserType;
  }

  public boolean indexes(String column) {
    return columns.containsKey(column);
  }

  @Override
  public Map<String, String> columns() {
    return descriptions;
  }

  @Override
  public void terms(Cell cell, Consumer<byte[]> out) {
    Column c = columns.get(cell.column());
    if (c == null || cell.value() == null) {
      return;
    }
    CqlType type = c.metadata().type();
    String name = cell.column();
    if (!type.isMultiCell()) {
      out.accept(IndexTerms.term(name, IndexTerms.PART_VALUE, comparable(type, cell.value())));
      if (type instanceof UserType udt) {
        List<ByteBuffer> fields = udt.fields(ByteBuffer.wrap(cell.value()));
        for (int i = 0; i < fields.size() && i < udt.fieldTypes().size(); i++) {
          if (fields.get(i) != null) {
            out.accept(fieldTerm(name, i, comparable(udt.fieldTypes().get(i), fields.get(i))));
          }
        }
      }
      return;
    }
    if (cell.path().length == 0) {
      return; // a whole-collection deletion marker of earlier builds, not an element
    }
    if (type instanceof UserType udt) {
      int position = cell.path().length == 2 ? ((cell.path()[0] & 0xFF) << 8) | (cell.path()[1] & 0xFF) : -1;
      if (position >= 0 && position < udt.fieldTypes().size()) {
        out.accept(fieldTerm(name, position, comparable(udt.fieldTypes().get(position), cell.value())));
      }
      return;
    }
    if (type instanceof SetType set) {
      out.accept(IndexTerms.term(name, IndexTerms.PART_ELEMENT, comparable(set.elementType(), cell.path())));
    } else if (type instanceof ListType list) {
      out.accept(IndexTerms.term(name, IndexTerms.PART_ELEMENT, comparable(list.elementType(), cell.value())));
    } else if (type instanceof MapType map) {
      out.accept(IndexTerms.term(name, IndexTerms.PART_KEY, comparable(map.keyType(), cell.path())));
      out.accept(IndexTerms.term(name, IndexTerms.PART_ELEMENT, comparable(map.valueType(), cell.value())));
    }
  }

  private static byte[] fieldTerm(String column, int position, byte[] comparableValue) {
    return IndexTerms.join(IndexTerms.fieldPrefix(column, position), comparableValue);
  }

  /** The term value of {@code value} of {@code type}, as queries build it for their bounds too. */
  public static byte[] comparable(CqlType type, byte[] value) {
    return type.toComparable(ByteBuffer.wrap(value));
  }

  public static byte[] comparable(CqlType type, ByteBuffer value) {
    return type.toComparable(value.duplicate());
  }
}
