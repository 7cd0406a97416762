package io.siyu.compliance.internal;

/**
 * The PII key configuration cannot be used (a key is not base64, has the wrong length, the active
 * key is not among the keys ...). Thrown at startup so that Siyu never runs with keys it cannot
 * trust; the message names the offending property.
 */
public class KeyConfigurationException extends RuntimeException {

    KeyConfigurationException(String message) {
        super(message);
    }

    KeyConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
