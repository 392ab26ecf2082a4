package io.meridian.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time-series traffic on {@code sensor(id text, ts timestamp, value double)}, clustered newest
 * first. Preload writes {@code rowsPerSensor} points for every sensor so reads always find data.
 * The measured phase interleaves 50% appends (a new, strictly later timestamp for a random sensor)
 * and 50% reads of the latest {@code readLimit} points of a random sensor.
 */
final class TimeSeriesWorkload implements Workload {

  /** Keyspace-qualified, so the session never needs USE. */
  static final String TABLE = LoadGenerator.KEYSPACE + ".sensor";
  /** Fixed origin so runs with the same seed write the same timestamps. */
  static final long EPOCH_ORIGIN_MS = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();

  private final int sensors;
  private final int rowsPerSensor;
  private final int readLimit;
  private final String[] sensorIds;
  /** Timestamps are handed out from one counter, so every append lands after all earlier ones. */
  private final AtomicLong nextTsMs;

  private PreparedStatement insert;
  private PreparedStatement latest;

  TimeSeriesWorkload(int sensors, int rowsPerSensor, int readLimit) {
    this.sensors = sensors;
    this.rowsPerSensor = rowsPerSensor;
    this.readLimit = readLimit;
    this.sensorIds = new String[sensors];
    for (int i = 0; i < sensors; i++) {
      sensorIds[i] = String.format("sensor-%06d", i);
    }
    this.nextTsMs = new AtomicLong(EPOCH_ORIGIN_MS + (long) sensors * rowsPerSensor);
  }

  @Override
  public String name() {
    return "timeseries";
  }

  @Override
  public List<String> createTablesCql() {
    return List.of("CREATE TABLE IF NOT EXISTS " + TABLE + " ("
        + "id text, ts timestamp, value double, PRIMARY KEY (id, ts))"
        + " WITH CLUSTERING ORDER BY (ts DESC)");
  }

  @Override
  public List<String> tableNames() {
    return List.of(TABLE);
  }

  @Override
  public void prepare(CqlSession session) {
    insert = session.prepare("INSERT INTO " + TABLE + " (id, ts, value) VALUES (?, ?, ?)");
    latest = session.prepare("SELECT ts, value FROM " + TABLE + " WHERE id = ? LIMIT ?");
  }

  @Override
  public long preloadCount() {
    return (long) sensors * rowsPerSensor;
  }

  @Override
  public Statement<?> preloadStatement(long index) {
    // Round-robin over sensors so every sensor fills at the same pace.
    int sensor = (int) (index % sensors);
    Instant ts = Instant.ofEpochMilli(EPOCH_ORIGIN_MS + index);
    return insert.bind(sensorIds[sensor], ts, (double) index);
  }

  @Override
  public Op next(SplittableRandom random) {
    String id = sensorIds[random.nextInt(sensors)];
    if (random.nextBoolean()) {
      return new Op(OpKind.READ, latest.bind(id, readLimit), Math.min(readLimit, rowsPerSensor));
    }
    Instant ts = Instant.ofEpochMilli(nextTsMs.getAndIncrement());
    return new Op(OpKind.WRITE, insert.bind(id, ts, random.nextDouble() * 100.0), 0);
  }
}
