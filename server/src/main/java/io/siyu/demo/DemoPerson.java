package io.siyu.demo;

import io.siyu.customer.CustomerTraits;
import io.siyu.customer.IdentityInput;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One person of the demo brand with every channel tied together: the identities a fully resolved
 * customer would hold, the profile, and when they were first seen.
 */
public record DemoPerson(int index, List<IdentityInput> identities, CustomerTraits traits, OffsetDateTime firstSeen) {

    public DemoPerson {
        identities = List.copyOf(identities);
    }
}
