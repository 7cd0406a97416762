package io.siyu.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The segments benchmark end to end at a tiny size on H2: the data loads, the engine loads it, segments
 * are created, bitmap, SQL and DuckDB agree on the five rules and on RFM, and Segment Entered latencies
 * are measured.
 */
class SegmentBenchSmokeTest {

    @TempDir
    Path dir;

    @Test
    void bitmapSqlAndDuckDbAgreeAndLatencyIsMeasured() throws Exception {
        Options options = new Options(List.of("--db", "h2", "--customers", "2000", "--events", "30000", "--orders",
                "6000", "--segments", "12", "--runs", "3", "--warmup", "1", "--sql-runs", "1", "--rfm-runs", "1",
                "--rate", "400", "--latency-seconds", "2", "--h2-dir", dir.resolve("h2").toString(), "--data-dir",
                dir.resolve("data").toString(), "--export-dir", dir.resolve("export").toString()),
                SegmentBench.DEFAULTS, SegmentBench.FLAGS);

        SegmentBench.Report report = SegmentBench.run(options);

        assertEquals(List.of(), report.mismatches());
        assertEquals(12, report.segmentsCreated());
        assertEquals(5, report.rules().size());
        assertTrue(report.rules().stream().allMatch(r -> r.bitmapCount() == r.duckCount() && r.bitmapCount() == r.sqlCount()));
        assertTrue(report.rules().stream().mapToLong(SegmentBench.RuleResult::bitmapCount).sum() > 0,
                () -> "the rules select someone: " + report.rules());
        assertTrue(report.engineBytes() > 0);
        assertTrue(report.rfmMatches());
        assertEquals(0, report.latency().failedBatches());
        assertTrue(report.latency().measured() > 0, () -> "latency: " + report.latency());
        assertEquals(report.latency().triggers(), report.latency().measured(), () -> "latency: " + report.latency());
    }
}
