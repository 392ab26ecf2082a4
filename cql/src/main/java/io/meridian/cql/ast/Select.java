package io.meridian.cql.ast;

import java.util.List;

/** {@code SELECT [JSON] [DISTINCT] selection FROM t [WHERE ...] [GROUP BY ...] [ORDER BY ...]
 * [PER PARTITION LIMIT n] [LIMIT n] [ALLOW FILTERING]}.
 *
 * @param wildcard true for {@code SELECT *}, in which case {@code selection} is empty
 * @param groupBy GROUP BY selectors (columns, or functions such as floor(ts, 1h))
 * @param perPartitionLimit the term, or null
 * @param limit the term, or null */
public record Select(boolean json, boolean distinct, boolean wildcard, List<SelectItem> selection,
    QualifiedName table, List<Relation> where, List<Selector> groupBy, List<Ordering> orderings,
    Term perPartitionLimit, Term limit, boolean allowFiltering, List<BindMarker> bindMarkers) implements Statement {
  public Select {
    selection = List.copyOf(selection);
    where = List.copyOf(where);
    groupBy = List.copyOf(groupBy);
    orderings = List.copyOf(orderings);
    bindMarkers = List.copyOf(bindMarkers);
  }
}
