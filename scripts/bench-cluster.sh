#!/usr/bin/env bash
# Runs the benchmark workloads against a local cluster of N nodes on this machine, a fresh cluster
# with empty data for every workload, and prints a markdown table. The cluster is either Meridian
# (scripts/local-cluster.sh: node i on 127.0.0.(i+1):9042) or, for reference, Apache Cassandra 5
# (scripts/cassandra5-cluster.sh: node i on 127.0.0.i:9142, heap C5_HEAP each). Compare with a
# single unreplicated node from scripts/bench-compare.sh (BENCH_SYSTEMS=meridian or cassandra5) run
# with the same load settings.
#
# Usage: scripts/bench-cluster.sh                          Meridian, 3 nodes, RF 3
#        CLUSTER_SYSTEM=cassandra5 scripts/bench-cluster.sh  Cassandra 5, 3 nodes, RF 3
#        (build first: mvn -q -DskipTests install; Cassandra's jars are fetched on its first start)
#
# Environment (all optional):
#   CLUSTER_SYSTEM       meridian or cassandra5                  (default meridian)
#   CLUSTER_NODES        nodes                                   (default 3)
#   BENCH_RF             replication factor of the bench keyspace (default: the node count, max 3)
#   BENCH_WORKLOADS      workloads                               (default "insert read mixed timeseries")
#   BENCH_DURATION_S, BENCH_WARMUP_S, BENCH_CONCURRENCY, BENCH_KEYS, BENCH_THREADS, BENCH_CONSISTENCY,
#   BENCH_EXTRA_ARGS     as for scripts/bench-compare.sh (defaults 30, 10, 64, 100000, 2, LOCAL_ONE, none)
#   BENCH_OUT_DIR        logs, results.md and <workload>-cpu.tsv (default bench/target/cluster-<UTC timestamp>)
#   MERIDIAN_JAVA_OPTS   JVM options of each Meridian node       (default -Xms1g -Xmx2g)
#   C5_HEAP              heap of each Cassandra node             (default 2g; other C5_* as for cassandra5-cluster.sh)
#   CLUSTER_NODE_CPUS    cores each node may use, e.g. 0.25      (default: no limit). Each node's process
#                        goes into a cgroup (v1 cpu controller, needs root) of its own with that CFS
#                        quota once the cluster is up, so that N nodes on one machine stand for N hosts:
#                        a scale-out run gives 3 and 6 nodes the same per-node share. The load generator
#                        is not limited.
#   CLUSTER_NODE_CPUS_AFTER_S  seconds into each workload's run before the cap applies (default 0). The JIT
#                        compiler needs most of a core for the first minutes (benchmarks.md), which a small
#                        cap would stretch past any warm-up; set it below BENCH_WARMUP_S (300 of 480 s
#                        lets six nodes finish compiling: the jit_nodes columns of <workload>-cpu.tsv show it).
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"

SYSTEM="${CLUSTER_SYSTEM:-meridian}"
NODES="${CLUSTER_NODES:-3}"
RF="${BENCH_RF:-$((NODES < 3 ? NODES : 3))}"
WORKLOADS="${BENCH_WORKLOADS:-insert read mixed timeseries}"
OUT_DIR="${BENCH_OUT_DIR:-$REPO_DIR/bench/target/cluster-$(date -u +%Y%m%dT%H%M%SZ)}"
BENCH_JAR="$REPO_DIR/bench/target/meridian-bench.jar"
export MERIDIAN_JAVA_OPTS="${MERIDIAN_JAVA_OPTS:--Xms1g -Xmx2g}"
export MERIDIAN_CLUSTER_DIR="$OUT_DIR/cluster"
case "$SYSTEM" in
  meridian)
    CLUSTER="$SCRIPT_DIR/local-cluster.sh"
    PORT=9042 ;;
  cassandra5)
    CLUSTER="$SCRIPT_DIR/cassandra5-cluster.sh"
    PORT="${C5_NATIVE_PORT:-9142}"
    # Same disk as the Meridian cluster's data; wiped after every workload like it.
    export C5_CLUSTER_DIR="$OUT_DIR/cassandra5-cluster" ;;
  *)
    echo "bench-cluster: CLUSTER_SYSTEM must be meridian or cassandra5, got '$SYSTEM'" >&2
    exit 64 ;;
