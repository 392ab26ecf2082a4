package io.meridian.storage.rocks;

import java.util.Arrays;

/** Identity of a cell within a row: column name, then collection path (unsigned bytes). */
record CellName(String column, byte[] path) implements Comparable<CellName> {
  static CellName of(io.meridian.storage.Cell cell) {
    return new CellName(cell.column(), cell.path());
  }

  @Override
  public int compareTo(CellName o) {
    int c = column.compareTo(o.column);
    return c != 0 ? c : Arrays.compareUnsigned(path, o.path);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CellName n && n.column.equals(column) && Arrays.equals(n.path, path);
  }

  @Override
  public int hashCode() {
    return column.hashCode() * 31 + Arrays.hashCode(path);
  }
}
