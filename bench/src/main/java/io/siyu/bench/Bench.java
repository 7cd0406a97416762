package io.siyu.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Entry point of {@code ./siyu bench <name> [--option value ...]}. Benchmarks start the real
 * application context against a database of their own; see docs/benchmarks.md for the results.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            usage();
            return;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        switch (args[0]) {
            case "identity" -> {
                IdentityBench.Report report = IdentityBench.run(new Options(rest, IdentityBench.DEFAULTS, IdentityBench.FLAGS));
                boolean failed = report.runs().stream().anyMatch(r -> r.errors() > 0 || r.wrongCustomer() > 0);
                System.exit(failed ? 1 : 0);
            }
            case "ingest", "crash", "rebuild" -> System.exit(IngestCommands.run(args[0], rest) ? 0 : 1);
            case "segments" -> {
                if (rest.contains("--help")) {
                    System.out.println(SEGMENTS_USAGE);
                    return;
                }
                SegmentBench.Report report = SegmentBench.run(new Options(rest, SegmentBench.DEFAULTS, SegmentBench.FLAGS));
                System.exit(report.mismatches().isEmpty() ? 0 : 1);
            }
            default -> {
                System.err.println("unknown benchmark: " + args[0]);
                usage();
                System.exit(2);
            }
        }
    }

    static final String SEGMENTS_USAGE = """
            ./siyu bench segments [options]  segment engine and RFM against DuckDB on the same data (docs/benchmarks.md)
                --db h2|postgresql (postgresql: database siyu_bench_segments, kept between runs; --fresh reloads)
                --customers N (1000000) --events N (20000000) --orders N (5000000) --segments N (200)
                --runs N (20) --warmup N (5) --sql-runs N (3) --rfm-runs N (2)
                --rate EVENTS_PER_S (2000) --clients N (2) --latency-seconds S (60; 0 skips)
                --duckdb-threads N (2) --duckdb-memory SIZE (6GB) --seed N (20261125)
                --pg-host/--pg-port/--pg-user/--pg-password/--pg-database, --h2-dir, --data-dir, --export-dir
                --only all|rfm (all; rfm: only the RFM job against DuckDB, segment engine off, on the full data
                  set if loaded, else customers and orders only are loaded)
            """;

    private static void usage() {
        System.out.println("""
                Usage: ./siyu bench identity [options]
                  Identity resolution: load N people of the demo brand (io.siyu.demo.DemoData: WeCom, WeChat,
                  mini program, store, web identities) into a fresh database as resolved customers, then time
                  Customers.identify with three identities per call.
                    --db h2|postgresql     database (default h2: file DB under bench/target/bench-h2;
                                           postgresql: database siyu_bench on 127.0.0.1:5432, dropped and recreated)
                    --customers N          customers to load (default 1000000)
                    --ops N                identify calls per thread count (default 20000)
                    --duration S           time limit per thread count in seconds (default 60)
                    --threads T[,T...]     concurrent callers, one run each (default 2,4)
                    --new-ratio R          share of calls for brand-new people (default 0.3)
                    --warmup N             untimed calls first (default 5000)
                    --reuse                keep the database a previous run loaded with the same --customers
                    --pg-host/--pg-port/--pg-user/--pg-password/--pg-database, --h2-dir, --data-dir,
                    --seed (workload), --data-seed (demo people, default 20261125 like the demo data)
                ./siyu bench ingest|crash|rebuild --help
                """ + SEGMENTS_USAGE);
    }
}
