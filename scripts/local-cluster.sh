#!/usr/bin/env bash
# Starts, stops or lists a local Meridian cluster of N nodes on loopback: node i listens on
# 127.0.0.(i+1), CQL on port 9042 and Raft on 7000 of its own address; node 0 founds the cluster
# and the others join through it. Drivers connect to 127.0.0.1:9042 and discover the rest.
#
# Usage: scripts/local-cluster.sh start [N]   (default 3; builds nothing: run mvn -q -DskipTests install first)
#        scripts/local-cluster.sh stop        (SIGTERM, then waits; data is kept)
#        scripts/local-cluster.sh status
#        scripts/local-cluster.sh wipe        (stop and delete the data)
#
# Environment: MERIDIAN_CLUSTER_DIR (default ./local-cluster) holds each node's data, log and pid;
# MERIDIAN_JAVA_OPTS (default -Xms256m -Xmx1g per node). Any server setting reaches every node as
# its environment variable, e.g. MERIDIAN_STORAGE_TABLETS_PER_TABLE=3 (docs/configuration.md).
# Use the same MERIDIAN_CLUSTER_DIR for start and stop.
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/cql.sh
source "$home/scripts/lib/cql.sh"
dir="${MERIDIAN_CLUSTER_DIR:-$PWD/local-cluster}"
export MERIDIAN_JAVA_OPTS="${MERIDIAN_JAVA_OPTS:--Xms256m -Xmx1g}"

log() { printf '[local-cluster] %s\n' "$*" >&2; }

node_pids() {
  for pidfile in "$dir"/node*/meridian.pid; do
    [[ -f "$pidfile" ]] || continue
    local pid
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
      echo "$pid"
    fi
  done
}

start() {
  local n="${1:-3}"
  if [[ -n "$(node_pids)" ]]; then
    log "a cluster is already running from $dir; stop it first"
    exit 1
  fi
  local seeds=""
  for ((i = 0; i < n; i++)); do
    seeds+="${seeds:+,}127.0.0.$((i + 1)):7000"
  done
  for ((i = 0; i < n; i++)); do
    local host="127.0.0.$((i + 1))" node_dir="$dir/node$i"
    mkdir -p "$node_dir"
    nohup "$home/bin/meridian" --listen "$host" --port 9042 --raft-port 7000 --seeds "$seeds" \
      --data-dir "$node_dir/data" >"$node_dir/meridian.log" 2>&1 &
    echo $! >"$node_dir/meridian.pid"
    log "node $i starting on $host:9042 (log $node_dir/meridian.log)"
  done
  for ((i = 0; i < n; i++)); do
    local host="127.0.0.$((i + 1))" waited=0
    until cql_ready 9042 "$host"; do
      if ! kill -0 "$(cat "$dir/node$i/meridian.pid")" 2>/dev/null; then
        log "node $i exited; see $dir/node$i/meridian.log"
        exit 1
      fi
      if ((waited >= 180)); then
        log "node $i did not answer CQL within 180 s; see $dir/node$i/meridian.log"
        exit 1
      fi
      sleep 1
      waited=$((waited + 1))
    done
    log "node $i ready on $host:9042"
  done
  log "cluster of $n nodes ready; connect to 127.0.0.1:9042"
}

stop() {
  local pids
  pids="$(node_pids)"
  if [[ -z "$pids" ]]; then
    log "no node running from $dir"
    return 0
  fi
  # shellcheck disable=SC2086
  kill -TERM $pids
  for pid in $pids; do
    while kill -0 "$pid" 2>/dev/null; do
      sleep 0.2
    done
  done
  rm -f "$dir"/node*/meridian.pid
  log "stopped"
}

case "${1:-}" in
  start) start "${2:-3}" ;;
  stop) stop ;;
  status)
    for pidfile in "$dir"/node*/meridian.pid; do
      [[ -f "$pidfile" ]] || continue
      node="$(basename "$(dirname "$pidfile")")"
      if kill -0 "$(cat "$pidfile")" 2>/dev/null; then echo "$node running (pid $(cat "$pidfile"))"; else echo "$node stopped"; fi
    done ;;
  wipe) stop; rm -rf "$dir"; log "deleted $dir" ;;
  *) sed -n '2,14p' "$0"; exit 64 ;;
esac
