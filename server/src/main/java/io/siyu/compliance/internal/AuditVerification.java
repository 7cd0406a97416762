package io.siyu.compliance.internal;

/**
 * The outcome of recomputing the audit chain: whether it is intact, how many entries were
 * examined, and otherwise the first entry that is wrong, with a stable {@code reason} code and
 * its explanation in the caller's language.
 */
record AuditVerification(boolean valid, long checked, String firstInvalidId, String reason, String message) {

    /** Why a chain is not intact; the {@code code} is part of the API. */
    enum Reason {
        /** An entry's content no longer matches its hash: it was changed. */
        HASH_MISMATCH("hash-mismatch"),
        /** An entry does not point at the hash of the one before it: entries were replaced or reordered. */
        CHAIN_BROKEN("chain-broken"),
        /** Ids are missing from the sequence: entries were deleted. */
        MISSING_ENTRIES("missing-entries"),
        /** The chain does not end where the head says it does: the newest entries were changed or removed. */
        HEAD_MISMATCH("head-mismatch");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        String code() {
            return code;
        }
    }
}
