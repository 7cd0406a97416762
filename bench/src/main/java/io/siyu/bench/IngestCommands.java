package io.siyu.bench;

import java.util.List;

/**
 * The ingestion benchmarks ({@code ingest}, {@code crash}, {@code rebuild}) behind
 * {@link Bench}; kept apart so that Bench only dispatches to them.
 */
final class IngestCommands {

    private IngestCommands() {
    }

    /** Runs one; true when it passed its own checks. */
    static boolean run(String name, List<String> args) throws Exception {
        if (args.contains("--help")) {
            System.out.println(USAGE);
            return true;
        }
        return switch (name) {
            case "ingest" -> IngestBench.run(new Options(args, IngestBench.DEFAULTS, IngestBench.FLAGS));
            case "crash" -> CrashBench.run(new Options(args, CrashBench.DEFAULTS, java.util.Set.of()));
            case "rebuild" -> RebuildBench.run(new Options(args, RebuildBench.DEFAULTS, java.util.Set.of()));
            default -> throw new IllegalArgumentException(name);
        };
    }

    static final String USAGE = """
            ./siyu bench ingest [options]   sustained ingestion through POST /v1/batch (server in this JVM, free port)
                --db h2|postgresql   (postgresql: database siyu_bench_ingest, dropped and recreated)
                --clients N (4) --batch EVENTS (100) --people-per-batch N (10) --new-ratio R (0.2)
                --duration S (60) --batches N (100000) --warmup-batches N (200) --no-raw-copy
            ./siyu bench crash [options]    kill -9 the server (java -jar server/target/siyu-server-exec.jar) while
                                            clients send with retries; check every acknowledged event is stored once
                --db h2|postgresql (siyu_bench_crash) --clients N (4) --kills N (3) --batches-per-client N (150)
                --port P (18437) --h2-url-suffix ';WRITE_DELAY=0' (appended to the H2 URL)
            ./siyu bench rebuild [options]  POST /api/v1/customer-aggregates/rebuild over a bulk-loaded event log
                --db h2|postgresql (siyu_bench_rebuild) --events N (20000000) --customers N (1000000)
            """;
}
