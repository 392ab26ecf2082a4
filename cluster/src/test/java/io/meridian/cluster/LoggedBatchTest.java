package io.meridian.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meridian.schema.ColumnMetadata;
import io.meridian.schema.SchemaManager;
import io.meridian.storage.Cell;
import io.meridian.storage.DeletionTime;
import io.meridian.storage.Mutation;
import io.meridian.storage.PartitionData;
import io.meridian.storage.PartitionKey;
import io.meridian.storage.ReadRange;
import io.meridian.storage.RowUpdate;
import io.meridian.storage.StorageEngine.PartitionIterator;
import io.meridian.storage.TabletRanges;
import io.meridian.storage.TokenRange;
import io.meridian.storage.rocks.RocksStorageEngine;
import io.meridian.testsupport.Await;
import io.meridian.types.CqlTypes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Logged batches across tablets on three real nodes: applied whole, logged and unlogged, and
 * finished by another node's replayer when the coordinator dies halfway.
 */
class LoggedBatchTest {
  private static final int TABLETS = 4;
  private static final byte[] ROW = {1};
  private final Path root;
  private final List<Member> members = new ArrayList<>();

  LoggedBatchTest() throws IOException {
    root = Files.createTempDirectory("meridian-batchlog-");
  }

  /** A {@link LocalMember} with a router over it, as a node's query layer has. */
  private final class Member {
    final LocalMember local;
    RocksStorageEngine engine;
    SchemaManager schema;
    ClusterNode node;
    ClusterStorageEngine cluster;

    Member(int index) throws IOException {
      local = new LocalMember(root, index, TABLETS, settings -> settings);
    }

    void start(String seed, BatchSettings batchSettings) {
      local.start(seed);
      engine = local.engine;
      schema = local.schema;
      node = local.node;
      cluster = new ClusterStorageEngine(node, engine, batchSettings);
    }

    /** Stops the node as a crash would look to the others: its Raft server goes away. */
    void stop() {
      cluster.close();
      local.stop();
      node = null;
    }

    String address() {
      return local.address();
    }

    Optional<String> value(UUID table, PartitionKey key) {
      Optional<PartitionData> p = cluster.readPartition(table, key, ReadRange.all(), nowSeconds());
      return p.flatMap(d -> d.rows().stream().findFirst())
          .map(r -> new String(r.cells().get(0).value(), StandardCharsets.UTF_8));
    }

    int batchLogEntries() {
      int n = 0;
      try (PartitionIterator it = cluster.scan(BatchLog.TABLE_ID, TokenRange.FULL, null, ReadRange.all(),
          nowSeconds())) {
        while (it.hasNext()) {
          it.next();
          n++;
        }
      }
      return n;
    }
  }

  private UUID startClusterWithTable(BatchSettings batchSettings) throws IOException {
    for (int i = 0; i < 3; i++) {
      members.add(new Member(i));
    }
    for (Member m : members) {
      m.start(members.get(0).address(), batchSettings);
    }
    for (Member m : members) {
      await(() -> m.node.state().nodes().size() == 3, "three members seen by " + m.address());
    }
    members.get(0).schema.createKeyspace("ks", Map.of("replication",
        Map.of("class", "SimpleStrategy", "replication_factor", "3")), false);
    members.get(0).schema.createTable("ks", "t", List.of(
        ColumnMetadata.partitionKey("k", CqlTypes.INT, 0), ColumnMetadata.regular("v", CqlTypes.TEXT)), Map.of(), false);
    UUID table = members.get(0).schema.current().table("ks", "t").orElseThrow().id();
    for (Member m : members) {
      await(() -> m.node.state().placements().containsKey(table), "table placed on " + m.address());
    }
    return table;
  }

  /** A partition in tablet {@code tablet} of the table ({@code offset} apart within it). */
  private static PartitionKey keyIn(int tablet, int offset) {
    long token = TabletRanges.split(TABLETS).get(tablet).end() - offset;
    return new PartitionKey(token, ByteBuffer.allocate(8).putInt(tablet).putInt(offset).array());
  }

  private static Mutation write(UUID table, PartitionKey key, String value, long timestampMicros) {
    Cell cell = Cell.live("v", value.getBytes(StandardCharsets.UTF_8), timestampMicros);
    return new Mutation(table, key, DeletionTime.LIVE, List.of(),
        List.of(new RowUpdate(ROW, DeletionTime.LIVE, timestampMicros, 0, Cell.NO_DELETION_TIME, List.of(cell))));
  }

