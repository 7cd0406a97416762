package io.siyu.customer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siyu.customer.CustomerTraits;
import io.siyu.customer.Customers;
import io.siyu.customer.IdentityInput;
import io.siyu.testing.ApiTest;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The customer and identity writes of new people's batches (on PostgreSQL one statement over column
 * arrays each): every field arrives as given, and a lost race on an identity is a
 * {@link DuplicateKeyException}, which the tracking writer retries.
 */
class CustomerWritesIT extends ApiTest {

    private static final OffsetDateTime AT = OffsetDateTime.parse("2026-12-01T10:00:00+08:00");

    @Autowired
    CustomerStore customers;

    @Autowired
    IdentityStore identities;

    @Autowired
    IdentityNormaliser normaliser;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    CustomerService service;

    @Test
    void newPeopleAndTheirIdentitiesAreWrittenAsGiven() {
        long id = tx.execute(s -> {
            long next = customers.allocatesIds() ? customers.allocateIds(1).getFirst()
                    : customers.insert(CustomerRow.Profile.EMPTY, null, null, AT);
            if (customers.allocatesIds()) {
                var profile = new CustomerRow.Profile("小明", "xm", "male", LocalDate.of(1990, 2, 3), "广东", "深圳",
                        "https://example.com/a.png");
                customers.insertAll(List.of(new CustomerRow(next, CustomerRow.ACTIVE, null, profile, "enc:v1:x", "import",
                        AT, AT.minusDays(1), AT, null)));
            }
            return next;
        });
        CustomerRow row = customers.find(id).orElseThrow();
        assertThat(row.status()).isEqualTo(CustomerRow.ACTIVE);
        if (customers.allocatesIds()) {
            assertThat(row.profile()).isEqualTo(new CustomerRow.Profile("小明", "xm", "male", LocalDate.of(1990, 2, 3),
                    "广东", "深圳", "https://example.com/a.png"));
            assertThat(row.realNameEnc()).isEqualTo("enc:v1:x");
            assertThat(row.source()).isEqualTo("import");
            assertThat(row.profileUpdatedAt()).isEqualTo(AT);
            assertThat(row.createdAt()).isEqualTo(AT.minusDays(1));
        }

        String user = "u-" + UUID.randomUUID();
        String email = "m-" + UUID.randomUUID() + "@example.com";
        NormalisedIdentity external = normaliser.normaliseOne(IdentityInput.of("external_id", user), "/0").orElseThrow();
        // personal: stored encrypted, found by its blind index
        NormalisedIdentity mail = normaliser.normaliseOne(IdentityInput.of("email", email), "/1").orElseThrow();
        tx.executeWithoutResult(s -> identities.insertAll(List.of(new IdentityStore.NewIdentity(id, external, AT),
                new IdentityStore.NewIdentity(id, mail, AT))));
        List<IdentityRow> found = identities.findAll(List.of(external, mail));
        assertThat(found).extracting(IdentityRow::customerId).containsOnly(id);
        assertThat(found).filteredOn(r -> r.type().equals("external_id")).singleElement()
                .satisfies(r -> assertThat(r.value()).isEqualTo(user));
        assertThat(found).filteredOn(r -> r.type().equals("email")).singleElement().satisfies(r -> {
            assertThat(r.value()).isNull();
            assertThat(r.valueEnc()).isNotBlank().doesNotContain(email);
        });

        // the same identity again, as a concurrent writer that lost the race would write it
        assertThatThrownBy(() -> tx.executeWithoutResult(
                s -> identities.insertAll(List.of(new IdentityStore.NewIdentity(id, external, AT)))))
                .isInstanceOf(DuplicateKeyException.class);
    }

    private static CustomerTraits named(String name) {
        return new CustomerTraits(name, null, null, null, null, null, null, null, null, java.util.Map.of());
    }

    /**
     * An identification whose customer the caller knows (the tracking API's identity cache) updates that
     * customer exactly as a looked-up one would, and its identities are not looked up: an identity the
     * customer does not hold is taken on the caller's word, not added and not given to a new customer.
     */
    @Test
    void aKnownCustomerIsUpdatedWithoutLookingItsIdentitiesUp() {
        String user = "known-" + UUID.randomUUID();
        long id = service.identify(List.of(IdentityInput.of("external_id", user)), named("Before"), AT).customerId();

        var looked = tx.execute(s -> service.identifyAll(List.of(new Customers.Identification(
                List.of(IdentityInput.of("external_id", user)), named("Looked up"), AT.plusMinutes(1)))));
        var told = tx.execute(s -> service.identifyAll(List.of(new Customers.Identification(
                List.of(IdentityInput.of("external_id", user)), named("Told"), AT.plusMinutes(2), id))));
        assertThat(looked.getFirst()).isInstanceOfSatisfying(Customers.Identified.Resolved.class,
                r -> assertThat(r.resolution().customerId()).isEqualTo(id));
        assertThat(told.getFirst()).isInstanceOfSatisfying(Customers.Identified.Resolved.class, r -> {
            assertThat(r.resolution().customerId()).isEqualTo(id);
            assertThat(r.resolution().created()).isFalse();
        });
        CustomerRow row = customers.find(id).orElseThrow();
        assertThat(row.profile().displayName()).isEqualTo("Told");
        assertThat(row.profileUpdatedAt()).isEqualTo(AT.plusMinutes(2));

        // taken on trust: without a lookup, an identity nobody holds goes to the customer given, unwritten
        String stranger = "stranger-" + UUID.randomUUID();
        var trusted = tx.execute(s -> service.identifyAll(List.of(new Customers.Identification(
                List.of(IdentityInput.of("external_id", stranger)), named("Trusted"), AT.plusMinutes(3), id))));
        assertThat(trusted.getFirst()).isInstanceOfSatisfying(Customers.Identified.Resolved.class,
                r -> assertThat(r.resolution().customerId()).isEqualTo(id));
        assertThat(service.lookup(IdentityInput.of("external_id", stranger))).isEmpty();
        assertThat(customers.find(id).orElseThrow().profile().displayName()).isEqualTo("Trusted");
    }

