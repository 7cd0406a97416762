package io.siyu.compliance.internal;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a bad PII key configuration into a short startup report instead of a bean-creation stack. */
public class KeyConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<KeyConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, KeyConfigurationException cause) {
        return new FailureAnalysis("The PII encryption keys are not usable: " + cause.getMessage(),
                """
                Fix the siyu.crypto.* settings: every siyu.crypto.keys.<keyId> and siyu.crypto.index-key \
                must be the base64 form of 32 random bytes (e.g. `openssl rand -base64 32`), and \
                siyu.crypto.active-key-id must name one of the keys. Leave all of them unset to use the \
                key file generated in the data directory. Never replace a key that has sealed data: add a \
                new key id and make it active instead.""", cause);
    }
}
