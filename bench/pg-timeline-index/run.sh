#!/usr/bin/env bash
# Event inserts into the two timeline index layouts of customer_event, measured with pgbench on the
# local PostgreSQL (docs/benchmarks.md, "Timeline index"). Each transaction inserts 100 rows as one
# /v1/batch does: 10 people of 80,000, 10 events each, ~450-byte rows with a log offset.
#   A: primary key (id, occurred_at), offset index, (customer_id, occurred_at, id)    -- before V17_0
#   B: offset index, (customer_id, date(timezone('UTC', occurred_at))), no primary key -- V17_0
# Usage: bench/pg-timeline-index/run.sh [rounds (default 3)] [transactions per round (default 20000)]
# Each round adds 2,000,000 rows to each table; printed per round and layout: the average transaction
# time and the CPU the whole machine spent per row inserted (from /proc/stat: PostgreSQL, pgbench, the rest).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
rounds="${1:-3}"
tx="${2:-20000}"
db=siyu_bench_timeline_index
. "$here/../pgbench-common.sh"
for ((r = 1; r <= rounds; r++)); do
    for layout in a b; do
        before=$(busy_jiffies)
        latency=$(pgbench "${pg[@]}" -n -t "$tx" -f "$here/insert_$layout.sql" "$db" 2>&1 | sed -n 's/^latency average = //p')
        after=$(busy_jiffies)
        cpu=$(awk -v j=$((after - before)) -v hz="$(getconf CLK_TCK)" -v rows=$((tx * 100)) \
            'BEGIN { printf "%.2f", j / hz * 1e6 / rows }')
        echo "round $r layout $layout: $latency per 100 rows, $cpu µs of CPU per row"
    done
done
psql "${pg[@]}" -d "$db" -Atc "select relname, pg_size_pretty(pg_relation_size(oid)) from pg_class
    where relname like 'ev\_%' and relkind in ('r', 'i') order by 1"
psql -q "${pg[@]}" -c "drop database $db"
