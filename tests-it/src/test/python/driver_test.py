"""Drives a running Meridian node with the Python driver (Debian's python3-cassandra).

Usage: /usr/bin/python3 driver_test.py HOST PORT
Exits non-zero, with the failing check printed, if any expectation does not hold. Run by
PythonDriverIT, which starts the node.
"""
import sys
import uuid
import datetime
import decimal
import json

from cassandra.cluster import Cluster
from cassandra.query import SimpleStatement, BatchStatement, BatchType
from cassandra import InvalidRequest
from cassandra.protocol import SyntaxException


def check(cond, what):
    if not cond:
        print("FAILED: " + what, file=sys.stderr)
        sys.exit(1)


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    cluster = Cluster([host], port=port, connect_timeout=10)
    session = cluster.connect()
    check(cluster.protocol_version >= 4, "negotiated protocol v4 or later, got %s" % cluster.protocol_version)

    session.execute("CREATE KEYSPACE IF NOT EXISTS py WITH replication = "
                    "{'class': 'SimpleStrategy', 'replication_factor': 1}")
    session.set_keyspace("py")
    session.execute("CREATE TABLE IF NOT EXISTS readings (sensor text, ts timestamp, value double, "
                    "note text, PRIMARY KEY (sensor, ts)) WITH CLUSTERING ORDER BY (ts DESC)")
    # The driver builds schema metadata from system_schema; the new table must be in it.
    cluster.refresh_schema_metadata()
    table = cluster.metadata.keyspaces["py"].tables["readings"]
    check([c.name for c in table.partition_key] == ["sensor"], "partition key metadata")
    check([c.name for c in table.clustering_key] == ["ts"], "clustering key metadata")

    insert = session.prepare("INSERT INTO readings (sensor, ts, value, note) VALUES (?, ?, ?, ?)")
    base = datetime.datetime(2024, 1, 1, 0, 0, 0)
    for i in range(250):
        session.execute(insert, ("s1", base + datetime.timedelta(minutes=i), float(i), "n%d" % i))

    # Newest first, because of CLUSTERING ORDER BY (ts DESC).
    rows = list(session.execute("SELECT ts, value FROM readings WHERE sensor = 's1' LIMIT 3"))
    check([r.value for r in rows] == [249.0, 248.0, 247.0], "DESC clustering order and LIMIT: %r" % rows)

    # Paging through the whole partition with a small fetch size.
    stmt = SimpleStatement("SELECT value FROM readings WHERE sensor = 's1'", fetch_size=40)
    values = [r.value for r in session.execute(stmt)]
    check(len(values) == 250, "paged read returned %d rows, expected 250" % len(values))
    check(values == sorted(values, reverse=True), "paged rows in clustering order")

    # IN on several partitions with ORDER BY: sorted across partitions, which needs paging off.
    for sensor in ("s7", "s8"):
        for minute in range(3):
            session.execute(insert, (sensor, base + datetime.timedelta(minutes=minute * 2 + (sensor == "s8")),
                                     float(minute), sensor))
    session.default_fetch_size = None
    merged = [r.note for r in session.execute(
        "SELECT note, ts FROM readings WHERE sensor IN ('s7', 's8') ORDER BY ts ASC LIMIT 5")]
    session.default_fetch_size = 5000
    check(merged == ["s7", "s8", "s7", "s8", "s7"], "IN + ORDER BY sorts across partitions: %r" % merged)

    batch = BatchStatement(batch_type=BatchType.LOGGED)
    batch.add(insert, ("s2", base, 1.0, "a"))
    batch.add(insert, ("s3", base, 2.0, "b"))
    session.execute(batch)
    count = session.execute("SELECT COUNT(*) FROM readings WHERE sensor IN ('s2', 's3')").one()[0]
    check(count == 2, "count after batch: %r" % count)

    session.execute("CREATE TABLE IF NOT EXISTS alltypes (k uuid PRIMARY KEY, a ascii, b bigint, bl blob, "
                    "bo boolean, d date, de decimal, db double, f float, i inet, n int, s smallint, t text, "
                    "tm time, ts timestamp, tu timeuuid, ti tinyint, v varint)")
    key = uuid.uuid4()
    session.execute("INSERT INTO alltypes (k, a, b, bl, bo, de, db, f, n, s, t, ti, v) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    (key, "ascii", 2 ** 40, b"\x01\x02", True, decimal.Decimal("3.14"), 2.5, 1.5,
                     7, 3, "text \u00e9", 1, 2 ** 70))
    row = session.execute("SELECT * FROM alltypes WHERE k = %s", (key,)).one()
    check(row.b == 2 ** 40 and row.bl == b"\x01\x02" and row.bo is True, "bigint/blob/boolean round trip")
    check(row.de == decimal.Decimal("3.14") and row.v == 2 ** 70 and row.t == "text \u00e9",
          "decimal/varint/text round trip: %r" % (row,))

    try:
        session.execute("SELECT * FROM no_such_table")
        check(False, "unknown table must fail")
    except InvalidRequest as e:
        check("no_such_table" in str(e), "message names the table: %s" % e)
    try:
        session.execute("SELEC * FROM readings")
        check(False, "bad syntax must fail")
    except SyntaxException:
        pass

    # Query tracing: the driver reads system_traces.sessions and .events for the session id.
    traced = session.execute(SimpleStatement("SELECT value FROM readings WHERE sensor = 's1' LIMIT 1"), trace=True)
    trace = traced.get_query_trace(max_wait_sec=10)
    check(trace.request_type == "Execute CQL3 query", "trace request type: %r" % trace.request_type)
    check(trace.parameters.get("query", "").startswith("SELECT value FROM readings"), "trace parameters: %r"
          % trace.parameters)
    check(trace.duration is not None and trace.duration.total_seconds() > 0, "trace duration: %r" % trace.duration)
    check(str(trace.coordinator) == host, "trace coordinator: %r" % trace.coordinator)
    activities = [e.description for e in trace.events]
    check("Executing single-partition query on py.readings" in activities, "trace events: %r" % activities)
    check(activities[-1] == "Request complete", "last trace event: %r" % activities)

    # Server warnings reach the driver; custom payloads are accepted and ignored.
    counted = session.execute("SELECT count(*) FROM readings")
    check(counted.response_future.warnings == ["Aggregation query used without partition key"],
          "server warnings: %r" % counted.response_future.warnings)
    with_payload = session.execute("SELECT count(*) FROM readings WHERE sensor = 's1'",
                                   custom_payload={"tenant": b"acme"})
    check(with_payload.one()[0] == 250, "custom payload query result")

    # Lightweight transactions: was_applied, and the current row when not applied.
    session.execute("CREATE TABLE accounts (id int PRIMARY KEY, owner text, balance int)")
    first = session.execute("INSERT INTO accounts (id, owner, balance) VALUES (1, 'ada', 100) IF NOT EXISTS")
    check(first.was_applied, "first INSERT IF NOT EXISTS applies")
    again = session.execute("INSERT INTO accounts (id, owner, balance) VALUES (1, 'bob', 5) IF NOT EXISTS")
    check(not again.was_applied and again.one().owner == "ada", "refused INSERT shows the row: %r" % (again.one(),))
    check(session.execute("UPDATE accounts SET balance = 90 WHERE id = 1 IF balance = 100").was_applied, "CAS applies")
    stale = session.execute("UPDATE accounts SET balance = 80 WHERE id = 1 IF balance = 100")
    check(not stale.was_applied and stale.one().balance == 90, "stale CAS reports the balance: %r" % (stale.one(),))

    # Counters.
    session.execute("CREATE TABLE hits (page text PRIMARY KEY, n counter)")
    for _ in range(5):
        session.execute("UPDATE hits SET n = n + 1 WHERE page = 'home'")
    check(session.execute("SELECT n FROM hits WHERE page = 'home'").one().n == 5, "counter total")

    # User-defined types, in values and in the driver's metadata.
    session.execute("CREATE TYPE address (street text, zip int)")
    session.execute("CREATE TABLE people (id int PRIMARY KEY, home frozen<address>)")
    session.execute("INSERT INTO people (id, home) VALUES (1, {street: 'Main', zip: 12345})")
    home = session.execute("SELECT home FROM people WHERE id = 1").one().home
    check(home.street == "Main" and home.zip == 12345, "UDT value: %r" % (home,))
    cluster.refresh_schema_metadata()
    check("address" in cluster.metadata.keyspaces["py"].user_types, "UDT in driver metadata")

    # JSON in and out.
    session.execute("INSERT INTO people JSON '{\"id\": 2, \"home\": {\"street\": \"Side\", \"zip\": 1}}'")
    as_json = session.execute("SELECT JSON id, home FROM people WHERE id = 2").one()[0]
    check(json.loads(as_json) == {"id": 2, "home": {"street": "Side", "zip": 1}}, "SELECT JSON: %r" % as_json)

    # A materialized view follows its base table.
    session.execute("CREATE MATERIALIZED VIEW accounts_by_owner AS SELECT owner, id, balance FROM accounts"
                    " WHERE owner IS NOT NULL AND id IS NOT NULL PRIMARY KEY (owner, id)")
    by_owner = session.execute("SELECT id, balance FROM accounts_by_owner WHERE owner = 'ada'").one()
    check(by_owner.id == 1 and by_owner.balance == 90, "view row: %r" % (by_owner,))
    session.execute("UPDATE accounts SET owner = 'eve' WHERE id = 1")
    check(session.execute("SELECT * FROM accounts_by_owner WHERE owner = 'ada'").one() is None, "old view row gone")
    cluster.refresh_schema_metadata()
    check("accounts_by_owner" in cluster.metadata.keyspaces["py"].views, "view in driver metadata")

    # Every regular column is indexed: filtering on one needs no index and no ALLOW FILTERING, and
    # pages through the driver; the indexing option shows in the driver-visible schema tables.
    session.execute("CREATE TABLE products (sku int PRIMARY KEY, category text, price int, tags set<text>)"
                    " WITH indexing = {'exclude': 'tags'}")
    insert = session.prepare("INSERT INTO products (sku, category, price, tags) VALUES (?, ?, ?, ?)")
    for sku in range(60):
        session.execute(insert, (sku, "cat%d" % (sku % 3), sku * 10, {"t%d" % (sku % 4)}))
    paged = SimpleStatement("SELECT sku FROM products WHERE category = 'cat1' AND price >= 200", fetch_size=4)
    skus = sorted(r.sku for r in session.execute(paged))
    check(skus == [s for s in range(20, 60) if s % 3 == 1], "indexed query through pages: %r" % skus)
    check(sorted(r.sku for r in session.execute("SELECT sku FROM products WHERE price IN (10, 30, 590)")) == [1, 3, 59],
          "indexed IN")
    try:
        session.execute("SELECT sku FROM products WHERE tags CONTAINS 't1'")
        check(False, "an excluded column needs ALLOW FILTERING")
    except InvalidRequest as e:
        check("ALLOW FILTERING" in str(e), "excluded column error: %s" % e)
    check(len(list(session.execute("SELECT sku FROM products WHERE tags CONTAINS 't1' ALLOW FILTERING"))) == 15,
          "ALLOW FILTERING on the excluded column")
    option = session.execute("SELECT indexing FROM system_schema.tables WHERE keyspace_name = 'py'"
                             " AND table_name = 'products'").one().indexing
    check(option == {"exclude": "tags"}, "indexing option in system_schema: %r" % (option,))
    states = {r.column_name: r.state for r in session.execute(
        "SELECT column_name, state FROM system_views.indexes WHERE keyspace_name = 'py' AND table_name = 'products'")}
    check(states == {"category": "ready", "price": "ready"}, "system_views.indexes: %r" % (states,))

    session.execute("DROP KEYSPACE py")
    cluster.shutdown()
    print("python driver checks passed")


if __name__ == "__main__":
    main()
