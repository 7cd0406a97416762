package io.siyu.compliance.internal;

import static io.siyu.compliance.internal.AesGcmPiiCipherTest.INDEX;
import static io.siyu.compliance.internal.AesGcmPiiCipherTest.K1;
import static io.siyu.compliance.internal.AesGcmPiiCipherTest.K2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;

class KeyRingTest {

    @Test
    void parsesKeysAndActiveId() {
        KeyRing ring = KeyRing.parse(Map.of("k1", K1, "k2", K2), "k2", INDEX, "test");
        assertThat(ring.activeKeyId()).isEqualTo("k2");
        assertThat(ring.keys()).containsOnlyKeys("k1", "k2");
        assertThat(ring.activeKey().getEncoded()).isEqualTo(Base64.getDecoder().decode(K2));
    }

    @Test
    void singleKeyIsActiveWithoutNamingIt() {
        assertThat(KeyRing.parse(Map.of("only", K1), null, INDEX, "test").activeKeyId()).isEqualTo("only");
    }

    @Test
    void acceptsUrlSafeBase64AndSurroundingWhitespace() {
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[] {
                -1, -2, -3, -4, -5, -6, -7, -8, -1, -2, -3, -4, -5, -6, -7, -8,
                -1, -2, -3, -4, -5, -6, -7, -8, -1, -2, -3, -4, -5, -6, -7, -8});
        assertThat(urlSafe).containsAnyOf("-", "_");
        assertThat(KeyRing.parse(Map.of("k1", " " + urlSafe + "\n"), "k1", INDEX, "test").keys()).hasSize(1);
    }

    @Test
    void refusesKeyThatIsNotBase64WithoutEchoingIt() {
        assertThatThrownBy(() -> KeyRing.parse(Map.of("k1", "not base64 !!secret"), "k1", INDEX, "the configuration"))
                .isInstanceOf(KeyConfigurationException.class)
                .hasMessage("siyu.crypto.keys.k1 in the configuration is not valid base64");
    }

    @Test
    void refusesKeyOfTheWrongLength() {
        String short16 = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> KeyRing.parse(Map.of("k1", short16), "k1", INDEX, "test"))
                .isInstanceOf(KeyConfigurationException.class)
                .hasMessageContaining("siyu.crypto.keys.k1")
                .hasMessageContaining("must be 32 bytes")
                .hasMessageContaining("decodes to 16 bytes");
        String long48 = Base64.getEncoder().encodeToString(new byte[48]);
        assertThatThrownBy(() -> KeyRing.parse(Map.of("k1", long48), "k1", INDEX, "test"))
                .hasMessageContaining("decodes to 48 bytes");
    }

    @Test
    void refusesShortOrMalformedIndexKey() {
        assertThatThrownBy(() -> KeyRing.parse(Map.of("k1", K1), "k1", Base64.getEncoder().encodeToString(new byte[8]), "test"))
                .isInstanceOf(KeyConfigurationException.class)
                .hasMessageContaining("siyu.crypto.index-key")
                .hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> KeyRing.parse(Map.of("k1", K1), "k1", "%%%", "test"))
                .hasMessageContaining("siyu.crypto.index-key in test is not valid base64");
    }

    @Test
    void refusesMissingIndexKey() {
        assertThatThrownBy(() -> KeyRing.parse(Map.of("k1", K1), "k1", " ", "test"))
                .isInstanceOf(KeyConfigurationException.class)
                .hasMessageContaining("siyu.crypto.index-key is not set");
    }

    @Test
    void refusesActiveIdThatIsNotConfigured() {
        assertThatThrownBy(() -> KeyRing.parse(Map.of("k1", K1), "k9", INDEX, "test"))
                .isInstanceOf(KeyConfigurationException.class)
                .hasMessageContaining("siyu.crypto.active-key-id=k9")
                .hasMessageContaining("[k1]");
    }

    @Test
    void refusesSeveralKeysWithoutActiveId() {
        assertThatThrownBy(() -> KeyRing.parse(Map.of("k1", K1, "k2", K2), null, INDEX, "test"))
                .isInstanceOf(KeyConfigurationException.class)
                .hasMessageContaining("siyu.crypto.active-key-id is not set");
    }

    @Test
    void refusesIndexKeyWithoutEncryptionKeys() {
        assertThatThrownBy(() -> KeyRing.parse(Map.of(), null, INDEX, "test"))
                .isInstanceOf(KeyConfigurationException.class)
                .hasMessageContaining("no encryption key is configured");
    }

    @Test
    void refusesKeyIdThatCannotAppearInAStoredValue() {
        assertThatThrownBy(() -> KeyRing.parse(Map.of("k:1", K1), "k:1", INDEX, "test"))
                .isInstanceOf(KeyConfigurationException.class)
                .hasMessageContaining("key id 'k:1'");
    }

    @Test
    void generatedKeysParseAndDifferEachTime() {
        SecureRandom random = new SecureRandom();
        Map<String, String> a = KeyRing.generate(random);
        Map<String, String> b = KeyRing.generate(random);
        KeyRing ring = KeyRing.fromProperties(a, "generated");
        assertThat(ring.activeKeyId()).startsWith("local-");
        assertThat(a.get(KeyRing.INDEX_KEY)).isNotEqualTo(b.get(KeyRing.INDEX_KEY));
        assertThat(a.get(KeyRing.ACTIVE_KEY_ID)).isNotEqualTo(b.get(KeyRing.ACTIVE_KEY_ID));
    }

    @Test
    void neverPrintsKeyMaterial() {
        KeyRing ring = KeyRing.parse(Map.of("k1", K1), "k1", INDEX, "test");
        assertThat(ring.toString()).doesNotContain(K1).doesNotContain(INDEX).contains("k1");
    }

    @Test
    void startupFailureReportNamesTheProblemAndTheFix() {
        var cause = new KeyConfigurationException("siyu.crypto.keys.k1 in the configuration is not valid base64");
        FailureAnalysis analysis = new KeyConfigurationFailureAnalyzer()
                .analyze(new IllegalStateException("wrapper", cause));
        assertThat(analysis.getDescription()).contains("siyu.crypto.keys.k1").contains("not valid base64");
        assertThat(analysis.getAction()).contains("openssl rand -base64 32");
    }

    @Test
    void startupFailureAnalyzerIsRegistered() {
        assertThat(org.springframework.core.io.support.SpringFactoriesLoader.forDefaultResourceLocation()
                .load(org.springframework.boot.diagnostics.FailureAnalyzer.class,
                        (type, name, failure) -> { })) // Boot's own analyzers need constructor arguments
                .hasAtLeastOneElementOfType(KeyConfigurationFailureAnalyzer.class);
    }
}
