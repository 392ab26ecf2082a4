package io.meridian.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SnapshotTriggerTest {
  private final AtomicInteger asks = new AtomicInteger();
  private final AtomicInteger sizeLookups = new AtomicInteger();
  private final AtomicLong tabletBytes = new AtomicLong();

  private SnapshotTrigger trigger(long everyEntries) {
    return new SnapshotTrigger(everyEntries, 4, () -> {
      sizeLookups.incrementAndGet();
      return tabletBytes.get();
    }, asks::incrementAndGet);
  }

  private static void apply(SnapshotTrigger t, int entries, long bytesEach) {
    for (int i = 0; i < entries; i++) {
      t.applied(bytesEach);
    }
  }

  @Test
  void aSmallTabletIsSnapshottedEveryEveryEntries() {
    SnapshotTrigger t = trigger(100);
    tabletBytes.set(1_000);
    apply(t, 99, 100);
    assertEquals(0, asks.get(), "not before 100 entries");
    t.applied(100);
    assertEquals(1, asks.get());
    apply(t, 50, 100);
    assertEquals(1, asks.get(), "asked once while the request is out");
    t.taken();
    t.answered();
    apply(t, 99, 100);
    assertEquals(1, asks.get(), "the count starts again after a snapshot");
    t.applied(100);
    assertEquals(2, asks.get());
  }

  @Test
  void aLargeTabletWaitsUntilTheLogHoldsAQuarterOfItsSize() {
    SnapshotTrigger t = trigger(100);
    tabletBytes.set(100_000); // a quarter is 25,000 log bytes: 250 entries of 100 bytes
    apply(t, 249, 100);
    assertEquals(0, asks.get(), "24,900 log bytes rewrite 100,000: not yet");
    // Looked up at 100 entries, then every tenth of 100 more: not for every entry.
    assertEquals(15, sizeLookups.get());
    apply(t, 1, 100);
    assertEquals(1, asks.get(), "25,000 log bytes");
  }

  @Test
  void aRequestAnsweredWithoutASnapshotIsRepeatedOnlyAfterATenthMore() {
    SnapshotTrigger t = trigger(100);
    apply(t, 100, 10);
    assertEquals(1, asks.get());
    t.answered(); // refused, nothing taken
    apply(t, 9, 10);
    assertEquals(1, asks.get());
    t.applied(10);
    assertEquals(2, asks.get());
  }

  @Test
  void withoutTheSizeRuleOnlyEntriesCount() {
    SnapshotTrigger t = new SnapshotTrigger(100, 0, () -> {
      sizeLookups.incrementAndGet();
      return Long.MAX_VALUE;
    }, asks::incrementAndGet);
    apply(t, 100, 1);
    assertEquals(1, asks.get(), "a huge tablet does not hold the snapshot back");
    assertEquals(0, sizeLookups.get());
  }

  @Test
  void zeroEntriesTurnsSnapshotsOff() {
    SnapshotTrigger t = trigger(0);
    apply(t, 10_000, 1_000);
    assertEquals(0, asks.get());
    assertEquals(0, sizeLookups.get());
  }
}
