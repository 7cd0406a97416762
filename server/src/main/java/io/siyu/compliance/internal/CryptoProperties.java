package io.siyu.compliance.internal;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The PII keys as configured: {@code siyu.crypto.keys.<keyId>} (base64 of 32 bytes each),
 * {@code siyu.crypto.active-key-id} and {@code siyu.crypto.index-key} (the blind-index HMAC key).
 * All empty means "use the locally generated key file".
 */
@ConfigurationProperties("siyu.crypto")
record CryptoProperties(Map<String, String> keys, String activeKeyId, String indexKey) {

    CryptoProperties {
        keys = keys == null ? Map.of() : Map.copyOf(keys);
    }

    boolean isEmpty() {
        return keys.isEmpty() && isBlank(activeKeyId) && isBlank(indexKey);
    }

    static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
