#!/usr/bin/env bash
# Runs every benchmark workload against Meridian and then against Apache Cassandra 5 on this
# machine, one system at a time with identical load-generator settings, and prints a markdown
# comparison table. Each (workload, system) pair gets a freshly started server with an empty data
# directory, so results do not depend on the order of runs.
#
# Usage: scripts/bench-compare.sh            (from anywhere; paths are relative to the repo)
#
# Environment (all optional):
#   BENCH_WORKLOADS      workloads to run                      (default "insert read mixed timeseries"; also "lwt")
#   BENCH_SYSTEMS        systems to run                         (default "meridian cassandra5")
#   BENCH_DURATION_S     measured seconds per run               (default 30)
#   BENCH_WARMUP_S       warm-up seconds per run                (default 10)
#   BENCH_CONCURRENCY    max in-flight requests                 (default 64)
#   BENCH_KEYS           key-space size                         (default 100000)
#   BENCH_THREADS        issuing threads                        (default 2)
#   BENCH_CONSISTENCY    consistency level                      (default LOCAL_ONE)
#   BENCH_EXTRA_ARGS     more load-generator options, e.g. "--rate 5000"
#   BENCH_TABLE_OPTIONS  passed as one --table-options argument (kv workloads), e.g.
#                        "indexing = {'include': ''}" to measure Meridian without automatic indexes
#   BENCH_OUT_DIR        where JSON reports, logs and results.md go
#                        (default bench/target/compare-<UTC timestamp>)
#   MERIDIAN_CMD         command that starts Meridian in the foreground; it may use
#                        $MERIDIAN_DATA_DIR and $MERIDIAN_PORT, which this script exports
#                        (default: bin/meridian --data-dir "$MERIDIAN_DATA_DIR" --port "$MERIDIAN_PORT")
#   MERIDIAN_PORT        Meridian CQL port                      (default 9042)
#   MERIDIAN_START_TIMEOUT_S                                    (default 120)
#   C5_*                 passed through to scripts/cassandra5.sh (C5_NATIVE_PORT defaults to 9142)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
# shellcheck source=lib/cql.sh
source "$SCRIPT_DIR/lib/cql.sh"

WORKLOADS="${BENCH_WORKLOADS:-insert read mixed timeseries}"
SYSTEMS="${BENCH_SYSTEMS:-meridian cassandra5}"
DURATION_S="${BENCH_DURATION_S:-30}"
WARMUP_S="${BENCH_WARMUP_S:-10}"
CONCURRENCY="${BENCH_CONCURRENCY:-64}"
KEYS="${BENCH_KEYS:-100000}"
THREADS="${BENCH_THREADS:-2}"
CONSISTENCY="${BENCH_CONSISTENCY:-LOCAL_ONE}"
EXTRA_ARGS="${BENCH_EXTRA_ARGS:-}"
TABLE_OPTIONS="${BENCH_TABLE_OPTIONS:-}"
OUT_DIR="${BENCH_OUT_DIR:-$REPO_DIR/bench/target/compare-$(date -u +%Y%m%dT%H%M%SZ)}"

export MERIDIAN_PORT="${MERIDIAN_PORT:-9042}"
MERIDIAN_CMD="${MERIDIAN_CMD:-bin/meridian --data-dir \"\$MERIDIAN_DATA_DIR\" --port \"\$MERIDIAN_PORT\"}"
MERIDIAN_START_TIMEOUT_S="${MERIDIAN_START_TIMEOUT_S:-120}"
export C5_NATIVE_PORT="${C5_NATIVE_PORT:-9142}"

BENCH_JAR="$REPO_DIR/bench/target/meridian-bench.jar"
CASSANDRA="$SCRIPT_DIR/cassandra5.sh"

meridian_pid=""
meridian_data_dir=""

