package io.siyu.customer.internal;

import io.siyu.customer.IdentityType;

/**
 * An identity after validation: its type, app scope, canonical value and the key it is stored and
 * looked up by (the value itself, or its blind index for PII types).
 */
record NormalisedIdentity(IdentityType type, String appId, String value, String lookupKey) {

    /** The scope in which {@link IdentityType#maxPerCustomer()} is counted. */
    String limitScope() {
        return type.perApp() ? type.name() + "|" + appId : type.name();
    }

    boolean sameKey(String otherType, String otherAppId, String otherLookupKey) {
        return type.name().equals(otherType) && appId.equals(otherAppId) && lookupKey.equals(otherLookupKey);
    }
}
