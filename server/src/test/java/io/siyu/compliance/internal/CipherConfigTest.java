package io.siyu.compliance.internal;

import static io.siyu.compliance.internal.AesGcmPiiCipherTest.INDEX;
import static io.siyu.compliance.internal.AesGcmPiiCipherTest.K1;
import static io.siyu.compliance.internal.AesGcmPiiCipherTest.K2;
import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.compliance.PiiCipher;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The cipher as Spring builds it from {@code siyu.crypto.*} properties. */
class CipherConfigTest {

    @TempDir
    Path dataDir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner().withUserConfiguration(CipherConfig.class)
                .withPropertyValues("siyu.data-dir=" + dataDir);
    }

    @Test
    void bindsConfiguredKeysAndRotates() {
        String[] before = {"siyu.crypto.keys.k1=" + K1, "siyu.crypto.active-key-id=k1", "siyu.crypto.index-key=" + INDEX};
        String[] after = {"siyu.crypto.keys.k1=" + K1, "siyu.crypto.keys.k2=" + K2, "siyu.crypto.active-key-id=k2",
                "siyu.crypto.index-key=" + INDEX};
        String[] sealed = new String[1];
        runner().withPropertyValues(before).run(ctx -> sealed[0] = ctx.getBean(PiiCipher.class).encrypt("张三"));
        runner().withPropertyValues(after).run(ctx -> {
            PiiCipher cipher = ctx.getBean(PiiCipher.class);
            assertThat(cipher.decrypt(sealed[0])).isEqualTo("张三");
            assertThat(cipher.needsRotation(sealed[0])).isTrue();
            assertThat(cipher.encrypt("x")).startsWith("k2:");
        });
        assertThat(dataDir.resolve(KeyRingLoader.FILE_NAME)).doesNotExist();
    }

    @Test
    void withoutConfigurationUsesTheGeneratedFileAcrossRestarts() {
        String[] sealed = new String[1];
        runner().run(ctx -> sealed[0] = ctx.getBean(PiiCipher.class).encrypt("13812345678"));
        assertThat(dataDir.resolve(KeyRingLoader.FILE_NAME)).exists();
        runner().run(ctx -> assertThat(ctx.getBean(PiiCipher.class).decrypt(sealed[0])).isEqualTo("13812345678"));
    }

    @Test
    void malformedKeyStopsStartupWithAClearMessage() {
        runner().withPropertyValues("siyu.crypto.keys.k1=c2hvcnQ=", "siyu.crypto.active-key-id=k1",
                        "siyu.crypto.index-key=" + INDEX)
                .run(ctx -> assertThat(ctx).hasFailed().getFailure()
                        .rootCause()
                        .isInstanceOf(KeyConfigurationException.class)
                        .hasMessageContaining("siyu.crypto.keys.k1 in the configuration must be 32 bytes"));
    }
}
