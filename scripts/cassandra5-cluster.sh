#!/usr/bin/env bash
# Starts, stops or wipes a local Apache Cassandra 5 cluster of N nodes on loopback, the reference
# for Meridian's cluster benchmark (scripts/bench-cluster.sh with CLUSTER_SYSTEM=cassandra5).
# Node i (1..N) is scripts/cassandra5.sh with its own directory, bound to 127.0.0.i: CQL on port
# 9142 and storage on 7142 of its own address (Meridian's cluster uses 9042 and 7000 there), seed
# 127.0.0.1. Linux routes all of 127/8 to lo, so no set-up is needed. Drivers connect to
# 127.0.0.1:9142 and discover the other nodes.
#
# Usage: scripts/cassandra5-cluster.sh start [N]   (default 3; nodes start one after another)
#        scripts/cassandra5-cluster.sh stop        (SIGTERM every node, SIGKILL after 60 s; data is kept)
#        scripts/cassandra5-cluster.sh status
#        scripts/cassandra5-cluster.sh wipe        (stop and delete the cluster directory)
#
# start returns once every node answers CQL and has joined the ring as NORMAL, and every node's
# gossip shows all the others UP. If a node fails to start, the nodes already started are stopped again.
#
# Environment (all optional):
#   C5_CLUSTER_DIR             node directories node1..nodeN     (default /tmp/meridian-cassandra5-cluster)
#   C5_HEAP                    heap of each node                 (default 2g; 3 x 2g fits in 24 GiB)
#   C5_NATIVE_PORT, C5_STORAGE_PORT, C5_START_TIMEOUT_S, C5_STOP_TIMEOUT_S: as for cassandra5.sh
#   C5_MEMBERSHIP_TIMEOUT_S    how long start waits for all nodes to see each other (default 120)
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NODE_SCRIPT="$SCRIPT_DIR/cassandra5.sh"

dir="${C5_CLUSTER_DIR:-/tmp/meridian-cassandra5-cluster}"
export C5_STORAGE_PORT="${C5_STORAGE_PORT:-7142}"
export C5_NATIVE_PORT="${C5_NATIVE_PORT:-9142}"
MEMBERSHIP_TIMEOUT_S="${C5_MEMBERSHIP_TIMEOUT_S:-120}"
MARKER_FILE="$dir/.meridian-cassandra5-cluster"

log() { printf '[cassandra5-cluster] %s\n' "$*" >&2; }

# Runs cassandra5.sh for node I (1-based) with that node's address and directory. The cluster
# keeps node directories on stop (logs and data); wipe removes them all at once.
node() {
  local i="$1"
  shift
  C5_WORK_DIR="$dir/node$i" C5_ADDRESS="127.0.0.$i" C5_SEEDS=127.0.0.1 C5_KEEP_DATA=1 \
    "$NODE_SCRIPT" "$@"
}

# Indices of the node directories present, whatever N the cluster was started with.
node_indices() {
  local node_dir
  for node_dir in "$dir"/node*; do
    [[ -d "$node_dir" ]] || continue
    local i="${node_dir##*/node}"
    [[ "$i" =~ ^[0-9]+$ ]] && echo "$i"
  done | sort -n
}

# Size of each node's system.log before this start, so that membership is judged from this run's
# lines only (a restarted node appends to the log of its previous run).
declare -A log_offset=()

# Node I's system.log written since this start.
log_since_start() {
  local log_file="$dir/node$1/logs/system.log"
  [[ -f "$log_file" ]] || return 0
  tail -c "+$((${log_offset[$1]:-0} + 1))" "$log_file"
}

# True when node J has joined the ring (its own log says it went NORMAL) and node I's gossip last
# marked J as UP. Read from the logs because JMX, and so nodetool, is off (see cassandra5.sh);
# the messages are Cassandra 5.0's (StorageService, Gossiper).
sees_normal() {
  local i="$1" j="$2" peer="/127.0.0.$2:$C5_STORAGE_PORT"
  log_since_start "$j" | grep -qF "Node $peer state jump to NORMAL" || return 1
  local last
  last="$(log_since_start "$i" | grep -F "InetAddress $peer is now " | tail -n 1)"
  [[ "$last" == *" is now UP" ]]
}

wait_for_membership() {
  local n="$1" deadline=$((SECONDS + MEMBERSHIP_TIMEOUT_S)) i j missing
  while true; do
    missing=""
    for ((i = 1; i <= n; i++)); do
      for ((j = 1; j <= n; j++)); do
        ((i == j)) && continue
        sees_normal "$i" "$j" || missing+=" node$i->node$j"
      done
    done
    [[ -z "$missing" ]] && return 0
    if ((SECONDS >= deadline)); then
      log "after ${MEMBERSHIP_TIMEOUT_S}s some nodes still do not see each other UP and NORMAL:$missing"
      return 1
    fi
    sleep 1
  done
}

start() {
  local n="$1"
  if ! [[ "$n" =~ ^[0-9]+$ ]] || ((n < 1 || n > 254)); then
    log "node count must be 1..254, got '$n'"
    exit 64
  fi
  local i
  for i in $(node_indices); do
    if node "$i" status >/dev/null 2>&1; then
      log "node $i is already running from $dir; stop or wipe the cluster first"
      exit 1
    fi
  done
  mkdir -p "$dir"
  touch "$MARKER_FILE"
  local began=$SECONDS
  # One node at a time: a node must have joined the ring before the next one starts. The cluster
  # holds no data yet, so the joining nodes skip bootstrap streaming (auto_bootstrap: false);
  # with it on, each node sleeps 30 s (ring delay) before joining and streams nothing.
  for ((i = 1; i <= n; i++)); do
    local auto_bootstrap="" log_file="$dir/node$i/logs/system.log"
    log_offset[$i]="$(stat -c %s "$log_file" 2>/dev/null || echo 0)"
    ((i > 1)) && auto_bootstrap=false
    if ! C5_AUTO_BOOTSTRAP="$auto_bootstrap" node "$i" start; then
      log "node $i failed to start (log: $dir/node$i/logs); stopping the nodes started so far"
      stop
      exit 1
    fi
  done
  if ! wait_for_membership "$n"; then
    stop
    exit 1
  fi
  log "cluster of $n nodes ready after $((SECONDS - began))s; connect to 127.0.0.1:$C5_NATIVE_PORT"
}

stop() {
  local indices
  indices="$(node_indices)"
  if [[ -z "$indices" ]]; then
    log "no node directories in $dir"
    return 0
  fi
  # Stop the nodes in parallel; each stop waits for its own process (SIGKILL after the timeout).
  local i rc=0
  local -a pids=()
  for i in $indices; do
    node "$i" stop &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do
    wait "$pid" || rc=1
  done
  return "$rc"
}

status() {
  local indices i
  indices="$(node_indices)"
  if [[ -z "$indices" ]]; then
    echo "no cluster in $dir"
    return 3
  fi
  for i in $indices; do
    printf 'node%s 127.0.0.%s: ' "$i" "$i"
    node "$i" status || true
  done
}

wipe() {
  stop || true
  if [[ -f "$MARKER_FILE" ]]; then
    rm -rf -- "$dir"
    log "deleted $dir"
  elif [[ -e "$dir" ]]; then
    log "leaving $dir alone: it was not created by this script"
  fi
}

case "${1:-}" in
  start) start "${2:-3}" ;;
  stop) stop ;;
  status) status ;;
  wipe) wipe ;;
  *) sed -n '2,21p' "$0"; exit 64 ;;
esac
