package io.siyu.compliance.internal;

import java.util.List;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Service;

/**
 * Recomputes the audit chain from the first entry to the head, in batches so that memory stays
 * flat however long the log is. It checks entries up to the head as read at the start: those are
 * committed and final, while later ones may still be arriving.
 */
@Service
class AuditVerifier {

    static final int BATCH = 1000;

    private final AuditStore store;
    private final MessageSource messages;

    AuditVerifier(AuditStore store, MessageSource messages) {
        this.store = store;
        this.messages = messages;
    }

    AuditVerification verify(Locale locale) {
        AuditStore.Head head = store.readHead();
        long expectedId = 1;
        String prevHash = AuditChain.GENESIS;
        long checked = 0;
        while (expectedId <= head.lastId()) {
            List<AuditEntry> batch = store.batch(expectedId - 1, head.lastId(), BATCH);
            if (batch.isEmpty()) {
                break;
            }
            for (AuditEntry e : batch) {
                checked++;
                if (e.id() != expectedId) {
                    return invalid(checked, expectedId, AuditVerification.Reason.MISSING_ENTRIES, locale);
                }
                if (!prevHash.equals(e.prevHash())) {
                    return invalid(checked, e.id(), AuditVerification.Reason.CHAIN_BROKEN, locale);
                }
                if (!AuditChain.hash(e).equals(e.hash())) {
                    return invalid(checked, e.id(), AuditVerification.Reason.HASH_MISMATCH, locale);
                }
                prevHash = e.hash();
                expectedId++;
            }
        }
        if (expectedId <= head.lastId()) {
            return invalid(checked, expectedId, AuditVerification.Reason.MISSING_ENTRIES, locale);
        }
        if (!prevHash.equals(head.lastHash())) {
            return invalid(checked, head.lastId(), AuditVerification.Reason.HEAD_MISMATCH, locale);
        }
        return new AuditVerification(true, checked, null, null,
                messages.getMessage("audit.verify.valid", new Object[] {checked}, locale));
    }

    private AuditVerification invalid(long checked, long id, AuditVerification.Reason reason, Locale locale) {
        String message = messages.getMessage("audit.verify." + reason.code(), new Object[] {String.valueOf(id)}, locale);
        return new AuditVerification(false, checked, String.valueOf(id), reason.code(), message);
    }
}
