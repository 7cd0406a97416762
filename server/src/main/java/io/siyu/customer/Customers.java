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

    /**
     * Resolves a batch of identifications in order, in the caller's transaction, with as if each had
     * gone through {@link #identify(List, CustomerTraits, java.time.OffsetDateTime)} one after the
     * other: the identities of the whole batch are looked up with one query, an identification whose
     * identities all belong to one active customer only updates that customer (the writes of the
     * batch are combined, one statement per customer, in id order), and any other goes through full
     * resolution. Identifications whose identities or traits are invalid are refused, each on its own,
     * before anything is written. Nothing is retried here: a race lost to a concurrent identification
     * surfaces as {@code DuplicateKeyException} or {@code ConcurrencyFailureException}, and the caller
     * runs its whole transaction again; a refusal that only shows while writing fails the call.
     */
    List<Identified> identifyAll(List<Identification> batch);

    /**
     * One identification of a batch: the arguments of {@link #identify(List, CustomerTraits, java.time.OffsetDateTime)},
     * and optionally the active customer the caller already knows every one of these identities to
     * belong to ({@code knownCustomer}, null when it does not). A known customer is taken on trust: its
     * identities are not looked up, and the identification updates that customer as if the lookup had
     * found it; they are not even normalised, so they must be exactly the inputs of an earlier
     * identification that resolved to that customer without conflicts or ignored identities. A known
     * customer that is no longer active is not written: the identification then goes on as without it
     * (its identities are looked up at that point).
     * Only a caller that learned the answer from such a resolution and forgets it when identities move
     * may pass one (the tracking API's identity cache).
     */
    record Identification(List<IdentityInput> identities, CustomerTraits traits, java.time.OffsetDateTime observedAt,
            Long knownCustomer) {
        public Identification {
            identities = List.copyOf(identities);
        }

        public Identification(List<IdentityInput> identities, CustomerTraits traits, java.time.OffsetDateTime observedAt) {
            this(identities, traits, observedAt, null);
        }
    }

    /** What became of one identification of a batch. */
    sealed interface Identified {

        /** Resolved to a customer. */
        record Resolved(Resolution resolution) implements Identified {
        }

        /** Refused before anything was written (invalid identities or traits). */
        record Refused(io.siyu.platform.SiyuException problem) implements Identified {
        }
    }

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
