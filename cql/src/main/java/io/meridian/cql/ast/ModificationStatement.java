package io.meridian.cql.ast;

/** INSERT, UPDATE and DELETE: the statements allowed inside a batch. */
public sealed interface ModificationStatement extends Statement
    permits Insert, InsertJson, Update, Delete {
  QualifiedName table();

  Attributes attributes();
}
