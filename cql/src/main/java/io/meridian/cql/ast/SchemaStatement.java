package io.meridian.cql.ast;

import java.util.List;

/** DDL and role statements: they never carry bind markers. */
public sealed interface SchemaStatement extends Statement
    permits CreateKeyspace, AlterKeyspace, DropKeyspace, CreateTable, AlterTable, DropTable,
        Truncate, CreateType, AlterType, DropType, CreateIndex, DropIndex, CreateMaterializedView,
        AlterMaterializedView, DropMaterializedView, CreateRole, AlterRole, DropRole {
  @Override
  default List<BindMarker> bindMarkers() {
    return List.of();
  }
}
