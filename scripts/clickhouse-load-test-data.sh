#!/usr/bin/env bash
# Loads the ClickHouse test dataset into the two-shard cluster started by
# scripts/clickhouse-up.sh (run that first). Idempotent: drops and recreates its tables.
#
# On both shards: database eventstudy_test with
#   incidents_local  MergeTree, every column text: id String, the rest Nullable(String)
#                    (an empty CSV field becomes NULL, as DuckDB reads it), so the engine
#                    parses dates and amounts itself exactly as it does for a CSV file;
#   incidents        Distributed(eventstudy_two_shards, eventstudy_test, incidents_local,
#                    toUInt64(id)): reads (and would write) across both shards.
# Rows go into the local tables by the same rule the sharding key gives: even ids on
# shard 1 (tcp 19000), odd ids on shard 2 (tcp 19001). The CSV is parsed by ClickHouse's
# own CSV reader (CSVWithNames), not by the engine, so the tests compare two readings.
#
# Environment: EVENTSTUDY_CH_TCP_PORT_1 / _2 as for clickhouse-up.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CSV="$ROOT/test/data/fixtures/clickhouse-incidents.csv"
TCP_PORTS=("${EVENTSTUDY_CH_TCP_PORT_1:-19000}" "${EVENTSTUDY_CH_TCP_PORT_2:-19001}")
DB=eventstudy_test
CLUSTER=eventstudy_two_shards

say() { echo "clickhouse-load-test-data: $*" >&2; }
fail() { say "$*"; exit 1; }

command -v clickhouse-client >/dev/null 2>&1 || fail "clickhouse-client is not installed. Run: bash scripts/clickhouse-up.sh"
[ -f "$CSV" ] || fail "$CSV not found."

ch() {
  local port=$1
  shift
  clickhouse-client --host 127.0.0.1 --port "$port" --user default "$@"
}

# Records in the CSV: each starts with `<id>,<YYYY-MM-DD...` (a quoted name may span lines).
expected=$(grep -cE '^[0-9]+,[0-9]{4}-[0-9]{2}-[0-9]{2}' "$CSV")

for i in 0 1; do
  port=${TCP_PORTS[$i]}
  shard=$((i + 1))
  ch "$port" --query "SELECT 1" >/dev/null 2>&1 ||
    fail "shard $shard does not answer on tcp port $port. Start the servers with: bash scripts/clickhouse-up.sh"
  ch "$port" --multiquery --query "
    CREATE DATABASE IF NOT EXISTS $DB;
    DROP TABLE IF EXISTS $DB.incidents;
    DROP TABLE IF EXISTS $DB.incidents_local;
    DROP TABLE IF EXISTS $DB.incidents_staging;
    CREATE TABLE $DB.incidents_staging
      (id String, date String, amount_usd String, name String, actor String, chain String)
      ENGINE = Memory;
    CREATE TABLE $DB.incidents_local
      (id String, date Nullable(String), amount_usd Nullable(String), name Nullable(String),
       actor Nullable(String), chain Nullable(String))
      ENGINE = MergeTree() ORDER BY id;
    CREATE TABLE $DB.incidents AS $DB.incidents_local
      ENGINE = Distributed($CLUSTER, $DB, incidents_local, toUInt64(id));"
  ch "$port" --query "INSERT INTO $DB.incidents_staging FORMAT CSVWithNames" <"$CSV"
  staged=$(ch "$port" --query "SELECT count() FROM $DB.incidents_staging")
  [ "$staged" = "$expected" ] || fail "shard $shard: ClickHouse read $staged rows from $CSV, but it has $expected records."
  ch "$port" --multiquery --query "
    INSERT INTO $DB.incidents_local
      SELECT id, nullIf(date, ''), nullIf(amount_usd, ''), nullIf(name, ''), nullIf(actor, ''), nullIf(chain, '')
      FROM $DB.incidents_staging
      WHERE toUInt64(id) % 2 = $i;
    DROP TABLE $DB.incidents_staging;"
done

for i in 0 1; do
  shard=$((i + 1))
  local_rows=$(ch "${TCP_PORTS[$i]}" --query "SELECT count() FROM $DB.incidents_local")
  [ "$local_rows" -gt 0 ] || fail "shard $shard holds no rows."
  total=$(ch "${TCP_PORTS[$i]}" --query "SELECT count() FROM $DB.incidents")
  [ "$total" = "$expected" ] ||
    fail "the Distributed table $DB.incidents on shard $shard counts $total rows; the CSV has $expected."
  say "shard $shard holds $local_rows rows; $DB.incidents read through it counts $total"
done
say "loaded $expected rows from ${CSV#"$ROOT"/} into $DB.incidents (cluster $CLUSTER)"
