package io.siyu.security;

import java.util.Optional;

/**
 * Recognises the write keys that tracking clients present (Segment clients send the key as the
 * HTTP Basic user name with an empty password). Keys are created and revoked by administrators
 * through {@code /api/v1/write-keys}; only their hashes are stored.
 */
public interface WriteKeys {

    /** The active key matching {@code presentedKey}; empty for an unknown, malformed or revoked key. */
    Optional<WriteKey> authenticate(String presentedKey);
}
