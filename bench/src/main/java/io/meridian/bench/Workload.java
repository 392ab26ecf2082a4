package io.meridian.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One benchmark profile: the tables it needs, an optional preload, and a stream of operations.
 * Implementations only build statements; {@link LoadRunner} executes and measures them.
 */
interface Workload {

  enum OpKind { READ, WRITE }

  /**
   * One request to send. {@code rowsExpectedMin} is checked against the first result page of a
   * read; a read that returns fewer rows is counted as a miss (a correctness signal, not an error).
   */
  record Op(OpKind kind, Statement<?> statement, int rowsExpectedMin) {}

  String name();

  /** CREATE TABLE statements (IF NOT EXISTS), in order; the keyspace already exists. */
  List<String> createTablesCql();

  /** Keyspace-qualified table names, used by --reset to drop them first. */
  List<String> tableNames();

  /** Prepares every statement the workload uses. Called once, after the tables exist. */
  void prepare(CqlSession session);

  /** Number of preload writes; 0 when the workload does not read existing data. */
  long preloadCount();

  /** The {@code index}-th preload write, {@code 0 <= index < preloadCount()}. */
  Statement<?> preloadStatement(long index);

  /** Next measured operation. Called concurrently; {@code random} belongs to the caller thread. */
  Op next(SplittableRandom random);
}
