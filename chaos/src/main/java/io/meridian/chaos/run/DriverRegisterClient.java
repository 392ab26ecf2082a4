package io.meridian.chaos.run;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.Node;

import java.time.Duration;

import java.util.ArrayList;
import java.util.List;

/**
 * The workload over CQL with the DataStax Java driver. Registers live in
 * {@code registers (k text PRIMARY KEY, v bigint)}, sets in {@code items (bucket text, item bigint,
 * PRIMARY KEY (bucket, item))}, one partition per set.
 *
 * <p>Register writes are lightweight transactions too ({@code UPDATE ... IF EXISTS}): a plain write
 * carries the client's timestamp and an LWT the server's, and Cassandra does not promise
 * linearizability when the two are mixed. {@code plainWrites} switches to plain QUORUM writes for
 * runs that want to probe exactly that. Register reads are SERIAL, QUORUM or both ({@link RegisterReads}):
 * Meridian promises that both are linearizable. No statement is idempotent, so the driver never retries one
 * that may have been applied.
 */
public final class DriverRegisterClient implements RegisterClient {
    private static final Duration DDL_TIMEOUT = Duration.ofSeconds(60);
    private final CqlSession session;
    private final boolean ownsSession;
    private final PreparedStatement read;
    private final PreparedStatement write;
    private final PreparedStatement cas;
    private final PreparedStatement create;
    private final PreparedStatement insert;
    private final PreparedStatement readSet;
    private final RegisterReads registerReads;
    /** Reads so far, to alternate the level of mixed reads. */
    private final java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();

    public DriverRegisterClient(CqlSession session, String keyspace, boolean plainWrites, RegisterReads registerReads,
                                boolean ownsSession) {
        this.session = session;
        this.registerReads = registerReads;
        this.ownsSession = ownsSession;
        String ks = keyspace + ".";
        read = session.prepare("SELECT v FROM " + ks + "registers WHERE k = ?");
        write = session.prepare("UPDATE " + ks + "registers SET v = ? WHERE k = ?" + (plainWrites ? "" : " IF EXISTS"));
        cas = session.prepare("UPDATE " + ks + "registers SET v = ? WHERE k = ? IF v = ?");
        create = session.prepare("INSERT INTO " + ks + "registers (k, v) VALUES (?, ?) IF NOT EXISTS");
        insert = session.prepare("INSERT INTO " + ks + "items (bucket, item) VALUES (?, ?)");
        readSet = session.prepare("SELECT item FROM " + ks + "items WHERE bucket = ?");
    }

    /** Creates the keyspace (replicated to {@code replicas} nodes) and the tables if missing. */
    public static void createSchema(CqlSession session, String keyspace, int replicas) {
        ddl(session, "CREATE KEYSPACE IF NOT EXISTS " + keyspace
            + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': " + replicas + "}");
        ddl(session, "CREATE TABLE IF NOT EXISTS " + keyspace + ".registers (k text PRIMARY KEY, v bigint)");
        ddl(session, "CREATE TABLE IF NOT EXISTS " + keyspace
            + ".items (bucket text, item bigint, PRIMARY KEY (bucket, item))");
    }

    /** Schema changes wait for every node to agree, which takes longer than a data request. */
    private static void ddl(CqlSession session, String cql) {
        session.execute(SimpleStatement.newInstance(cql).setTimeout(DDL_TIMEOUT));
    }

    @Override
    public Long read(String key) {
        ConsistencyLevel level = registerReads.levelOf(reads.getAndIncrement());
        Row row = session.execute(read.bind(key).setConsistencyLevel(level).setIdempotent(true)).one();
        return row == null || row.isNull(0) ? null : row.getLong(0);
    }

    @Override
    public boolean write(String key, long value) {
        ResultSet rs = session.execute(write.bind(value, key).setConsistencyLevel(ConsistencyLevel.QUORUM)
            .setSerialConsistencyLevel(ConsistencyLevel.SERIAL).setIdempotent(false));
        return rs.wasApplied();
    }

    @Override
    public CasResult cas(String key, Long expected, long value) {
        ResultSet rs = expected == null
            ? session.execute(create.bind(key, value).setConsistencyLevel(ConsistencyLevel.QUORUM)
                .setSerialConsistencyLevel(ConsistencyLevel.SERIAL).setIdempotent(false))
            : session.execute(cas.bind(value, key, expected).setConsistencyLevel(ConsistencyLevel.QUORUM)
                .setSerialConsistencyLevel(ConsistencyLevel.SERIAL).setIdempotent(false));
        if (rs.wasApplied()) {
            return new CasResult(true, value);
        }
        // Not applied: the row of the answer carries the current value (absent if there is no row).
        Row row = rs.one();
        Long current = row == null || !row.getColumnDefinitions().contains("v") || row.isNull("v")
            ? null : row.getLong("v");
        Node coordinator = rs.getExecutionInfo().getCoordinator();
        return new CasResult(false, current, coordinator == null ? null : coordinator.getEndPoint().toString());
    }

    @Override
    public void insert(String set, long value) {
        session.execute(insert.bind(set, value).setConsistencyLevel(ConsistencyLevel.QUORUM).setIdempotent(false));
    }

    @Override
    public List<Long> readSet(String set) {
        return items(session.execute(readSet.bind(set).setConsistencyLevel(ConsistencyLevel.QUORUM)));
    }

    private static List<Long> items(ResultSet rows) {
        List<Long> out = new ArrayList<>();
        for (Row row : rows) {
            out.add(row.getLong(0));
        }
        return out;
    }

    @Override
    public List<String> nodes() {
        return session.getMetadata().getNodes().values().stream().map(n -> n.getEndPoint().toString()).sorted().toList();
    }

    @Override
    public List<Long> readSetAtOne(String set, String node) {
        Node target = session.getMetadata().getNodes().values().stream()
            .filter(n -> n.getEndPoint().toString().equals(node)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no node " + node + " in the driver's metadata"));
        return items(session.execute(readSet.bind(set).setConsistencyLevel(ConsistencyLevel.ONE).setNode(target)));
    }

    @Override
    public void close() {
        if (ownsSession) {
            session.close();
        }
    }
}