esac

if [[ ! -f "$BENCH_JAR" ]]; then
  echo "bench-cluster: $BENCH_JAR not found; build first with: mvn -q -DskipTests install" >&2
  exit 1
fi
mkdir -p "$OUT_DIR"

CGROUP_ROOT=/sys/fs/cgroup/cpu/meridian-bench-cluster
# The pid files of the running cluster's nodes (of either cluster script), in node order.
node_pidfiles() {
  local pidfile
  for pidfile in "$MERIDIAN_CLUSTER_DIR"/node*/meridian.pid "${C5_CLUSTER_DIR:-/nonexistent}"/node*/cassandra.pid; do
    [[ -f "$pidfile" ]] && echo "$pidfile"
  done
  return 0
}
# Puts each running node (pid files of either cluster script) into a cgroup of its own capped at
# CLUSTER_NODE_CPUS cores. cgroup.procs of cgroup v1 moves every thread of the process.
cap_node_cpus() {
  local period_us=10000 quota i=0 pidfile
  # A short period (10 ms) spreads the quota out: with the default 100 ms a node stalls for most
  # of each period once its share is used, up to 80 ms added to any round trip through it.
  quota="$(awk -v c="$CLUSTER_NODE_CPUS" -v p="$period_us" 'BEGIN { printf "%d", c * p }')"
  for pidfile in $(node_pidfiles); do
    kill -0 "$(cat "$pidfile")" 2>/dev/null || continue
    i=$((i + 1))
    mkdir -p "$CGROUP_ROOT/node$i"
    echo "$period_us" >"$CGROUP_ROOT/node$i/cpu.cfs_period_us"
    echo "$quota" >"$CGROUP_ROOT/node$i/cpu.cfs_quota_us"
    cat "$pidfile" >"$CGROUP_ROOT/node$i/cgroup.procs"
  done
  echo "bench-cluster: $i nodes capped at $CLUSTER_NODE_CPUS cores each" >&2
}
# Every 10 s, one line of where the machine's CPU went in the last 10 s, in cores: the host's busy
# and stolen time, each node process and the load generator, and how many of each capped node's
# CFS periods ran out of quota. Shows whether a run was limited by the nodes' caps, the load
# generator or the host.
sample_cpu() {
  local out="$1" tck prev_host="" prev_procs="" prev_thr="" host procs thr pidfile line
  tck="$(getconf CLK_TCK)"
  printf 'seconds\thost_busy\thost_steal\tnodes...\tload_generator\tjit_nodes...\tthrottled_periods...\n' >"$out"
  local start=$SECONDS
  while sleep 10; do
    host="$(awk '/^cpu / { print $2+$3+$4+$6+$7+$8+$9, $9 }' /proc/stat)"
    procs=""
    for pidfile in $(node_pidfiles); do
      procs+="$(proc_ticks "$(cat "$pidfile")") "
    done
    procs+="$(proc_ticks "$(pgrep -f -n "$BENCH_JAR" || echo 0)")"
    for pidfile in $(node_pidfiles); do
      procs+=" $(jit_ticks "$(cat "$pidfile")")"
    done
    thr=""
    for line in "$CGROUP_ROOT"/node*/cpu.stat; do
      [[ -f "$line" ]] && thr+="$(awk '/^nr_throttled/ { print $2 }' "$line") "
    done
    if [[ -n "$prev_host" ]]; then
      awk -v t="$tck" -v s="$((SECONDS - start))" -v h="$host" -v ph="$prev_host" -v p="$procs" -v pp="$prev_procs" \
          -v r="$thr" -v pr="$prev_thr" 'BEGIN {
        split(h, a, " "); split(ph, b, " "); line = s "\t" sprintf("%.2f\t%.2f", (a[1]-b[1])/t/10, (a[2]-b[2])/t/10)
        # A compiler thread that exits takes its ticks with it: such a difference counts as 0.
        n = split(p, c, " "); split(pp, d, " "); for (i = 1; i <= n; i++) line = line "\t" sprintf("%.2f", (c[i] > d[i] ? c[i]-d[i] : 0)/t/10)
        n = split(r, e, " "); split(pr, f, " "); for (i = 1; i <= n; i++) line = line "\t" (e[i]-f[i])
        print line }' >>"$out"
    fi
    prev_host="$host" prev_procs="$procs" prev_thr="$thr"
  done
}
# utime + stime of a process in clock ticks; 0 once it has gone.
proc_ticks() {
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0
}
# utime + stime of a JVM's JIT compiler threads (C1, C2) in clock ticks. Builtins only: this runs
# over every thread of every node every 10 s.
jit_ticks() {
  local task comm stat total=0
  local -a f
  for task in /proc/"$1"/task/*; do
    read -r comm 2>/dev/null <"$task/comm" || continue
    [[ "$comm" == C[12]" CompilerThre"* ]] || continue
    read -r stat 2>/dev/null <"$task/stat" || continue
    read -r -a f <<<"${stat##*) }"
    total=$((total + f[11] + f[12]))
  done
  echo "$total"
}
# Empty cgroups can be removed; their processes have exited by then.
remove_cgroups() {
  [[ -d "$CGROUP_ROOT" ]] || return 0
  rmdir "$CGROUP_ROOT"/node* "$CGROUP_ROOT" 2>/dev/null || true
}
if [[ -n "${CLUSTER_NODE_CPUS:-}" && ! -w /sys/fs/cgroup/cpu ]]; then
  echo "bench-cluster: CLUSTER_NODE_CPUS needs a writable cgroup v1 cpu controller at /sys/fs/cgroup/cpu" >&2
  exit 1
fi
sampler=""
# Under set -e a failing command ends the trap with its status: the sampler is gone already after
# a complete run, so its kill must not fail the script.
trap '[[ -z "$sampler" ]] || kill "$sampler" 2>/dev/null || true; "$CLUSTER" stop >/dev/null 2>&1 || true; remove_cgroups' EXIT

results="$OUT_DIR/results.md"
for workload in $WORKLOADS; do
  "$CLUSTER" wipe >/dev/null 2>&1 || true
  "$CLUSTER" start "$NODES"
  sample_cpu "$OUT_DIR/$workload-cpu.tsv" &
  sampler=$!
  capper=""
  if [[ -n "${CLUSTER_NODE_CPUS:-}" ]]; then
    (sleep "${CLUSTER_NODE_CPUS_AFTER_S:-0}"; cap_node_cpus) &
    capper=$!
  fi
  # shellcheck disable=SC2086
  java -jar "$BENCH_JAR" --host 127.0.0.1 --port "$PORT" --workload "$workload" \
    --duration-s "${BENCH_DURATION_S:-30}" --warmup-s "${BENCH_WARMUP_S:-10}" \
    --concurrency "${BENCH_CONCURRENCY:-64}" --keys "${BENCH_KEYS:-100000}" --threads "${BENCH_THREADS:-2}" \
    --consistency "${BENCH_CONSISTENCY:-LOCAL_ONE}" --rf "$RF" --label "${SYSTEM}-${NODES}n-rf${RF}${CLUSTER_NODE_CPUS:+-cpu$CLUSTER_NODE_CPUS}" \
    ${BENCH_EXTRA_ARGS:-} --report "$results" \
    | tee "$OUT_DIR/$workload.log" || echo "bench-cluster: $workload run reported errors (see $OUT_DIR/$workload.log)" >&2
  # A run shorter than the delay must not leave the cap to fall on the next workload's cluster.
  [[ -z "$capper" ]] || kill "$capper" 2>/dev/null || true
  kill "$sampler" 2>/dev/null || true
  "$CLUSTER" stop
  remove_cgroups
  if [[ "$SYSTEM" == cassandra5 ]]; then
    # The next wipe deletes the node directories; keep each node's log of this workload.
    for node_log in "$C5_CLUSTER_DIR"/node*/logs/system.log; do
      [[ -f "$node_log" ]] || continue
      node_dir="${node_log%/logs/system.log}"
      cp "$node_log" "$OUT_DIR/$workload-cassandra5-${node_dir##*/}.log"
    done
  fi
done
"$CLUSTER" wipe >/dev/null 2>&1 || true
echo
cat "$results"
