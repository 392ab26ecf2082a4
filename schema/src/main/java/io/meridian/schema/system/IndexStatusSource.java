package io.meridian.schema.system;

import io.meridian.schema.TableMetadata;
import java.util.List;

/** Where system_views.indexes learns the state of a table's automatic indexes on this node. */
public interface IndexStatusSource {
  IndexStatusSource NONE = table -> List.of();

  /** The state of each indexed column of one column's index. */
  enum State {
    /** Complete: queries read it. */
    READY,
    /** Being built from the stored rows; queries scan meanwhile. */
    BUILDING,
    /** Not complete and not being built here (for example, nodes of a cluster do not build indexes yet). */
    NOT_BUILT
  }

  /** One indexed column: its state and, while building, the rows read so far. */
  record ColumnIndex(String column, State state, long rowsRead) {}

  /** One entry per column the table indexes. */
  List<ColumnIndex> status(TableMetadata table);
}
