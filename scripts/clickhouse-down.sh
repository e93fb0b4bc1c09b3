#!/usr/bin/env bash
# Stops the two test ClickHouse servers started by scripts/clickhouse-up.sh, each by the
# pid in its own .clickhouse/shardN/server.pid. Data stays; a later clickhouse-up.sh
# starts the same servers again.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CH_DIR="$ROOT/.clickhouse"
STOP_TIMEOUT="${EVENTSTUDY_CH_STOP_TIMEOUT:-30}"

say() { echo "clickhouse-down: $*" >&2; }

# The pid is a live (not zombie) clickhouse-server started with this shard's config: a
# stale pid file never makes this script signal an unrelated process.
alive() {
  local pid=$1 config=$2
  [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "--config-file=$config" || return 1
  [ "$(sed 's/^.*) //' "/proc/$pid/stat" | cut -c1)" != "Z" ]
}

for shard in 1 2; do
  pid_file="$CH_DIR/shard$shard/server.pid"
  config="$CH_DIR/shard$shard/config.xml"
  if [ ! -f "$pid_file" ]; then
    say "shard $shard: not running (no $pid_file)"
    continue
  fi
  pid="$(cat "$pid_file")"
  if ! alive "$pid" "$config"; then
    say "shard $shard: not running (stale pid $pid)"
    rm -f "$pid_file"
    continue
  fi
  kill -TERM "$pid"
  deadline=$((SECONDS + STOP_TIMEOUT))
  while alive "$pid" "$config"; do
    if [ $SECONDS -ge $deadline ]; then
      say "shard $shard: pid $pid still running after ${STOP_TIMEOUT} s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  rm -f "$pid_file"
  say "shard $shard: stopped (pid $pid)"
done
