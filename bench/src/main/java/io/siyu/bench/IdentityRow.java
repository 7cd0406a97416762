package io.siyu.bench;

import java.time.OffsetDateTime;

/** One customer_identity row as the application would have written it. */
record IdentityRow(long customerId, String type, String appId, String lookupKey, String value, String valueEnc,
        OffsetDateTime createdAt) {
}
