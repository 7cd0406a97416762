#!/usr/bin/env bash
# The daily counts' upsert in its two layouts, measured with pgbench on the local PostgreSQL
# (docs/benchmarks.md, "Daily counts per customer-day"). Each transaction writes what one /v1/batch of
# the ingest benchmark adds: 10 people, 8 count keys each, today.
#   A: one row per customer, key and day, INSERT ... ON CONFLICT adds the count      -- before V18_0
#   B: one row per customer and day with key and count arrays, merged on conflict    -- V18_0
# (pgbench reads ":name" as a variable even inside literals, hence "page-Home" for "page:Home".)
# Usage: bench/pg-daily-counts/run.sh [rounds (default 2)] [seconds per run (default 40)]
# Printed per round and layout: transactions per second with 2 clients and the CPU the whole machine
# spent per transaction (from /proc/stat: PostgreSQL, pgbench, the rest).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
rounds="${1:-2}"
seconds="${2:-40}"
db=siyu_bench_daily_counts
. "$here/../pgbench-common.sh"
for ((r = 1; r <= rounds; r++)); do
    for layout in a b; do
        before=$(busy_jiffies)
        out=$(pgbench "${pg[@]}" -n -M prepared -c 2 -j 2 -T "$seconds" -f "$here/batch_$layout.sql" "$db" 2>&1)
        after=$(busy_jiffies)
        done_tx=$(sed -n 's/^number of transactions actually processed: //p' <<<"$out")
        tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$out")
        cpu=$(awk -v j=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$done_tx" \
            'BEGIN { printf "%.3f", j / hz * 1e3 / n }')
        echo "round $r layout $layout: $tps transactions/s, $cpu ms of CPU per transaction (100 events' counts)"
    done
done
psql "${pg[@]}" -d "$db" -Atc "select relname, pg_size_pretty(pg_total_relation_size(oid)) from pg_class
    where relname in ('per_key', 'per_day') order by 1"
psql -q "${pg[@]}" -c "drop database $db"