    /**
     * A known customer that is no longer active (erased here) is not written: the identification goes
     * on as without the hint, and finds the identity free again.
     */
    @Test
    void aKnownCustomerThatIsNoLongerActiveIsResolvedAsWithoutIt() {
        String user = "gone-" + UUID.randomUUID();
        long id = service.identify(List.of(IdentityInput.of("external_id", user)), named("Gone"), AT).customerId();
        service.erase(id);
        var again = tx.execute(s -> service.identifyAll(List.of(new Customers.Identification(
                List.of(IdentityInput.of("external_id", user)), named("Again"), AT.plusMinutes(1), id))));
        assertThat(again.getFirst()).isInstanceOfSatisfying(Customers.Identified.Resolved.class, r -> {
            assertThat(r.resolution().created()).isTrue();
            assertThat(r.resolution().customerId()).isNotEqualTo(id);
        });
        assertThat(customers.find(id).orElseThrow().status()).isNotEqualTo(CustomerRow.ACTIVE);
        assertThat(customers.find(id).orElseThrow().profile().displayName()).isNotEqualTo("Again");
    }

    /**
     * The combined write of a batch's known customers (on PostgreSQL one statement over column arrays):
     * every field arrives as given; when one of the customers is no longer active the write fails as a
     * lost race and changes nothing, so that the tracking writer starts the group over.
     */
    @Test
    void pendingWritesArriveAsGivenAndFailWhenOneCustomerIsGone() {
        long a = service.identify(List.of(IdentityInput.of("external_id", "w-" + UUID.randomUUID())), named("A"), AT)
                .customerId();
        long b = service.identify(List.of(IdentityInput.of("external_id", "w-" + UUID.randomUUID())), named("B"), AT)
                .customerId();
        CustomerRow before = customers.find(a).orElseThrow();
        var profile = new CustomerRow.Profile("小红", "xh", "female", LocalDate.of(1992, 3, 4), "浙江", "杭州",
                "https://example.com/b.png");
        java.util.SortedMap<Long, CustomerRow> rows = new java.util.TreeMap<>();
        rows.put(a, new CustomerRow(a, CustomerRow.ACTIVE, null, profile, "enc:v1:y", "tracking", AT.plusHours(1),
                before.createdAt(), AT.plusHours(2), null));
        rows.put(b, new CustomerRow(b, CustomerRow.ACTIVE, null, CustomerRow.Profile.EMPTY, null, null,
                AT.plusHours(3), before.createdAt(), AT.plusHours(4), null));
        tx.executeWithoutResult(s -> customers.writeAll(rows));

        CustomerRow written = customers.find(a).orElseThrow();
        assertThat(written.profile()).isEqualTo(profile);
        assertThat(written.realNameEnc()).isEqualTo("enc:v1:y");
        assertThat(written.source()).isEqualTo("tracking");
        assertThat(written.profileUpdatedAt()).isEqualTo(AT.plusHours(1));
        assertThat(written.updatedAt()).isEqualTo(AT.plusHours(2));
        assertThat(written.createdAt()).isEqualTo(before.createdAt());
        CustomerRow emptied = customers.find(b).orElseThrow();
        assertThat(emptied.profile()).isEqualTo(CustomerRow.Profile.EMPTY);
        assertThat(emptied.profileUpdatedAt()).isEqualTo(AT.plusHours(3));

        service.erase(b);
        java.util.SortedMap<Long, CustomerRow> later = new java.util.TreeMap<>();
        later.put(a, new CustomerRow(a, CustomerRow.ACTIVE, null, CustomerRow.Profile.EMPTY, null, "tracking",
                AT.plusHours(5), before.createdAt(), AT.plusHours(5), null));
        later.put(b, new CustomerRow(b, CustomerRow.ACTIVE, null, profile, null, "tracking", AT.plusHours(5),
                before.createdAt(), AT.plusHours(5), null));
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> customers.writeAll(later)))
                .isInstanceOf(org.springframework.dao.ConcurrencyFailureException.class);
        assertThat(customers.find(a).orElseThrow().profile()).isEqualTo(profile);
        assertThat(customers.find(b).orElseThrow().status()).isNotEqualTo(CustomerRow.ACTIVE);
    }
}
