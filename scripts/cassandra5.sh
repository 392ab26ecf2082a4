#!/usr/bin/env bash
# Start, stop or inspect a single-node Apache Cassandra 5 used as the reference system for
# Meridian benchmarks and differential tests. Cassandra runs straight from the cassandra-all jar
# (resolved from Maven Central by scripts/cassandra5/pom.xml); no Docker, no tarball.
#
# Usage: scripts/cassandra5.sh start|stop|status|restart
#
# Environment (all optional):
#   C5_WORK_DIR        node directory: config, data, logs, pid   (default /tmp/meridian-cassandra5)
#   C5_NATIVE_PORT     CQL native port                            (default 9142)
#   C5_STORAGE_PORT    inter-node storage port                    (default 7142)
#   C5_HEAP            -Xms/-Xmx value                            (default 2g)
#   C5_START_TIMEOUT_S how long start waits for CQL               (default 180)
#   C5_STOP_TIMEOUT_S  how long stop waits before SIGKILL         (default 60)
#   C5_KEEP_DATA=1     stop leaves the work dir in place
#   JAVA               java binary                                (default: java on PATH)
#
# Only 127.0.0.1 is ever bound.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUNNER_DIR="$SCRIPT_DIR/cassandra5"
LIB_DIR="$RUNNER_DIR/target/lib"
# shellcheck source=lib/cql.sh
source "$SCRIPT_DIR/lib/cql.sh"

WORK_DIR="${C5_WORK_DIR:-/tmp/meridian-cassandra5}"
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

log() { printf '[cassandra5] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# --- process helpers ------------------------------------------------------------------------

# Prints the pid from the pid file if that process is alive and is our CassandraDaemon.
running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # Guard against pid reuse: the command line must name the daemon and our config file.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "CassandraDaemon" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$CONF_DIR/cassandra.yaml" || return 1
  echo "$pid"
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
      - seeds: "127.0.0.1:${STORAGE_PORT}"
listen_address: 127.0.0.1
rpc_address: 127.0.0.1
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
    # A lone seed node has nobody to gossip with; do not wait for the ring to settle.
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
    if cql_ready "$NATIVE_PORT"; then
      log "already running (pid $pid), CQL on 127.0.0.1:$NATIVE_PORT"
      return 0
    fi
    log "process $pid exists but CQL is not answering yet; waiting"
  else
    rm -f "$PID_FILE"
    if port_in_use "$NATIVE_PORT"; then
      die "127.0.0.1:$NATIVE_PORT is taken by another process; set C5_NATIVE_PORT"
    fi
    if port_in_use "$STORAGE_PORT"; then
      die "127.0.0.1:$STORAGE_PORT is taken by another process; set C5_STORAGE_PORT"
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
    if cql_ready "$NATIVE_PORT"; then
      log "ready after ${SECONDS}s: pid $pid, CQL on 127.0.0.1:$NATIVE_PORT"
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
    if cql_ready "$NATIVE_PORT"; then
      echo "running: pid $pid, CQL ready on 127.0.0.1:$NATIVE_PORT, dir $WORK_DIR"
    else
      echo "starting: pid $pid, CQL not answering on 127.0.0.1:$NATIVE_PORT yet"
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
