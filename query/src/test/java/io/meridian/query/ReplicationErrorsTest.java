package io.meridian.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.datastax.oss.protocol.internal.ProtocolConstants.ConsistencyLevel;
import io.meridian.common.CqlErrorCode;
import io.meridian.common.MeridianException;
import io.meridian.common.ReplicaTimeout;
import io.meridian.common.ReplicasUnavailable;
import io.meridian.protocol.error.ReadTimeoutException;
import io.meridian.protocol.error.UnavailableException;
import io.meridian.protocol.error.WriteTimeoutException;
import io.meridian.schema.KeyspaceMetadata;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ReplicationErrorsTest {
  private static final KeyspaceMetadata RF3 = new KeyspaceMetadata("ks",
      Map.of("class", "org.apache.cassandra.locator.SimpleStrategy", "replication_factor", "3"), true, Map.of());
  private static final KeyspaceMetadata NTS_5 = new KeyspaceMetadata("ks",
      Map.of("class", "org.apache.cassandra.locator.NetworkTopologyStrategy", "dc1", "3", "dc2", "2"), true, Map.of());

  /** Stands for the replication module's exceptions, which the query layer does not see. */
  private static final class Timeout extends MeridianException implements ReplicaTimeout {
    private final boolean write;
    private final String type;

    Timeout(boolean write, String type) {
      super(write ? CqlErrorCode.WRITE_TIMEOUT : CqlErrorCode.READ_TIMEOUT, "no answer");
      this.write = write;
      this.type = type;
    }

    @Override
    public boolean isWrite() {
      return write;
    }

    @Override
    public String protocolWriteType() {
      return type;
    }
  }

  @Test
  void aWriteTimeoutCarriesTheLevelTheReplicasWaitedForAndTheWriteType() {
    Throwable t = ReplicationErrors.typed(new CompletionException(new Timeout(true, "CAS")), ConsistencyLevel.QUORUM,
        RF3, false);
    WriteTimeoutException e = (WriteTimeoutException) t;
    assertEquals(ConsistencyLevel.QUORUM, e.consistencyLevel());
    assertEquals(2, e.blockFor());
    assertEquals(0, e.received());
    assertEquals("CAS", e.writeType());
  }

  @Test
  void counterUpdatesTimeOutAsCounterWrites() {
    WriteTimeoutException e = (WriteTimeoutException) ReplicationErrors.typed(new Timeout(true, "CAS"),
        ConsistencyLevel.ONE, RF3, true);
    assertEquals("COUNTER", e.writeType());
    assertEquals(1, e.blockFor());
  }

  @Test
  void aReadTimeoutCountsEveryDataCenterForAll() {
    ReadTimeoutException e = (ReadTimeoutException) ReplicationErrors.typed(new Timeout(false, null),
        ConsistencyLevel.ALL, NTS_5, false);
    assertEquals(5, e.blockFor());
    assertEquals(ConsistencyLevel.ALL, e.consistencyLevel());
  }

  @Test
  void tooFewLiveReplicasBecomeUnavailableWithTheRequestsLevel() {
    UnavailableException e = (UnavailableException) ReplicationErrors.typed(
        new ReplicasUnavailable("1 of 3 up", 2, 1), ConsistencyLevel.LOCAL_QUORUM, RF3, false);
    assertEquals(ConsistencyLevel.LOCAL_QUORUM, e.consistencyLevel());
    assertEquals(2, e.required());
    assertEquals(1, e.alive());
  }

  @Test
  void otherFailuresPassUnchanged() {
    MeridianException invalid = MeridianException.invalid("bad");
    assertSame(invalid, ReplicationErrors.typed(invalid, ConsistencyLevel.ONE, RF3, false));
  }

  @Test
  void blockForFollowsCassandrasCounting() {
    assertEquals(1, ReplicationErrors.blockFor(ConsistencyLevel.LOCAL_ONE, 3));
    assertEquals(2, ReplicationErrors.blockFor(ConsistencyLevel.TWO, 3));
    assertEquals(3, ReplicationErrors.blockFor(ConsistencyLevel.SERIAL, 5));
    assertEquals(3, ReplicationErrors.blockFor(ConsistencyLevel.ALL, 3));
  }
}
