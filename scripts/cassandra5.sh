#!/usr/bin/env bash
# Start, stop or inspect a single-node Apache Cassandra 5 used as the reference system for
# Meridian benchmarks and differential tests. Cassandra runs straight from the cassandra-all jar
# (resolved from Maven Central by scripts/cassandra5/pom.xml); no Docker, no tarball.
#
# Usage: scripts/cassandra5.sh start|stop|status|restart
#
# One node of a multi-node cluster is the same script with C5_ADDRESS and its own C5_WORK_DIR;
# scripts/cassandra5-cluster.sh does that for N nodes on 127.0.0.1..N.
#
# Environment (all optional):
#   C5_WORK_DIR        node directory: config, data, logs, pid   (default /tmp/meridian-cassandra5)
#   C5_ADDRESS         loopback address the node binds            (default 127.0.0.1)
#   C5_SEEDS           comma-separated seed addresses (loopback)  (default 127.0.0.1)
#   C5_AUTO_BOOTSTRAP  auto_bootstrap of a non-seed node          (default: Cassandra's, true)
#   C5_NATIVE_PORT     CQL native port                            (default 9142)
#   C5_STORAGE_PORT    inter-node storage port                    (default 7142)
#   C5_HEAP            -Xms/-Xmx value                            (default 2g)
#   C5_START_TIMEOUT_S how long start waits for CQL               (default 180)
#   C5_STOP_TIMEOUT_S  how long stop waits before SIGKILL         (default 60)
#   C5_KEEP_DATA=1     stop leaves the work dir in place
#   JAVA               java binary                                (default: java on PATH)
#
# Only loopback addresses (127.0.0.0/8) are ever bound; anything else is refused.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUNNER_DIR="$SCRIPT_DIR/cassandra5"
LIB_DIR="$RUNNER_DIR/target/lib"
# shellcheck source=lib/cql.sh
source "$SCRIPT_DIR/lib/cql.sh"

WORK_DIR="${C5_WORK_DIR:-/tmp/meridian-cassandra5}"
ADDRESS="${C5_ADDRESS:-127.0.0.1}"
SEEDS="${C5_SEEDS:-127.0.0.1}"
AUTO_BOOTSTRAP="${C5_AUTO_BOOTSTRAP:-}"
NATIVE_PORT="${C5_NATIVE_PORT:-9142}"
STORAGE_PORT="${C5_STORAGE_PORT:-7142}"
HEAP="${C5_HEAP:-2g}"
START_TIMEOUT_S="${C5_START_TIMEOUT_S:-180}"
STOP_TIMEOUT_S="${C5_STOP_TIMEOUT_S:-60}"
JAVA="${JAVA:-java}"

PID_FILE="$WORK_DIR/cassandra.pid"
MARKER_FILE="$WORK_DIR/.meridian-cassandra5"
LOG_DIR="$WORK_DIR/logs"
CONF_DIR="$WORK_DIR/conf"

log() { printf '[cassandra5 %s] %s\n' "$ADDRESS" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

is_loopback() {
  [[ "$1" =~ ^127\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$ ]] \
    && ((BASH_REMATCH[1] <= 255 && BASH_REMATCH[2] <= 255 && BASH_REMATCH[3] <= 255))
}

is_loopback "$ADDRESS" || die "C5_ADDRESS must be a 127.x.y.z address, got '$ADDRESS'"
for seed in ${SEEDS//,/ }; do
  is_loopback "$seed" || die "C5_SEEDS must hold 127.x.y.z addresses only, got '$seed'"
done
case "$AUTO_BOOTSTRAP" in
  "" | true | false) ;;
  *) die "C5_AUTO_BOOTSTRAP must be true or false, got '$AUTO_BOOTSTRAP'" ;;
esac

# --- process helpers ------------------------------------------------------------------------

# True when PID is alive and is the CassandraDaemon started with this work dir's config file
# (guards against pid reuse and against other nodes' daemons).
is_our_daemon() {
  local pid="$1" cmdline
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *CassandraDaemon* && "$cmdline" == *"file://$CONF_DIR/cassandra.yaml "* ]]
}

# Prints the pid of this node's daemon: from the pid file, or, when the pid file is missing or
# stale (start interrupted between launch and writing it), by looking for a process whose command
# line names this node's config file.
running_pid() {
  local pid
  if [[ -f "$PID_FILE" ]]; then
    pid="$(cat "$PID_FILE" 2>/dev/null || true)"
    if is_our_daemon "$pid"; then
      echo "$pid"
      return 0
    fi
  fi
  [[ -d "$CONF_DIR" ]] || return 1
  local cmdline_file
  for cmdline_file in /proc/[0-9]*/cmdline; do
    pid="${cmdline_file#/proc/}"
    pid="${pid%/cmdline}"
    if is_our_daemon "$pid"; then
      echo "$pid"
      return 0
    fi
  done
  return 1
}

