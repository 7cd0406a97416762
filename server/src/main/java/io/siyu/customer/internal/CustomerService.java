package io.siyu.customer.internal;

import io.siyu.compliance.AuditLog;
import io.siyu.compliance.PiiCipher;
import io.siyu.customer.CustomerErased;
import io.siyu.customer.CustomerTraits;
import io.siyu.customer.Customers;
import io.siyu.customer.IdentityInput;
import io.siyu.customer.IdentityType;
import io.siyu.customer.Resolution;
import io.siyu.platform.Actors;
import io.siyu.platform.BrandClock;
import io.siyu.platform.FieldProblem;
import io.siyu.platform.RequestIds;
import io.siyu.platform.SiyuException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The customer module's write side: create, identify, patch, merge, erase. Every operation is one
 * transaction; operations that race with concurrent identifications on the same identities are
 * retried from the start, so the outcome is as if they had run one after the other.
 */
@Service
class CustomerService implements Customers {

    private static final int ATTEMPTS = 6;

    private final CustomerStore customers;
    private final IdentityStore identities;
    private final ConflictStore conflicts;
    private final IdentityTypes types;
    private final IdentityNormaliser normaliser;
    private final IdentityResolver resolver;
    private final CustomerMerger merger;
    private final AttributeSchema schema;
    private final AttributeStore attributes;
    private final PiiCipher cipher;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final BrandClock clock;
    private final TransactionTemplate tx;
    private final ObjectMapper json;

    CustomerService(CustomerStore customers, IdentityStore identities, ConflictStore conflicts, IdentityTypes types,
            IdentityNormaliser normaliser, IdentityResolver resolver, CustomerMerger merger, AttributeSchema schema,
            AttributeStore attributes, PiiCipher cipher, AuditLog audit, ApplicationEventPublisher events,
            BrandClock clock, TransactionTemplate tx, ObjectMapper json) {
        this.customers = customers;
        this.identities = identities;
        this.conflicts = conflicts;
        this.types = types;
        this.normaliser = normaliser;
        this.resolver = resolver;
        this.merger = merger;
        this.schema = schema;
        this.attributes = attributes;
        this.cipher = cipher;
        this.audit = audit;
        this.events = events;
        this.clock = clock;
        this.tx = tx;
        this.json = json;
    }

    @Override
    public Resolution identify(List<IdentityInput> inputs, CustomerTraits traits) {
        return identify(inputs, traits, null);
    }

    @Override
    public Resolution identify(List<IdentityInput> inputs, CustomerTraits traits, OffsetDateTime observedAt) {
        Map<String, Object> profile = ProfileFields.fromTraits(traits, today());
        List<AttributeSchema.Change> attrs = schema.changes(json.valueToTree(traits.attributes()), "/attributes");
        return identify(inputs, profile, attrs, "/identities", observedAt);
    }

    Resolution identify(List<IdentityInput> inputs, Map<String, Object> profile, List<AttributeSchema.Change> attrs,
            String pointer, OffsetDateTime observedAt) {
        IdentityNormaliser.Normalised normalised = normaliser.normalise(inputs, pointer);
        String source = (String) profile.get("source");
        return retrying(() -> {
            OffsetDateTime at = observedAt == null ? clock.now() : observedAt;
            Resolution r = resolver.resolve(normalised.identities(), normalised.ignored(), source, at);
            CustomerRow row = customers.find(r.customerId()).orElseThrow();
            Map<String, Object> changes = new java.util.LinkedHashMap<>(profile);
            if (row.source() != null) {
                changes.remove("source");
            }
            writeProfile(row, changes, attrs, at);
            return r;
        });
    }