  @Test
  void aBatchAcrossTabletsIsLoggedAppliedWholeAndRemovedFromTheLog() throws IOException {
    UUID table = startClusterWithTable(new BatchSettings(30_000, 200));
    Member coordinator = members.get(1);
    TablePlacement log = coordinator.node.state().placements().get(BatchLog.TABLE_ID);
    assertEquals(3, log.tabletCount(), "one batch log tablet per node");
    assertTrue(log.replicas().stream().allMatch(r -> r.size() == 3), "each on three replicas");

    List<Mutation> batch = List.of(
        write(table, keyIn(0, 0), "a", 10), write(table, keyIn(1, 0), "b", 10),
        write(table, keyIn(3, 0), "c", 10), write(table, keyIn(0, 1), "d", 10));
    coordinator.cluster.applyAtomically(batch).join();

    assertEquals(1, coordinator.cluster.loggedBatches().batchesLogged());
    Member reader = members.get(2);
    assertEquals(Optional.of("a"), reader.value(table, keyIn(0, 0)));
    assertEquals(Optional.of("b"), reader.value(table, keyIn(1, 0)));
    assertEquals(Optional.of("c"), reader.value(table, keyIn(3, 0)));
    assertEquals(Optional.of("d"), reader.value(table, keyIn(0, 1)));
    assertEquals(Optional.empty(), reader.value(table, keyIn(2, 0)), "a tablet the batch does not touch");
    await(() -> reader.batchLogEntries() == 0, "the batch log entry removed after success");

    // The log write not confirmed: BATCH_LOG, and no part was sent.
    coordinator.cluster.loggedBatches().failLogWriteForTest = true;
    CompletionException lost = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
        () -> coordinator.cluster.applyAtomically(List.of(write(table, keyIn(1, 7), "x", 15),
            write(table, keyIn(2, 7), "y", 15))).join());
    assertEquals("BATCH_LOG", assertInstanceOf(BatchWriteTimeout.class, lost.getCause()).protocolWriteType());
    assertEquals(Optional.empty(), reader.value(table, keyIn(1, 7)));
    assertEquals(Optional.empty(), reader.value(table, keyIn(2, 7)));
    coordinator.cluster.loggedBatches().failLogWriteForTest = false;

    // One tablet only: one entry of that tablet's group, no batch log. The hook would fail any
    // logged batch, so passing proves the log was not used.
    coordinator.cluster.loggedBatches().stopAfterPartsForTest = 0;
    coordinator.cluster.applyAtomically(List.of(write(table, keyIn(2, 0), "e", 20),
        write(table, keyIn(2, 1), "f", 20))).join();
    // Unlogged: each mutation applied on its own, no batch log either.
    coordinator.cluster.apply(write(table, keyIn(0, 0), "g", 30)).join();
    coordinator.cluster.apply(write(table, keyIn(3, 0), "h", 30)).join();
    assertEquals(1, coordinator.cluster.loggedBatches().batchesLogged(), "no further batch logged");
    assertEquals(Optional.of("e"), reader.value(table, keyIn(2, 0)));
    assertEquals(Optional.of("f"), reader.value(table, keyIn(2, 1)));
    assertEquals(Optional.of("g"), reader.value(table, keyIn(0, 0)));
    assertEquals(Optional.of("h"), reader.value(table, keyIn(3, 0)));
    assertEquals(0, reader.batchLogEntries());
    for (Member m : members) {
      assertEquals(0, m.cluster.batchReplayer().batchesReplayed(), "nothing left to replay on " + m.address());
    }
  }

  @Test
  void aBatchLeftHalfAppliedByADeadCoordinatorIsFinishedByAnotherNode() throws IOException {
    UUID table = startClusterWithTable(new BatchSettings(4_000, 200));
    Member coordinator = members.get(1);
    coordinator.cluster.loggedBatches().stopAfterPartsForTest = 1;
    List<Mutation> batch = List.of(
        write(table, keyIn(0, 0), "a", 10), write(table, keyIn(1, 0), "b", 10),
        write(table, keyIn(2, 0), "c", 10), write(table, keyIn(1, 5), "d", 10));

    CompletionException failed = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
        () -> coordinator.cluster.applyAtomically(batch).join());
    BatchWriteTimeout timeout = assertInstanceOf(BatchWriteTimeout.class, failed.getCause());
    assertEquals("BATCH", timeout.protocolWriteType(), "logged, then a part failed");
    assertTrue(timeout.isWrite());

    Member survivor = members.get(0);
    // Half applied: the first tablet's part only, and the batch is in the log.
    assertEquals(Optional.of("a"), survivor.value(table, keyIn(0, 0)));
    assertEquals(Optional.empty(), survivor.value(table, keyIn(1, 0)));
    assertEquals(Optional.empty(), survivor.value(table, keyIn(2, 0)));
    assertEquals(1, survivor.batchLogEntries());
    // A newer write to a row of the batch: the replay must not undo it (each part keeps its timestamps).
    survivor.cluster.apply(write(table, keyIn(2, 0), "newer", 50)).join();

    coordinator.stop();

    await(() -> survivor.value(table, keyIn(1, 0)).isPresent(), "the replayer applies the missing parts");
    assertEquals(Optional.of("a"), survivor.value(table, keyIn(0, 0)));
    assertEquals(Optional.of("b"), survivor.value(table, keyIn(1, 0)));
    assertEquals(Optional.of("d"), survivor.value(table, keyIn(1, 5)));
    assertEquals(Optional.of("newer"), survivor.value(table, keyIn(2, 0)), "last write wins over the replay");
    await(() -> survivor.batchLogEntries() == 0, "the replayed entry removed");
    long replayed = members.get(0).cluster.batchReplayer().batchesReplayed()
        + members.get(2).cluster.batchReplayer().batchesReplayed();
    assertEquals(1, replayed, "replayed once, by the survivor leading its batch log tablet");
    assertEquals(Optional.of("b"), members.get(2).value(table, keyIn(1, 0)));
  }

  private static int nowSeconds() {
    return (int) (System.currentTimeMillis() / 1000);
  }

  private static void await(BooleanSupplier condition, String what) {
    Await.until(condition, what, java.time.Duration.ofSeconds(30));
  }

  @AfterEach
  void tearDown() throws IOException {
    for (Member m : members) {
      if (m.node != null) {
        m.stop();
      }
    }
    LocalMember.deleteTree(root);
  }
}
