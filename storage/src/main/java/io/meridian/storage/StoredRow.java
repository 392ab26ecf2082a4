package io.meridian.storage;

import java.util.List;

/**
 * A row as read back, already reconciled: only live cells (tombstoned, shadowed and expired cells
 * are removed). {@code liveness} is the primary-key liveness timestamp, or -1 if the row exists
 * only through its cells. A row with no live cells and no live liveness marker is not returned.
 */
public record StoredRow(byte[] clustering, long livenessMicros, int livenessTtlSeconds,
                        int livenessLocalDeletionTime, List<Cell> cells) {}
