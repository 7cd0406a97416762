package io.siyu.compliance;

/**
 * A stored PII value could not be opened: it is malformed, it names a key that is not configured
 * (a key was removed before every value was re-encrypted), or it fails authentication (wrong key
 * material or a changed ciphertext). This is an operations problem, never the caller's input.
 */
public class PiiCipherException extends RuntimeException {

    public PiiCipherException(String message) {
        super(message);
    }

    public PiiCipherException(String message, Throwable cause) {
        super(message, cause);
    }
}
