package io.siyu.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestFingerprintTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void isTheHexSha256OfTheLengthPrefixedParts() {
        // each part is written as "<length>:<bytes>"; an absent query is an empty part
        String hash = RequestFingerprint.hash("POST", "/api/v1/things", null, utf8("{\"a\":1}"));
        assertThat(hash).hasSize(64).matches("[0-9a-f]{64}");
        assertThat(hash).isEqualTo(sha256Hex("4:POST14:/api/v1/things0:7:{\"a\":1}"));
    }

    @Test
    void sameRequestSameHash() {
        assertThat(RequestFingerprint.hash("POST", "/api/v1/things", "x=1", utf8("{}")))
                .isEqualTo(RequestFingerprint.hash("POST", "/api/v1/things", "x=1", utf8("{}")));
    }

    @Test
    void methodPathQueryAndBodyEachChangeTheHash() {
        String base = RequestFingerprint.hash("POST", "/api/v1/things", "x=1", utf8("{}"));
        assertThat(RequestFingerprint.hash("PUT", "/api/v1/things", "x=1", utf8("{}"))).isNotEqualTo(base);
        assertThat(RequestFingerprint.hash("POST", "/api/v1/other", "x=1", utf8("{}"))).isNotEqualTo(base);
        assertThat(RequestFingerprint.hash("POST", "/api/v1/things", "x=2", utf8("{}"))).isNotEqualTo(base);
        assertThat(RequestFingerprint.hash("POST", "/api/v1/things", "x=1", utf8("{ }"))).isNotEqualTo(base);
    }

    @Test
    void partsCannotBeShiftedIntoEachOther() {
        assertThat(RequestFingerprint.hash("POST", "/api/v1/ab", null, utf8("c")))
                .isNotEqualTo(RequestFingerprint.hash("POST", "/api/v1/a", null, utf8("bc")));
        assertThat(RequestFingerprint.of("POST", "/p", null).text("ab").text("").hex())
                .isNotEqualTo(RequestFingerprint.of("POST", "/p", null).text("a").text("b").hex());
    }

    private static String sha256Hex(String s) {
        try {
            return java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(utf8(s)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
