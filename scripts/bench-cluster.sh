#!/usr/bin/env bash
# Runs the benchmark workloads against a local Meridian cluster of N nodes (scripts/local-cluster.sh:
# node i on 127.0.0.(i+1):9042), a fresh cluster with empty data for every workload, and prints a
# markdown table. Compare with a single unreplicated node from scripts/bench-compare.sh
# (BENCH_SYSTEMS=meridian) run with the same load settings.
#
# Usage: scripts/bench-cluster.sh            (build first: mvn -q -DskipTests install)
#
# Environment (all optional):
#   CLUSTER_NODES        nodes                                   (default 3)
#   BENCH_RF             replication factor of the bench keyspace (default: the node count, max 3)
#   BENCH_WORKLOADS      workloads                               (default "insert read mixed timeseries")
#   BENCH_DURATION_S, BENCH_WARMUP_S, BENCH_CONCURRENCY, BENCH_KEYS, BENCH_THREADS, BENCH_CONSISTENCY,
#   BENCH_EXTRA_ARGS     as for scripts/bench-compare.sh (defaults 30, 10, 64, 100000, 2, LOCAL_ONE, none)
#   BENCH_OUT_DIR        logs and results.md                     (default bench/target/cluster-<UTC timestamp>)
#   MERIDIAN_JAVA_OPTS   JVM options of each node                (default -Xms1g -Xmx2g)
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"

NODES="${CLUSTER_NODES:-3}"
RF="${BENCH_RF:-$((NODES < 3 ? NODES : 3))}"
WORKLOADS="${BENCH_WORKLOADS:-insert read mixed timeseries}"
OUT_DIR="${BENCH_OUT_DIR:-$REPO_DIR/bench/target/cluster-$(date -u +%Y%m%dT%H%M%SZ)}"
BENCH_JAR="$REPO_DIR/bench/target/meridian-bench.jar"
export MERIDIAN_JAVA_OPTS="${MERIDIAN_JAVA_OPTS:--Xms1g -Xmx2g}"
export MERIDIAN_CLUSTER_DIR="$OUT_DIR/cluster"

if [[ ! -f "$BENCH_JAR" ]]; then
  echo "bench-cluster: $BENCH_JAR not found; build first with: mvn -q -DskipTests install" >&2
  exit 1
fi
mkdir -p "$OUT_DIR"
trap '"$SCRIPT_DIR/local-cluster.sh" stop >/dev/null 2>&1 || true' EXIT

results="$OUT_DIR/results.md"
for workload in $WORKLOADS; do
  "$SCRIPT_DIR/local-cluster.sh" wipe >/dev/null 2>&1 || true
  "$SCRIPT_DIR/local-cluster.sh" start "$NODES"
  # shellcheck disable=SC2086
  java -jar "$BENCH_JAR" --host 127.0.0.1 --port 9042 --workload "$workload" \
    --duration-s "${BENCH_DURATION_S:-30}" --warmup-s "${BENCH_WARMUP_S:-10}" \
    --concurrency "${BENCH_CONCURRENCY:-64}" --keys "${BENCH_KEYS:-100000}" --threads "${BENCH_THREADS:-2}" \
    --consistency "${BENCH_CONSISTENCY:-LOCAL_ONE}" --rf "$RF" --label "meridian-${NODES}n-rf${RF}" \
    ${BENCH_EXTRA_ARGS:-} --report "$results" \
    | tee "$OUT_DIR/$workload.log" || echo "bench-cluster: $workload run reported errors (see $OUT_DIR/$workload.log)" >&2
  "$SCRIPT_DIR/local-cluster.sh" stop
done
"$SCRIPT_DIR/local-cluster.sh" wipe >/dev/null 2>&1 || true
echo
cat "$results"