log() { printf '[bench-compare] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# --- Meridian lifecycle ----------------------------------------------------------------------

meridian_start() {
  local log_file="$1"
  if port_in_use "$MERIDIAN_PORT"; then
    die "127.0.0.1:$MERIDIAN_PORT is already in use; stop that server or set MERIDIAN_PORT"
  fi
  meridian_data_dir="$(mktemp -d /tmp/meridian-bench-data.XXXXXX)"
  export MERIDIAN_DATA_DIR="$meridian_data_dir"
  log "starting Meridian: $MERIDIAN_CMD (data $MERIDIAN_DATA_DIR, port $MERIDIAN_PORT)"
  # Own session and process group, so stop reaches the JVM behind any wrapper script.
  (cd "$REPO_DIR" && exec setsid bash -c "exec $MERIDIAN_CMD") >"$log_file" 2>&1 </dev/null &
  meridian_pid=$!
  local deadline=$((SECONDS + MERIDIAN_START_TIMEOUT_S))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$meridian_pid" 2>/dev/null; then
      tail -n 20 "$log_file" >&2 || true
      meridian_pid=""
      die "Meridian exited during startup (log: $log_file)"
    fi
    if cql_ready "$MERIDIAN_PORT"; then
      log "Meridian ready (pid $meridian_pid)"
      return 0
    fi
    sleep 1
  done
  meridian_stop
  die "Meridian did not answer CQL on port $MERIDIAN_PORT within ${MERIDIAN_START_TIMEOUT_S}s"
}

meridian_stop() {
  if [[ -n "$meridian_pid" ]] && kill -0 "$meridian_pid" 2>/dev/null; then
    log "stopping Meridian (pid $meridian_pid)"
    kill -TERM -- "-$meridian_pid" 2>/dev/null || kill -TERM "$meridian_pid" 2>/dev/null || true
    local deadline=$((SECONDS + 60))
    while kill -0 "$meridian_pid" 2>/dev/null && ((SECONDS < deadline)); do
      sleep 1
    done
    if kill -0 "$meridian_pid" 2>/dev/null; then
      log "Meridian still alive after 60 s; sending SIGKILL"
      kill -KILL -- "-$meridian_pid" 2>/dev/null || kill -KILL "$meridian_pid" 2>/dev/null || true
    fi
    wait "$meridian_pid" 2>/dev/null || true
  fi
  meridian_pid=""
  if [[ -n "$meridian_data_dir" && "$meridian_data_dir" == /tmp/meridian-bench-data.* ]]; then
    rm -rf -- "$meridian_data_dir"
  fi
  meridian_data_dir=""
}

# --- system dispatch -------------------------------------------------------------------------

system_port() {
  case "$1" in
    meridian) echo "$MERIDIAN_PORT" ;;
    cassandra5) echo "$C5_NATIVE_PORT" ;;
    *) die "unknown system '$1' (expected meridian or cassandra5)" ;;
  esac
}

system_start() {
  case "$1" in
    meridian) meridian_start "$2" ;;
    cassandra5) "$CASSANDRA" start >"$2" 2>&1 || { tail -n 20 "$2" >&2; die "Cassandra 5 did not start"; } ;;
  esac
}

system_stop() {
  case "$1" in
    meridian) meridian_stop ;;
    cassandra5) "$CASSANDRA" stop >/dev/null 2>&1 || log "cassandra5 stop reported a problem" ;;
  esac
}

cleanup() {
  meridian_stop
  "$CASSANDRA" stop >/dev/null 2>&1 || true
}

# --- report helpers --------------------------------------------------------------------------

# Reads one top-level field of a load-generator JSON report (one field per line by design).
json_field() {
  local file="$1" name="$2"
  grep -m1 "^  \"$name\":" "$file" | sed -e 's/^[^:]*: *//' -e 's/,$//' -e 's/"//g'
}

# --- main ------------------------------------------------------------------------------------

