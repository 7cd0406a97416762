package io.siyu.compliance.internal;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys PII is sealed with: every configured AES-256 key by id, which of them seals new values,
 * and the separate HMAC key of the blind indexes (kept apart so that an index never reveals
 * anything about the encryption keys, and so that encryption keys can rotate without rebuilding
 * the indexes).
 */
record KeyRing(String activeKeyId, Map<String, SecretKey> keys, SecretKey indexKey) {

    static final int KEY_BYTES = 32;
    static final String PREFIX = "siyu.crypto.";
    static final String KEYS = PREFIX + "keys.";
    static final String ACTIVE_KEY_ID = PREFIX + "active-key-id";
    static final String INDEX_KEY = PREFIX + "index-key";

    /** Key ids appear in every stored value before a ':' and must bind from environment variables too. */
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    KeyRing {
        keys = Map.copyOf(keys);
    }

    SecretKey activeKey() {
        return keys.get(activeKeyId);
    }

    /**
     * Reads keys given in base64; {@code source} says where they came from, for the messages.
     *
     * @throws KeyConfigurationException naming the first property that cannot be used
     */
    static KeyRing parse(Map<String, String> encodedKeys, String activeKeyId, String encodedIndexKey, String source) {
        if (encodedKeys.isEmpty()) {
            throw new KeyConfigurationException("no encryption key is configured in " + source + " (" + KEYS
                    + "<keyId>); " + ACTIVE_KEY_ID + " and " + INDEX_KEY + " need " + KEYS + "<keyId> as well");
        }
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : new TreeMap<>(encodedKeys).entrySet()) {
            if (!KEY_ID.matcher(e.getKey()).matches()) {
                throw new KeyConfigurationException("key id '" + e.getKey() + "' in " + source
                        + " is not allowed: use 1 to 32 letters, digits, '_' or '-'");
            }
            keys.put(e.getKey(), new SecretKeySpec(decode(KEYS + e.getKey(), e.getValue(), source, true), "AES"));
        }
        String active = activeKeyId == null ? "" : activeKeyId.strip();
        if (active.isEmpty()) {
            if (keys.size() > 1) {
                throw new KeyConfigurationException(ACTIVE_KEY_ID + " is not set in " + source
                        + " but several keys are configured " + keys.keySet() + "; name the one that seals new values");
            }
            active = keys.keySet().iterator().next();
        }
        if (!keys.containsKey(active)) {
            throw new KeyConfigurationException(ACTIVE_KEY_ID + "=" + active + " in " + source
                    + " does not name a configured key; configured: " + keys.keySet());
        }
        if (encodedIndexKey == null || encodedIndexKey.isBlank()) {
            throw new KeyConfigurationException(INDEX_KEY + " is not set in " + source
                    + "; the blind-index key is required whenever encryption keys are configured");
        }
        SecretKey index = new SecretKeySpec(decode(INDEX_KEY, encodedIndexKey, source, false), "HmacSHA256");
        return new KeyRing(active, keys, index);
    }

    private static byte[] decode(String property, String encoded, String source, boolean exact) {
        String text = encoded == null ? "" : encoded.strip();
        byte[] bytes;
        try {
            bytes = text.contains("-") || text.contains("_")
                    ? Base64.getUrlDecoder().decode(text)
                    : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            // the cause is not attached: its message may quote part of the secret
            throw new KeyConfigurationException(property + " in " + source + " is not valid base64");
        }
        if (exact ? bytes.length != KEY_BYTES : bytes.length < KEY_BYTES) {
            throw new KeyConfigurationException(property + " in " + source + " must be " + (exact ? "" : "at least ")
                    + KEY_BYTES + " bytes (" + KEY_BYTES * 8 + " bits) of base64, but it decodes to " + bytes.length
                    + " bytes");
        }
        return bytes;
    }

    /** A fresh key set: one AES key with a random id, and an index key, as property values. */
    static Map<String, String> generate(SecureRandom random) {
        byte[] id = new byte[4];
        random.nextBytes(id);
        String keyId = "local-" + HexFormat.of().formatHex(id);
        Map<String, String> props = new LinkedHashMap<>();
        props.put(KEYS + keyId, randomKey(random));
        props.put(ACTIVE_KEY_ID, keyId);
        props.put(INDEX_KEY, randomKey(random));
        return props;
    }

    private static String randomKey(SecureRandom random) {
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** Reads a key set written as properties ({@link #generate} output or a file of the same shape). */
    static KeyRing fromProperties(Map<String, String> props, String source) {
        Map<String, String> keys = new LinkedHashMap<>();
        props.forEach((name, val) -> {
            if (name.startsWith(KEYS)) {
                keys.put(name.substring(KEYS.length()), val);
            }
        });
        return parse(keys, props.get(ACTIVE_KEY_ID), props.get(INDEX_KEY), source);
    }

    @Override
    public String toString() {
        // never print key material, not even by accident in a log line
        return "KeyRing[active=" + activeKeyId + ", keys=" + keys.keySet() + "]";
    }
}
