package io.meridian.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@code bin/meridian decommission}'s argument handling; the removal itself is ClusterNodeTest's. */
class DecommissionCommandTest {
  @Test
  void missingOrBadArgumentsAreUsageErrors() {
    assertEquals(2, Main.removeMember("decommission", new String[] {"--seeds", "127.0.0.1:7000"}), "--node missing");
    assertEquals(2, Main.removeMember("decommission", new String[] {"--node", "127.0.0.1:7000"}), "--seeds missing");
    assertEquals(2, Main.removeMember("decommission", new String[] {"--seeds", "127.0.0.1:7000", "--node"}), "value missing");
    assertEquals(2, Main.removeMember("decommission", new String[] {"--seeds", "a:1", "--node", "b:1", "--timeout-s", "soon"}));
    assertEquals(2, Main.removeMember("decommission", new String[] {"--bogus", "x"}));
    assertEquals(0, Main.removeMember("decommission", new String[] {"--help"}));
    assertEquals(2, Main.removeMember("removenode", new String[] {"--seeds", "127.0.0.1:7000"}), "--node missing");
  }

  @Test
  void aClusterThatCannotBeReachedFailsWithStatusOne() {
    // Nothing listens on port 1: the metadata read fails after the client's retries (about 10 s).
    assertEquals(1, Main.removeMember("decommission", new String[] {"--seeds", "127.0.0.1:1", "--node", "127.0.0.1:1",
        "--cluster-name", "nowhere", "--timeout-s", "1"}));
  }
}
