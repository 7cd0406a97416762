#!/usr/bin/env bash
# Two builds' ingest benchmarks at the same time against the same PostgreSQL, each on its own database
# and data directory (docs/benchmarks.md, "Paired runs"). Both see the same host and the same database
# server, so the ratio of their events/s is not moved by the host's own swings, which on the shared
# 2-core machines reach ±15 % between consecutive runs. Per-event PostgreSQL figures (WAL, writes) are
# the server's and cover both runs; only rates, latencies and each JVM's own CPU are per build.
# Usage: [PAIRED_JAVA_OPTS=...] [PAIRED_OUT=dir] bench/paired-ingest.sh DIR_A DIR_B [extra ingest options]
#   DIR_A, DIR_B: each holds a siyu-bench.jar and its lib/ (copies of bench/target after
#   `./mvnw -pl server install && ./mvnw -pl bench package` on each build)
set -euo pipefail
a="$1"; b="$2"; shift 2
java="${JAVA_HOME:?set JAVA_HOME to a JDK 21 or newer}/bin/java"
common=(ingest --db postgresql --duration 120 --no-raw-copy --warmup-seconds 150 --warmup-max-seconds 150 "$@")
out="${PAIRED_OUT:-$(pwd)}"
"$java" ${PAIRED_JAVA_OPTS:--Xms6g -Xmx6g} -cp "$a/siyu-bench.jar:$a/lib/*" io.siyu.bench.Bench "${common[@]}" \
    --pg-database siyu_bench_pair_a --data-dir "$out/paired-a-data" > "$out/paired-a.log" 2>&1 &
"$java" ${PAIRED_JAVA_OPTS:--Xms6g -Xmx6g} -cp "$b/siyu-bench.jar:$b/lib/*" io.siyu.bench.Bench "${common[@]}" \
    --pg-database siyu_bench_pair_b --data-dir "$out/paired-b-data" > "$out/paired-b.log" 2>&1 &
wait
for side in a b; do
    echo "$side: $(grep -A1 '^| db |' "$out/paired-$side.log" | tail -1)"
done
