package io.siyu.customer.internal;

import java.time.OffsetDateTime;

/** One stored identity; PII types carry their value only encrypted ({@code valueEnc}). */
record IdentityRow(long id, long customerId, String type, String appId, String lookupKey, String value, String valueEnc,
        OffsetDateTime createdAt) {

    String limitScope(boolean perApp) {
        return perApp ? type + "|" + appId : type;
    }
}
