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

    /**
     * The active key of this name, created (and audited) when there is none, for senders inside the
     * application such as the demo loader: they hand their events to the tracking service in-process
     * and never present the key, so its secret is not kept anywhere.
     */
    WriteKey inProcess(String name, String description);
}
