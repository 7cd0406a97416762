package io.siyu.compliance.internal;

import io.siyu.compliance.PiiCipher;
import io.siyu.compliance.PiiCipherException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM with a random 96-bit nonce per value, stored as
 * {@code <keyId>:<base64url(nonce || ciphertext || tag)>}. The key id is also authenticated
 * (as associated data), so a value cannot be relabelled to another key. Blind indexes are
 * HMAC-SHA256 under a key of their own.
 */
final class AesGcmPiiCipher implements PiiCipher {

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Pattern KIND = Pattern.compile("[a-z0-9_.-]{1,64}");

    private final KeyRing keys;
    private final SecureRandom random;

    AesGcmPiiCipher(KeyRing keys, SecureRandom random) {
        this.keys = keys;
        this.random = random;
    }

    @Override
    public String encrypt(String plaintext) {
        if (plaintext == null) {
            return null;
        }
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, keys.activeKey(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(keys.activeKeyId().getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return keys.activeKeyId() + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    @Override
    public String decrypt(String stored) {
        if (stored == null) {
            return null;
        }
        String keyId = keyId(stored);
        SecretKey key = keys.keys().get(keyId);
        if (key == null) {
            throw new PiiCipherException("a stored PII value was sealed with key id '" + keyId
                    + "', which is not configured (siyu.crypto.keys." + keyId + "); configured key ids: "
                    + keys.keys().keySet());
        }
        byte[] data;
        try {
            data = Base64.getUrlDecoder().decode(stored.substring(keyId.length() + 1));
        } catch (IllegalArgumentException e) {
            throw new PiiCipherException("a stored PII value sealed with key '" + keyId + "' is not valid base64url");
        }
        if (data.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new PiiCipherException("a stored PII value sealed with key '" + keyId + "' is too short");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
            cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new PiiCipherException("a stored PII value could not be opened with key '" + keyId
                    + "': the key material differs from the one that sealed it, or the value was changed", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    @Override
    public String blindIndex(String kind, String normalisedValue) {
        // a kind with ':' could make "a:b" + "c" collide with "a" + "b:c"
        if (kind == null || !KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("blind index kind must match " + KIND + ": " + kind);
        }
        if (normalisedValue == null) {
            throw new IllegalArgumentException("blind index of a null value");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(keys.indexKey());
            byte[] digest = mac.doFinal((kind + ":" + normalisedValue).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    @Override
    public boolean needsRotation(String stored) {
        return stored != null && !keys.activeKeyId().equals(keyId(stored));
    }

    private static String keyId(String stored) {
        int colon = stored.indexOf(':');
        if (colon <= 0) {
            throw new PiiCipherException("a stored PII value does not start with a key id ('<keyId>:...')");
        }
        return stored.substring(0, colon);
    }
}
