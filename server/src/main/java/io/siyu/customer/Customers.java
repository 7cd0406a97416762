package io.siyu.customer;

import java.util.List;
import java.util.Optional;

/**
 * What other modules may ask of the customer module: resolve incoming identities to one customer
 * (creating or merging as needed), look a customer up by an identity, follow a merged id.
 */
public interface Customers {

    /**
     * Resolves the identities to one customer and applies the traits to it, in one transaction.
     * Invalid identities fail with a 400 problem and change nothing.
     */
    Resolution identify(List<IdentityInput> identities, CustomerTraits traits);

    /**
     * As {@link #identify(List, CustomerTraits)}, for an identification observed at {@code observedAt}
     * (an imported or replayed event): new customers and identities are dated then, so the oldest
     * customer by first sighting survives merges.
     */
    Resolution identify(List<IdentityInput> identities, CustomerTraits traits, java.time.OffsetDateTime observedAt);

    /** The active customer holding this identity. */
    Optional<Long> lookup(IdentityInput identity);

    /** The id a customer id now stands for: itself, or the survivor it was merged into. */
    Optional<Long> resolveId(long customerId);

    /**
     * {@link #resolveId} for many ids with one or two queries (batch ingestion): for each id that
     * stands for an active customer, the id of that customer (itself, or the survivor it was merged
     * into). Unknown ids and ids standing for an erased customer are absent.
     */
    java.util.Map<Long, Long> resolveActiveIds(java.util.Collection<Long> customerIds);

    /** Whether any customer exists (setup code loads demo data only into an empty database). */
    boolean hasCustomers();

    /**
     * Defines a custom attribute unless one of that name exists, for setup code (demo data,
     * integrations). {@code type}: string | number | boolean | date; {@code mergeStrategy}: newest |
     * oldest | survivor | max | min.
     */
    void ensureAttribute(String name, String type, String labelZh, String labelEn, String mergeStrategy);

    /**
     * The custom attributes defined in the schema, each with its type (string | number | boolean |
     * date), for callers that turn text (an import's cells) into typed attribute values.
     */
    java.util.Map<String, String> attributeTypes();

    /** The configured identity types, highest priority first. */
    List<IdentityType> identityTypes();
}