    @Override
    public List<Identified> identifyAll(List<Identification> batch) {
        Identified[] out = new Identified[batch.size()];
        List<Prepared> prepared = new java.util.ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Identification b = batch.get(i);
            try {
                Map<String, Object> profile = ProfileFields.fromTraits(b.traits(), today());
                List<AttributeSchema.Change> attrs = schema.changes(json.valueToTree(b.traits().attributes()), "/attributes");
                OffsetDateTime at = b.observedAt() == null ? clock.now() : b.observedAt();
                if (b.knownCustomer() != null && attrs.isEmpty()) {
                    // identities the caller resolved before: normalised only if the customer turns out gone
                    prepared.add(new Prepared(i, null, profile, attrs, at, b.knownCustomer(), b.identities()));
                    continue;
                }
                prepared.add(new Prepared(i, normalised(b.identities()), profile, attrs, at, null, b.identities()));
            } catch (SiyuException e) {
                out[i] = new Identified.Refused(e);
            }
        }
        BatchState state = new BatchState();
        Creations creations = new Creations(prepared, state);
        Map<IdentityKey, NormalisedIdentity> distinct = new java.util.LinkedHashMap<>();
        java.util.Set<Long> known = new java.util.HashSet<>();
        for (Prepared p : prepared) {
            if (p.known() != null) {
                // the caller knows the owner: nothing to look up
                known.add(p.known());
            } else {
                p.identities().identities().forEach(n -> distinct.putIfAbsent(key(n), n));
            }
        }
        identities.findAll(distinct.values()).forEach(r -> state.owner.put(key(r), r.customerId()));
        known.addAll(state.owner.values());
        state.rows.putAll(customers.findAll(known));
        for (Prepared given : prepared) {
            Prepared p = given;
            if (p.known() != null) {
                CustomerRow row = state.row(p.known(), customers);
                if (row != null && row.active()) {
                    // known identities were resolved before without any ignored (see Identification)
                    out[p.index()] = update(p, row, List.of(), state, creations);
                    continue;
                }
                // the customer given is gone (merged or erased since the caller learned it, or by an
                // earlier identification of this batch): go on as without it, looking the identities up
                // now; what the batch itself knows of them (created, resolved, uncertain) stays
                try {
                    p = p.withIdentities(normalised(p.inputs()));
                } catch (SiyuException e) {
                    out[p.index()] = new Identified.Refused(e);
                    continue;
                }
                identities.findAll(p.identities().identities()).forEach(r -> {
                    if (!state.uncertain.contains(key(r))) {
                        state.owner.putIfAbsent(key(r), r.customerId());
                    }
                });
            }
            Long owner = state.soleOwner(p);
            CustomerRow row = owner == null ? null : state.row(owner, customers);
            if (row != null && row.active() && p.attrs().isEmpty()) {
                out[p.index()] = update(p, row, p.identities().ignored(), state, creations);
                continue;
            }
            if (state.allUnknown(p) && withinLimits(p.identities().identities())) {
                CustomerRow created = creations.create(p);
                state.created(p, created);
                out[p.index()] = new Identified.Resolved(
                        new Resolution(created.id(), true, List.of(), List.of(), p.identities().ignored()));
                continue;
            }
            resolveInFull(p, state, creations, out);
        }
        creations.flush();
        customers.writeAll(state.pending);
        return java.util.Arrays.asList(out);
    }

    /**
     * The identification only updates {@code row}, the active customer holding all its identities: the
     * write joins the batch's pending ones (or the insert of a customer the batch created).
     */
    private Identified update(Prepared p, CustomerRow row, List<Resolution.Ignored> ignored, BatchState state,
            Creations creations) {
        CustomerRow next = written(row, p.profile(), p.at());
        if (!creations.replace(next)) {
            state.pending.put(row.id(), next);
        }
        state.rows.put(row.id(), next);
        return new Identified.Resolved(new Resolution(row.id(), false, List.of(), List.of(), ignored));
    }

    private IdentityNormaliser.Normalised normalised(List<IdentityInput> inputs) {
        IdentityNormaliser.Normalised n = normaliser.normalise(inputs, "/identities");
        if (n.identities().isEmpty()) {
            throw SiyuException.unprocessable("no-usable-identity");
        }
        return n;
    }

    /** An identification of a batch that neither updates one known customer nor creates one: full resolution. */
    private void resolveInFull(Prepared p, BatchState state, Creations creations, Identified[] out) {
        // full resolution must see what the batch wrote so far to the customers it involves; writes
        // to others stay pending, so that all of them go out at the end in id order (no deadlocks)
        creations.flush();
        if (state.involvesPending(p)) {
            customers.writeAll(state.pending);
            state.pending.clear();
        }
        Resolution r = resolver.resolve(p.identities().identities(), p.identities().ignored(),
                (String) p.profile().get("source"), p.at());
        if (state.pending.containsKey(r.customerId())
                || r.mergedCustomerIds().stream().anyMatch(state.pending::containsKey)) {
            // an identity became known to a customer with pending writes since the batch looked:
            // start over, the next attempt sees it from the beginning
            throw new ConcurrencyFailureException("identity attached concurrently");
        }
        CustomerRow current = customers.find(r.customerId()).orElseThrow();
        Map<String, Object> changes = new java.util.LinkedHashMap<>(p.profile());
        if (current.source() != null) {
            changes.remove("source");
        }
        writeProfile(current, changes, p.attrs(), p.at());
        state.resolved(p, r);
        out[p.index()] = new Identified.Resolved(r);
    }

    /**
     * The new customers of a batch. On PostgreSQL they are written together, before anything reads
     * them from the database (a full resolution) and before the batch's updates: their ids are drawn
     * from the sequence in one query, for as many new people as the batch can hold, and the customers
     * and their identities each go out in one batch. Elsewhere each is written as it is created.
     * Customers are numbered in the order they are created, as identifying them one by one would.
     */
    private final class Creations {
        private final List<Prepared> prepared;
        private final BatchState state;
        private final java.util.ArrayDeque<Long> ids = new java.util.ArrayDeque<>();
        private final Map<Long, CustomerRow> rows = new java.util.LinkedHashMap<>();
        private final List<IdentityStore.NewIdentity> newIdentities = new java.util.ArrayList<>();
        private int next;

        Creations(List<Prepared> prepared, BatchState state) {
            this.prepared = prepared;
            this.state = state;
        }

        CustomerRow create(Prepared p) {
            if (!customers.allocatesIds() || !p.attrs().isEmpty()) {
                flush();
                return createWith(p);
            }
            if (ids.isEmpty()) {
                ids.addAll(customers.allocateIds(newPeopleFrom(p)));
            }
            long id = ids.poll();
            CustomerRow.Profile empty = CustomerRow.Profile.EMPTY;
            CustomerRow blank = new CustomerRow(id, CustomerRow.ACTIVE, null, empty, null, null, p.at(), p.at(), p.at(), null);
            ProfileFields.Applied applied = ProfileFields.apply(blank, p.profile(), cipher);
            CustomerRow row = new CustomerRow(id, CustomerRow.ACTIVE, null, applied.profile(), applied.realNameEnc(),
                    applied.source(), p.at(), p.at(), clock.now(), null);
            rows.put(id, row);
            p.identities().identities().forEach(n -> newIdentities.add(new IdentityStore.NewIdentity(id, n, p.at())));
            return row;
        }

        /** Folds a later change of a customer created here into its insert; false for other customers. */
        boolean replace(CustomerRow row) {
            if (!rows.containsKey(row.id())) {
                return false;
            }
            rows.put(row.id(), row);
            return true;
        }

        /**
         * How many new people the identifications from {@code p} on may bring at most: those whose
         * identities are all unknown, counted once per identity they share.
         */
        private int newPeopleFrom(Prepared p) {
            int start = Math.max(next, prepared.indexOf(p));
            java.util.Set<IdentityKey> seen = new java.util.HashSet<>();
            int people = 0;
            for (int i = start; i < prepared.size(); i++) {
                Prepared q = prepared.get(i);
                if (state.allUnknown(q) && q.identities().identities().stream().noneMatch(n -> seen.contains(key(n)))) {
                    people++;
                }
                if (state.allUnknown(q)) {
                    q.identities().identities().forEach(n -> seen.add(key(n)));
                }
            }
            next = prepared.size();
            return Math.max(1, people);
        }

        /**
         * Writes what is pending and gives up the ids drawn but not used: a customer created otherwise
         * from here on (by full resolution) takes the next id of the sequence, and one created here
         * later must not take a lower one, since ids order customers where resolution has to choose.
         */
        void flush() {
            ids.clear();
            next = 0;
            if (rows.isEmpty()) {
                return;
            }
            customers.insertAll(rows.values());
            identities.insertAll(newIdentities);
            rows.clear();
            newIdentities.clear();
        }
    }

    /**
     * A new customer holding every identity of the identification, as full resolution would leave it
     * (created, observed and profiled at the identification's time), with one insert for the customer
     * and one batched insert for its identities. An identity a concurrent transaction inserted since
     * the batch looked fails on the unique key, and the caller starts over.
     */
    private CustomerRow createWith(Prepared p) {
        CustomerRow.Profile empty = CustomerRow.Profile.EMPTY;
        CustomerRow blank = new CustomerRow(0, CustomerRow.ACTIVE, null, empty, null, null, p.at(), p.at(), p.at(), null);
        ProfileFields.Applied applied = ProfileFields.apply(blank, p.profile(), cipher);
        long id = customers.insert(applied.profile(), applied.realNameEnc(), applied.source(), p.at());
        identities.insertAll(id, p.identities().identities(), p.at());
        if (!p.attrs().isEmpty()) {
            schema.apply(id, p.attrs(), p.at());
        }
        return new CustomerRow(id, CustomerRow.ACTIVE, null, applied.profile(), applied.realNameEnc(), applied.source(),
                p.at(), p.at(), p.at(), null);
    }

    /** Whether one customer may hold all these identities (else full resolution records the conflict). */
    private static boolean withinLimits(List<NormalisedIdentity> list) {
        Map<String, Long> counts = list.stream().collect(java.util.stream.Collectors.groupingBy(
                NormalisedIdentity::limitScope, java.util.stream.Collectors.counting()));
        return list.stream().allMatch(n -> n.type().unlimited() || counts.get(n.limitScope()) <= n.type().maxPerCustomer());
    }

    /**
     * The row after an identification that changes only this customer: what identify would write.
     * Traits, even ones equal to the stored values, make {@code at} the time the profile was last
     * observed (merges prefer the more recently observed profile), as identify does; {@code updated_at}
     * moves only when a value changes. The batched write that goes out for every such customer then
     * also checks that the customer is still active and locks it, so no event is attached to a
     * customer a concurrent merge is moving away from; on PostgreSQL a write that moves no indexed
     * column is a heap-only update.
     */
    private CustomerRow written(CustomerRow row, Map<String, Object> profile, OffsetDateTime at) {
        Map<String, Object> changes = new java.util.LinkedHashMap<>(profile);
        if (row.source() != null) {
            changes.remove("source");
        }
        if (changes.isEmpty()) {
            return row;
        }
        ProfileFields.Applied applied = ProfileFields.apply(row, changes, cipher);
        String realNameEnc = sameRealName(row, changes) ? row.realNameEnc() : applied.realNameEnc();
        boolean same = applied.profile().equals(row.profile()) && java.util.Objects.equals(applied.source(), row.source())
                && java.util.Objects.equals(realNameEnc, row.realNameEnc());
        return new CustomerRow(row.id(), row.status(), row.mergedInto(), applied.profile(), realNameEnc,
                applied.source(), at, row.createdAt(), same ? row.updatedAt() : clock.now(), row.erasedAt());
    }

    /** Whether the changes leave the real name as stored (encrypting it again would give other bytes). */
    private boolean sameRealName(CustomerRow row, Map<String, Object> changes) {
        if (!changes.containsKey("realName")) {
            return true;
        }
        Object name = changes.get("realName");
        return row.realNameEnc() == null ? name == null
                : name != null && name.equals(cipher.decrypt(row.realNameEnc()));
    }

    private static IdentityKey key(NormalisedIdentity n) {
        return new IdentityKey(n.type().name(), n.appId(), n.lookupKey());
    }

    private static IdentityKey key(IdentityRow r) {
        return new IdentityKey(r.type(), r.appId(), r.lookupKey());
    }

    private record IdentityKey(String type, String appId, String lookupKey) {
    }

    /**
     * An identification of a batch, ready to resolve. {@code known}: the customer the caller knows its
     * identities to belong to, whose identities are then not normalised ({@code identities} null) until
     * that customer turns out to be gone.
     */
    private record Prepared(int index, IdentityNormaliser.Normalised identities, Map<String, Object> profile,
            List<AttributeSchema.Change> attrs, OffsetDateTime at, Long known, List<IdentityInput> inputs) {

        Prepared withIdentities(IdentityNormaliser.Normalised n) {
            return new Prepared(index, n, profile, attrs, at, null, inputs);
        }
    }

    /** What a batch knows of identities and customers as it goes, and the writes it has not sent yet. */
    private static final class BatchState {
        final Map<IdentityKey, Long> owner = new java.util.HashMap<>();
        /** Identities whose owner this batch can no longer tell without asking the database. */
        final java.util.Set<IdentityKey> uncertain = new java.util.HashSet<>();
        final Map<Long, CustomerRow> rows = new java.util.HashMap<>();
        final java.util.SortedMap<Long, CustomerRow> pending = new java.util.TreeMap<>();

        /** The one customer holding every identity of the identification, if all are known. */
        Long soleOwner(Prepared p) {
            Long sole = null;
            for (NormalisedIdentity n : p.identities().identities()) {
                Long o = owner.get(key(n));
                if (o == null || (sole != null && !sole.equals(o))) {
                    return null;
                }
                sole = o;
            }
            return sole;
        }

        boolean allUnknown(Prepared p) {
            if (p.identities() == null) {
                return false;
            }
            return p.identities().identities().stream()
                    .noneMatch(n -> owner.containsKey(key(n)) || uncertain.contains(key(n)));
        }

        void created(Prepared p, CustomerRow row) {
            rows.put(row.id(), row);
            p.identities().identities().forEach(n -> owner.put(key(n), row.id()));
        }

        boolean involvesPending(Prepared p) {
            return p.identities().identities().stream().map(CustomerService::key)
                    .anyMatch(k -> uncertain.contains(k) || (owner.get(k) != null && pending.containsKey(owner.get(k))));
        }

        CustomerRow row(long id, CustomerStore store) {
            CustomerRow row = rows.get(id);
            if (row == null) {
                row = store.find(id).orElse(null);
                if (row != null) {
                    rows.put(id, row);
                }
            }
            return row;
        }

        /** After a full resolution: its identities now belong to its customer, merged ones to the survivor. */
        void resolved(Prepared p, Resolution r) {
            java.util.Set<Long> gone = new java.util.HashSet<>(r.mergedCustomerIds());
            gone.add(r.customerId());
            rows.keySet().removeAll(gone);
            owner.replaceAll((k, o) -> r.mergedCustomerIds().contains(o) ? r.customerId() : o);
            if (r.conflicts().isEmpty()) {
                p.identities().identities().forEach(n -> owner.put(key(n), r.customerId()));
            } else {
                // a refused link or merge: which identity ended where is for full resolution to find out
                p.identities().identities().forEach(n -> {
                    owner.remove(key(n));
                    uncertain.add(key(n));
                });
            }
        }
    }

    /** Creates a customer whose identities must all be new (409 {@code identity-taken} otherwise). */
    long create(List<IdentityInput> inputs, Map<String, Object> profile, List<AttributeSchema.Change> attrs) {
        IdentityNormaliser.Normalised normalised = normaliser.normalise(inputs, "/identities");
        return retrying(() -> {
            List<IdentityRow> taken = identities.findAll(normalised.identities());
            if (!taken.isEmpty()) {
                IdentityRow first = taken.getFirst();
                int index = indexOf(inputs, first);
                throw SiyuException.conflict("identity-taken", first.type())
                        .withProperty("customerId", String.valueOf(first.customerId()))
                        .withError(FieldProblem.of("/identities/" + index, "identity-taken", first.type()));
            }
            checkLimitsWithin(normalised.identities());
            OffsetDateTime now = clock.now();
            long id = customers.insert(CustomerRow.Profile.EMPTY, null, null, now);
            for (NormalisedIdentity n : normalised.identities()) {
                identities.insert(id, n, now);
            }
            writeProfile(customers.find(id).orElseThrow(), profile, attrs);
            audit.record("customer.create", "customer", String.valueOf(id), Map.of());
            return id;
        });
    }

    private int indexOf(List<IdentityInput> inputs, IdentityRow row) {
        for (int i = 0; i < inputs.size(); i++) {
            if (row.type().equals(inputs.get(i).type())) {
                return i;
            }
        }
        return 0;
    }

    private void checkLimitsWithin(List<NormalisedIdentity> list) {
        Map<String, Long> counts = list.stream().collect(java.util.stream.Collectors.groupingBy(
                NormalisedIdentity::limitScope, java.util.stream.Collectors.counting()));
        for (NormalisedIdentity n : list) {
            if (!n.type().unlimited() && counts.get(n.limitScope()) > n.type().maxPerCustomer()) {
                throw SiyuException.unprocessable("identity-limit-exceeded", n.type().name(), n.type().maxPerCustomer());
            }
        }
    }

    CustomerRow patch(long id, Map<String, Object> profile, List<AttributeSchema.Change> attrs) {
        return inTx(() -> {
            CustomerRow row = activeForUpdate(id);
            writeProfile(row, profile, attrs);
            audit.record("customer.update", "customer", String.valueOf(id),
                    Map.of("fields", List.copyOf(profile.keySet()),
                            "attributes", attrs.stream().map(AttributeSchema.Change::name).toList()));
            return customers.find(id).orElseThrow();
        });
    }

    private void writeProfile(CustomerRow row, Map<String, Object> profile, List<AttributeSchema.Change> attrs) {
        writeProfile(row, profile, attrs, clock.now());
    }

    private void writeProfile(CustomerRow row, Map<String, Object> profile, List<AttributeSchema.Change> attrs,
            OffsetDateTime now) {
        if (!profile.isEmpty()) {
            ProfileFields.Applied applied = ProfileFields.apply(row, profile, cipher);
            boolean sameName = sameRealName(row, profile);
            String realNameEnc = sameName ? row.realNameEnc() : applied.realNameEnc();
            boolean changed = !(applied.profile().equals(row.profile())
                    && java.util.Objects.equals(applied.source(), row.source()) && sameName);
            customers.updateProfile(row.id(), applied.profile(), realNameEnc, applied.source(), now, changed);
        }
        if (!attrs.isEmpty()) {
            schema.apply(row.id(), attrs, now);
            customers.touch(row.id());
        }
    }

    /** Erasure: removes all personal data and identities, keeps an anonymised tombstone. */
    void erase(long id) {
        inTx(() -> {
            CustomerRow row = customers.lock(List.of(id)).stream().findFirst()
                    .orElseThrow(() -> SiyuException.notFound("customer-not-found", String.valueOf(id)));
            if (!row.active()) {
                throw SiyuException.conflict("customer-not-active", String.valueOf(id), row.status());
            }
            int removed = identities.deleteForCustomer(id);
            attributes.removeAll(id);
            customers.erase(id);
            audit.record("customer.erase", "customer", String.valueOf(id), Map.of("identitiesRemoved", removed));
            events.publishEvent(new CustomerErased(id));
            return null;
        });
    }

    /** Adds one identity to a customer: 409 if another customer holds it or the type's limit is reached. */
    void addIdentity(long id, IdentityInput input) {
        NormalisedIdentity n = normaliser.normaliseOne(input, "")
                .orElseThrow(() -> SiyuException.invalid(List.of(FieldProblem.of("/value", "junk-identity-value"))));
        retrying(() -> {
            activeForUpdate(id);
            Optional<IdentityRow> existing = identities.find(n);
            if (existing.isPresent()) {
                if (existing.get().customerId() == id) {
                    return null;
                }
                throw SiyuException.conflict("identity-taken", n.type().name())
                        .withProperty("customerId", String.valueOf(existing.get().customerId()));
            }
            if (!n.type().unlimited()) {
                long same = identities.forCustomer(id).stream()
                        .filter(r -> r.limitScope(n.type().perApp()).equals(n.limitScope())).count();
                if (same >= n.type().maxPerCustomer()) {
                    throw SiyuException.conflict("identity-limit-exceeded", n.type().name(), n.type().maxPerCustomer());
                }
            }
            OffsetDateTime now = clock.now();
            identities.insert(id, n, now);
            customers.touch(id);
            audit.record("customer.identity.add", "customer", String.valueOf(id), Map.of("type", n.type().name()));
            return null;
        });
    }

    void removeIdentity(long id, long identityId) {
        inTx(() -> {
            activeForUpdate(id);
            IdentityRow row = identities.findById(identityId).filter(r -> r.customerId() == id)
                    .orElseThrow(() -> SiyuException.notFound("identity-not-found", String.valueOf(identityId)));
            identities.delete(identityId, id);
            customers.touch(id);
            audit.record("customer.identity.remove", "customer", String.valueOf(id), Map.of("type", row.type()));
            events.publishEvent(new io.siyu.customer.CustomerIdentityRemoved(id));
            return null;
        });
    }

    /** The outcome of an explicit merge. */
    sealed interface MergeResult permits Merged, Refused {
    }

    record Merged(long survivorId, long mergedId) implements MergeResult {
    }

    record Refused(long conflictId, String type, List<Long> customerIds) implements MergeResult {
    }

    /** Merges two customers on an operator's word; the older survives. Refusals are recorded, not thrown. */
    MergeResult merge(long a, long b, String reason) {
        if (a == b) {
            throw SiyuException.unprocessable("cannot-merge-self");
        }
        return inTx(() -> {
            List<CustomerRow> locked = customers.lock(List.of(a, b));
            for (long id : List.of(a, b)) {
                CustomerRow row = locked.stream().filter(c -> c.id() == id).findFirst()
                        .orElseThrow(() -> SiyuException.notFound("customer-not-found", String.valueOf(id)));
                if (!row.active()) {
                    throw SiyuException.conflict("customer-not-active", String.valueOf(id), row.status());
                }
            }
            List<CustomerRow> ordered = locked.stream()
                    .sorted(java.util.Comparator.comparing(CustomerRow::createdAt).thenComparing(CustomerRow::id)).toList();
            CustomerRow survivor = ordered.get(0);
            CustomerRow other = ordered.get(1);
            List<IdentityRow> mine = identities.forCustomer(survivor.id());
            List<IdentityRow> theirs = identities.forCustomer(other.id());
            Optional<String> violation = merger.limitViolation(mine, theirs);
            if (violation.isPresent()) {
                List<Long> pair = List.of(survivor.id(), other.id());
                long conflictId = conflicts.insert("merge-refused", pair, violation.get(), "", "", Actors.currentName(),
                        RequestIds.current(), clock.now());
                return new Refused(conflictId, violation.get(), pair);
            }
            merger.merge(survivor, other, "manual", reason);
            return new Merged(survivor.id(), other.id());
        });
    }

    void closeConflict(long conflictId, String status) {
        inTx(() -> {
            ConflictStore.ConflictRow row = conflicts.find(conflictId)
                    .orElseThrow(() -> SiyuException.notFound("conflict-not-found", String.valueOf(conflictId)));
            if (!"open".equals(row.status())) {
                throw SiyuException.conflict("conflict-closed", String.valueOf(conflictId));
            }
            conflicts.close(conflictId, status, Actors.currentName(), clock.now());
            audit.record("identity-conflict." + status, "identity-conflict", String.valueOf(conflictId), Map.of());
            return null;
        });
    }

    @Override
    public Optional<Long> lookup(IdentityInput input) {
        return normaliser.normaliseOne(input, "").flatMap(identities::find).map(IdentityRow::customerId);
    }

    @Override
    public Optional<Long> resolveId(long customerId) {
        return customers.find(customerId).map(c -> c.mergedInto() != null ? c.mergedInto() : c.id());
    }

    @Override
    public Map<Long, Long> resolveActiveIds(java.util.Collection<Long> customerIds) {
        return customers.activeTargets(customerIds);
    }

    @Override
    public boolean hasCustomers() {
        return customers.any();
    }

    @Override
    public void ensureAttribute(String name, String type, String labelZh, String labelEn, String mergeStrategy) {
        inTx(() -> {
            if (attributes.definition(name).isEmpty()) {
                OffsetDateTime now = clock.now();
                attributes.insert(new AttributeDefinition(name,
                        AttributeDefinition.DataType.fromId(type).orElseThrow(() -> new IllegalArgumentException(type)),
                        labelZh, labelEn, null,
                        AttributeDefinition.MergeStrategy.fromId(mergeStrategy)
                                .orElseThrow(() -> new IllegalArgumentException(mergeStrategy)), now, now));
            }
            return null;
        });
    }

    @Override
    public List<IdentityType> identityTypes() {
        return List.copyOf(types.all());
    }

    @Override
    public Map<String, String> attributeTypes() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        attributes.definitions().forEach(d -> out.put(d.name(), d.dataType().id()));
        return out;
    }

    private CustomerRow activeForUpdate(long id) {
        CustomerRow row = customers.lock(List.of(id)).stream().findFirst()
                .orElseThrow(() -> SiyuException.notFound("customer-not-found", String.valueOf(id)));
        if (!row.active()) {
            throw SiyuException.conflict("customer-not-active", String.valueOf(id), row.status());
        }
        return row;
    }

    private LocalDate today() {
        return LocalDate.now(clock.zone());
    }

    LocalDate todayInBrandZone() {
        return today();
    }

    private <T> T inTx(Supplier<T> work) {
        return tx.execute(status -> work.get());
    }

    /**
     * Runs {@code work} in a fresh transaction, again when it lost a race (a unique identity was
     * inserted, or a customer merged, by a concurrent transaction). Each retry sees the winner's data.
     */
    private <T> T retrying(Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return tx.execute(status -> work.get());
            } catch (DuplicateKeyException | ConcurrencyFailureException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(1, 5 * attempt));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
