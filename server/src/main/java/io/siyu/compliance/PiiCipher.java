package io.siyu.compliance;

/**
 * Encrypts personal data (phone, email, real name) at rest with AES-GCM. The stored form names
 * the key that sealed it, so old values stay readable after the active key rotates. A
 * {@code null} value passes through unchanged in both directions, so optional fields need no
 * special case; failures to open a value are {@link PiiCipherException}s.
 */
public interface PiiCipher {

    /** Seals {@code plaintext} with the active key; the result is safe to store and names its key. */
    String encrypt(String plaintext);

    /** Opens a value made by {@link #encrypt}, with whichever configured key sealed it. */
    String decrypt(String stored);

    /**
     * A keyed HMAC of a normalised value, for exact lookup without decrypting ("blind index").
     * {@code kind} separates domains so equal strings of different kinds do not collide.
     */
    String blindIndex(String kind, String normalisedValue);

    /**
     * Whether a stored value was sealed with a key other than the active one, so that a
     * re-encryption job can find what still depends on a retired key.
     */
    boolean needsRotation(String stored);
}
