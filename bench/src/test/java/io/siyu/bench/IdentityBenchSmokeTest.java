package io.siyu.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The identity benchmark end to end at 1,000 demo people on H2: loaded people are found, new ones created. */
class IdentityBenchSmokeTest {

    @TempDir
    Path dir;

    @Test
    void loadsCustomersTheApplicationFindsAndMeasuresIdentify() throws Exception {
        Options options = new Options(List.of("--db", "h2", "--customers", "1000", "--ops", "200", "--warmup", "0",
                "--threads", "2", "--new-ratio", "0.3", "--h2-dir", dir.resolve("h2").toString(),
                "--data-dir", dir.resolve("data").toString()), IdentityBench.DEFAULTS, IdentityBench.FLAGS);

        IdentityBench.Report report = IdentityBench.run(options);

        CustomerLoader.LoadTimes load = report.load().orElseThrow();
        assertEquals(1000, load.customers());
        assertTrue(load.identities() > 2000, "demo people hold several identities each: " + load.identities());
        assertTrue(load.identitiesByType().keySet().containsAll(List.of("phone", "email", "wechat_unionid",
                "wecom_external_userid", "miniapp_openid", "wechat_openid", "pos_member_no", "external_id",
                "anonymous_id")), () -> "identity types: " + load.identitiesByType());
        IdentifyWorkload.Result run = report.runs().getFirst();
        assertEquals(200, run.ops());
        assertEquals(0, run.errors(), () -> "first error: " + run.firstError());
        assertEquals(0, run.wrongCustomer());
        assertEquals(0, run.merged());
        assertEquals(0, run.conflicts());
        assertEquals(200, run.created() + run.linked());
        assertTrue(run.created() > 0 && run.linked() > 0, "both new and known people are in the mix");
        assertEquals(200, run.latencies().length);
    }
}