# --- configuration ---------------------------------------------------------------------------

ensure_jars() {
  if [[ -f "$LIB_DIR/cassandra-all-5.0.6.jar" ]]; then
    return 0
  fi
  log "resolving cassandra-all and its dependencies into $LIB_DIR"
  command -v mvn >/dev/null || die "mvn not found; it is needed once to fetch cassandra-all"
  (cd "$RUNNER_DIR" && mvn -q dependency:copy-dependencies) || die "dependency copy failed"
  [[ -f "$LIB_DIR/cassandra-all-5.0.6.jar" ]] || die "cassandra-all jar missing after copy"
}

write_config() {
  mkdir -p "$CONF_DIR" "$CONF_DIR/triggers" "$LOG_DIR" "$WORK_DIR/data" "$WORK_DIR/commitlog" \
           "$WORK_DIR/saved_caches" "$WORK_DIR/hints" "$WORK_DIR/cdc_raw"
  touch "$MARKER_FILE"
  local seed_list="" seed
  for seed in ${SEEDS//,/ }; do
    seed_list+="${seed_list:+,}${seed}:${STORAGE_PORT}"
  done
  # A deliberately short file: every key not listed keeps Cassandra's built-in default, so the
  # comparison runs against stock behaviour. commitlog_sync stays periodic (Cassandra's default):
  # writes are acknowledged before the commit log is fsynced, at most 10 s of acked writes can be
  # lost on a power failure. Keep that in mind when comparing with Meridian's durability point.
  cat >"$CONF_DIR/cassandra.yaml" <<EOF
cluster_name: meridian-bench-reference
num_tokens: 16
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
endpoint_snitch: SimpleSnitch
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "${seed_list}"
listen_address: ${ADDRESS}
rpc_address: ${ADDRESS}
storage_port: ${STORAGE_PORT}
ssl_storage_port: $((STORAGE_PORT + 1))
native_transport_port: ${NATIVE_PORT}
start_native_transport: true
data_file_directories:
  - ${WORK_DIR}/data
commitlog_directory: ${WORK_DIR}/commitlog
saved_caches_directory: ${WORK_DIR}/saved_caches
hints_directory: ${WORK_DIR}/hints
cdc_raw_directory: ${WORK_DIR}/cdc_raw
commitlog_sync: periodic
commitlog_sync_period: 10000ms
authenticator: AllowAllAuthenticator
authorizer: AllowAllAuthorizer
EOF
  if [[ -n "$AUTO_BOOTSTRAP" ]]; then
    echo "auto_bootstrap: ${AUTO_BOOTSTRAP}" >>"$CONF_DIR/cassandra.yaml"
  fi

  cat >"$CONF_DIR/logback.xml" <<EOF
<configuration scan="false">
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>${LOG_DIR}/system.log</file>
    <encoder><pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern></encoder>
  </appender>
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <filter class="ch.qos.logback.classic.filter.ThresholdFilter"><level>WARN</level></filter>
    <encoder><pattern>%-5level %date{ISO8601} %msg%n</pattern></encoder>
  </appender>
  <root level="INFO">
    <appender-ref ref="FILE"/>
    <appender-ref ref="STDOUT"/>
  </root>
</configuration>
EOF
}

# JVM flags: heap and GC, where config and logs live, and the module access Cassandra 5 needs on
# Java 17. JMX stays off (no -Dcassandra.jmx.*.port), so nodetool is not available.
jvm_args() {
  local -a args=(
    "-Xms${HEAP}" "-Xmx${HEAP}"
    -XX:+UseG1GC -XX:MaxGCPauseMillis=300
    -XX:+HeapDumpOnOutOfMemoryError "-XX:HeapDumpPath=$LOG_DIR"
    -Xss256k
    -XX:+AlwaysPreTouch
    -Djava.net.preferIPv4Stack=true
    -Djdk.attach.allowAttachSelf=true
    "-Dcassandra.config=file://$CONF_DIR/cassandra.yaml"
    "-Dlogback.configurationFile=file://$CONF_DIR/logback.xml"
    "-Dcassandra.logdir=$LOG_DIR"
    "-Dcassandra.storagedir=$WORK_DIR"
    -Dcassandra-foreground=yes
    # A lone seed node has nobody to gossip with; do not wait for the ring to settle. In a
    # cluster, cassandra5-cluster.sh starts nodes one at a time and checks membership itself.
    -Dcassandra.skip_wait_for_gossip_to_settle=0
    "-Dcassandra.triggers_dir=$CONF_DIR/triggers"
    -XX:+ExitOnOutOfMemoryError
    # Module access for Java 17, found by starting with none and adding what failed:
    #   FileUtils frees mmapped/direct buffers through jdk.internal.ref.Cleaner (export);
    #   FBUtilities reads FileChannelImpl.fd and FileDescriptor.fd reflectively (two opens).
    # Verified: start, all four workloads, memtable flush and snapshot (DROP TABLE), stop.
    --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
    --add-opens=java.base/java.io=ALL-UNNAMED
  )
  local jamm
  jamm="$(ls "$LIB_DIR"/jamm-*.jar 2>/dev/null | head -n 1 || true)"
  if [[ -n "$jamm" ]]; then
    args+=("-javaagent:$jamm")
  fi
  printf '%s\n' "${args[@]}"
}

# --- commands --------------------------------------------------------------------------------

cmd_start() {
  local pid
  if pid="$(running_pid)"; then
    if cql_ready "$NATIVE_PORT" "$ADDRESS"; then
      log "already running (pid $pid), CQL on $ADDRESS:$NATIVE_PORT"
      return 0
    fi
    log "process $pid exists but CQL is not answering yet; waiting"
  else
    rm -f "$PID_FILE"
    if port_in_use "$NATIVE_PORT" "$ADDRESS"; then
      die "$ADDRESS:$NATIVE_PORT is taken by another process; set C5_NATIVE_PORT"
    fi
    if port_in_use "$STORAGE_PORT" "$ADDRESS"; then
      die "$ADDRESS:$STORAGE_PORT is taken by another process; set C5_STORAGE_PORT"
    fi
    command -v "$JAVA" >/dev/null || die "java not found"
    ensure_jars
    write_config
    local -a jvm
    mapfile -t jvm < <(jvm_args)
    log "starting Cassandra 5 in $WORK_DIR (heap $HEAP, CQL port $NATIVE_PORT)"
    # setsid puts the daemon in its own session so it outlives this shell and stop can signal it.
    setsid "$JAVA" "${jvm[@]}" -cp "$LIB_DIR/*" org.apache.cassandra.service.CassandraDaemon \
      >"$LOG_DIR/stdout.log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$PID_FILE"
  fi

  local deadline=$((SECONDS + START_TIMEOUT_S))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "Cassandra exited during startup; last log lines:"
      tail -n 30 "$LOG_DIR/stdout.log" >&2 || true
      rm -f "$PID_FILE"
      exit 1
    fi
    if cql_ready "$NATIVE_PORT" "$ADDRESS"; then
      log "ready after ${SECONDS}s: pid $pid, CQL on $ADDRESS:$NATIVE_PORT"
      return 0
    fi
    sleep 1
  done
  log "CQL did not answer within ${START_TIMEOUT_S}s; stopping the half-started node"
  tail -n 30 "$LOG_DIR/stdout.log" >&2 || true
  cmd_stop
  exit 1
}

cmd_stop() {
  local pid
  if pid="$(running_pid)"; then
    log "stopping pid $pid"
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + STOP_TIMEOUT_S))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
      sleep 1
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "pid $pid still alive after ${STOP_TIMEOUT_S}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
    fi
  else
    log "not running"
  fi
  rm -f "$PID_FILE"
  if [[ "${C5_KEEP_DATA:-0}" == "1" ]]; then
    log "keeping $WORK_DIR (C5_KEEP_DATA=1)"
  elif [[ -f "$MARKER_FILE" ]]; then
    # Only remove a directory this script created (it carries the marker file).
    rm -rf -- "$WORK_DIR"
    log "removed $WORK_DIR"
  elif [[ -e "$WORK_DIR" ]]; then
    log "leaving $WORK_DIR alone: it was not created by this script"
  fi
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    if cql_ready "$NATIVE_PORT" "$ADDRESS"; then
      echo "running: pid $pid, CQL ready on $ADDRESS:$NATIVE_PORT, dir $WORK_DIR"
    else
      echo "starting: pid $pid, CQL not answering on $ADDRESS:$NATIVE_PORT yet"
    fi
    return 0
  fi
  echo "stopped"
  return 3
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  restart) cmd_stop; cmd_start ;;
  *) echo "usage: $0 start|stop|status|restart" >&2; exit 2 ;;
esac