main() {
  for system in $SYSTEMS; do system_port "$system" >/dev/null; done
  mkdir -p "$OUT_DIR"
  if [[ ! -f "$BENCH_JAR" ]]; then
    log "building the load generator"
    (cd "$REPO_DIR/bench" && mvn -q package) || die "bench build failed"
  fi
  if [[ " $SYSTEMS " == *" meridian "* ]]; then
    local first_word="${MERIDIAN_CMD%% *}"
    if [[ "$first_word" != /* ]] && [[ ! -x "$REPO_DIR/$first_word" ]] \
        && ! command -v "$first_word" >/dev/null; then
      die "Meridian start command not found: $first_word (build the server or set MERIDIAN_CMD)"
    fi
  fi
  trap cleanup EXIT
  trap 'exit 130' INT TERM

  {
    echo "# Meridian vs Apache Cassandra 5"
    echo
    echo "- date (UTC): $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "- host: $(uname -srm), $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB RAM"
    echo "- java: $(java -version 2>&1 | head -n 1)"
    echo "- settings: duration ${DURATION_S}s, warm-up ${WARMUP_S}s, concurrency $CONCURRENCY," \
      "keys $KEYS, threads $THREADS, consistency $CONSISTENCY${EXTRA_ARGS:+, extra: $EXTRA_ARGS}" \
      "${TABLE_OPTIONS:+, table options: $TABLE_OPTIONS}"
    echo
  } >"$OUT_DIR/results.md"

  local workload system port report rc
  for workload in $WORKLOADS; do
    for system in $SYSTEMS; do
      port="$(system_port "$system")"
      report="$OUT_DIR/$workload-$system.json"
      log "== $workload on $system =="
      system_start "$system" "$OUT_DIR/$workload-$system-server.log"
      rc=0
      # shellcheck disable=SC2086  # EXTRA_ARGS is a list of options by design
      java -jar "$BENCH_JAR" --host 127.0.0.1 --port "$port" --workload "$workload" \
        --duration-s "$DURATION_S" --warmup-s "$WARMUP_S" --concurrency "$CONCURRENCY" \
        --keys "$KEYS" --threads "$THREADS" --consistency "$CONSISTENCY" \
        --label "$system" --report "$report" $EXTRA_ARGS \
        ${TABLE_OPTIONS:+--table-options "$TABLE_OPTIONS"} \
        >"$OUT_DIR/$workload-$system-client.log" 2>&1 || rc=$?
      tail -n 8 "$OUT_DIR/$workload-$system-client.log" >&2
      if ((rc != 0 && rc != 3)); then
        log "load generator failed with exit code $rc; see $OUT_DIR/$workload-$system-client.log"
        rm -f "$report"
      fi
      system_stop "$system"
    done
  done

  {
    echo "| workload | system | ops/s | p50 ms | p99 ms | errors | ratio Meridian/Cassandra (ops/s) |"
    echo "|---|---|---:|---:|---:|---:|---:|"
    local ops p50 p99 errors m_ops c_ops ratio
    for workload in $WORKLOADS; do
      m_ops=""; c_ops=""
      [[ -f "$OUT_DIR/$workload-meridian.json" ]] && m_ops="$(json_field "$OUT_DIR/$workload-meridian.json" ops_per_s)"
      [[ -f "$OUT_DIR/$workload-cassandra5.json" ]] && c_ops="$(json_field "$OUT_DIR/$workload-cassandra5.json" ops_per_s)"
      ratio="n/a"
      if [[ -n "$m_ops" && -n "$c_ops" ]]; then
        ratio="$(awk -v m="$m_ops" -v c="$c_ops" 'BEGIN { if (c > 0) printf "%.2f", m / c; else print "n/a" }')"
      fi
      for system in $SYSTEMS; do
        report="$OUT_DIR/$workload-$system.json"
        if [[ ! -f "$report" ]]; then
          echo "| $workload | $system | FAILED | | | | |"
          continue
        fi
        ops="$(json_field "$report" ops_per_s)"
        p50="$(json_field "$report" all_p50_ms)"
        p99="$(json_field "$report" all_p99_ms)"
        errors="$(json_field "$report" errors)"
        printf '| %s | %s | %.0f | %s | %s | %s | %s |\n' "$workload" "$system" "$ops" "$p50" \
          "$p99" "$errors" "$([[ $system == meridian ]] && echo "$ratio" || echo "")"
      done
    done
  } >>"$OUT_DIR/results.md"

  cat "$OUT_DIR/results.md"
  log "results: $OUT_DIR/results.md (per-run JSON and logs beside it)"
}

main "$@"
