package io.siyu.compliance.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siyu.compliance.PiiCipherException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AesGcmPiiCipherTest {

    static final String K1 = key(1);
    static final String K2 = key(2);
    static final String INDEX = key(9);

    static String key(int seed) {
        byte[] bytes = new byte[32];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (seed * 31 + i);
        }
        return Base64.getEncoder().encodeToString(bytes);
    }

    static AesGcmPiiCipher cipher(Map<String, String> keys, String active, String index) {
        return new AesGcmPiiCipher(KeyRing.parse(keys, active, index, "test"), new SecureRandom());
    }

    private final AesGcmPiiCipher one = cipher(Map.of("k1", K1), "k1", INDEX);

    @Test
    void roundTripsTextIncludingChineseAndEmpty() {
        for (String plain : new String[] {"+8613812345678", "张三", "zhang@example.com", "", "🙂 emoji"}) {
            String sealed = one.encrypt(plain);
            assertThat(sealed).startsWith("k1:");
            if (!plain.isEmpty()) {
                assertThat(sealed).doesNotContain(plain);
            }
            assertThat(one.decrypt(sealed)).isEqualTo(plain);
        }
    }

    @Test
    void nullPassesThrough() {
        assertThat(one.encrypt(null)).isNull();
        assertThat(one.decrypt(null)).isNull();
        assertThat(one.needsRotation(null)).isFalse();
    }

    @Test
    void storedFormIsKeyIdAndBase64UrlOfNonceCiphertextAndTag() {
        String sealed = one.encrypt("abc");
        String body = sealed.substring("k1:".length());
        assertThat(body).matches("[A-Za-z0-9_-]+");
        // 12 bytes of nonce + 3 bytes of ciphertext + 16 bytes of tag
        assertThat(Base64.getUrlDecoder().decode(body)).hasSize(12 + 3 + 16);
    }

    @Test
    void sameValueSealsDifferentlyEachTime() {
        String a = one.encrypt("13812345678");
        String b = one.encrypt("13812345678");
        assertThat(a).isNotEqualTo(b);
        byte[] na = Base64.getUrlDecoder().decode(a.substring(3));
        byte[] nb = Base64.getUrlDecoder().decode(b.substring(3));
        assertThat(java.util.Arrays.copyOf(na, 12)).isNotEqualTo(java.util.Arrays.copyOf(nb, 12));
    }

    @Test
    void changedCiphertextIsRefused() {
        String sealed = one.encrypt("13812345678");
        byte[] data = Base64.getUrlDecoder().decode(sealed.substring(3));
        data[data.length / 2] ^= 1;
        String tampered = "k1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(data);
        assertThatThrownBy(() -> one.decrypt(tampered))
                .isInstanceOf(PiiCipherException.class)
                .hasMessageContaining("could not be opened with key 'k1'");
    }

    @Test
    void valueRelabelledToAnotherKeyIsRefused() {
        AesGcmPiiCipher two = cipher(Map.of("k1", K1, "k2", K1), "k1", INDEX);
        String sealed = two.encrypt("13812345678");
        // same key material under another id: the key id is authenticated, so this must still fail
        assertThatThrownBy(() -> two.decrypt("k2" + sealed.substring(2))).isInstanceOf(PiiCipherException.class);
    }

    @Test
    void wrongKeyMaterialIsRefused() {
        String sealed = one.encrypt("13812345678");
        AesGcmPiiCipher other = cipher(Map.of("k1", K2), "k1", INDEX);
        assertThatThrownBy(() -> other.decrypt(sealed))
                .isInstanceOf(PiiCipherException.class)
                .hasMessageContaining("key material differs");
    }

    @Test
    void rotationKeepsOldValuesReadable() {
        String old = one.encrypt("old value");
        AesGcmPiiCipher rotated = cipher(Map.of("k1", K1, "k2", K2), "k2", INDEX);
        String fresh = rotated.encrypt("new value");
        assertThat(fresh).startsWith("k2:");
        assertThat(rotated.decrypt(old)).isEqualTo("old value");
        assertThat(rotated.decrypt(fresh)).isEqualTo("new value");
        assertThat(rotated.needsRotation(old)).isTrue();
        assertThat(rotated.needsRotation(fresh)).isFalse();
        assertThat(rotated.needsRotation(rotated.encrypt(rotated.decrypt(old)))).isFalse();
    }

    @Test
    void unknownKeyIdIsAClearError() {
        AesGcmPiiCipher rotated = cipher(Map.of("k2", K2), "k2", INDEX);
        String sealed = rotated.encrypt("x");
        assertThatThrownBy(() -> one.decrypt(sealed))
                .isInstanceOf(PiiCipherException.class)
                .hasMessageContaining("key id 'k2'")
                .hasMessageContaining("not configured")
                .hasMessageContaining("siyu.crypto.keys.k2")
                .hasMessageContaining("[k1]");
    }

    @Test
    void malformedStoredValuesAreRefused() {
        assertThatThrownBy(() -> one.decrypt("no-key-id")).isInstanceOf(PiiCipherException.class)
                .hasMessageContaining("key id");
        assertThatThrownBy(() -> one.decrypt(":abc")).isInstanceOf(PiiCipherException.class);
        assertThatThrownBy(() -> one.decrypt("k1:***")).isInstanceOf(PiiCipherException.class)
                .hasMessageContaining("base64url");
        assertThatThrownBy(() -> one.decrypt("k1:AAAA")).isInstanceOf(PiiCipherException.class)
                .hasMessageContaining("too short");
        assertThatThrownBy(() -> one.needsRotation("plain text")).isInstanceOf(PiiCipherException.class);
    }

    @Test
    void blindIndexIsDeterministicAndUrlSafe() {
        String a = one.blindIndex("phone", "+8613812345678");
        assertThat(a).isEqualTo(one.blindIndex("phone", "+8613812345678")).matches("[A-Za-z0-9_-]{43}");
        assertThat(a).isNotEqualTo(one.blindIndex("phone", "+8613812345679"));
    }

    @Test
    void blindIndexSeparatesKinds() {
        assertThat(one.blindIndex("phone", "12345")).isNotEqualTo(one.blindIndex("external_id", "12345"));
    }

    @Test
    void blindIndexIsHmacOfKindAndValueUnderTheIndexKey() throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(Base64.getDecoder().decode(INDEX), "HmacSHA256"));
        String expected = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal("email:a@b.cn".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(one.blindIndex("email", "a@b.cn")).isEqualTo(expected);
    }

    @Test
    void blindIndexDependsOnTheIndexKeyNotTheEncryptionKeys() {
        AesGcmPiiCipher rotated = cipher(Map.of("k1", K1, "k2", K2), "k2", INDEX);
        AesGcmPiiCipher otherIndex = cipher(Map.of("k1", K1), "k1", key(10));
        assertThat(rotated.blindIndex("phone", "1")).isEqualTo(one.blindIndex("phone", "1"));
        assertThat(otherIndex.blindIndex("phone", "1")).isNotEqualTo(one.blindIndex("phone", "1"));
    }

    @Test
    void blindIndexKindMayNotContainTheSeparator() {
        assertThatThrownBy(() -> one.blindIndex("a:b", "c")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> one.blindIndex("phone", null)).isInstanceOf(IllegalArgumentException.class);
    }
}
