package io.siyu.customer.internal;

import io.siyu.customer.Resolution;
import io.siyu.platform.Actors;
import io.siyu.platform.BrandClock;
import io.siyu.platform.RequestIds;
import io.siyu.platform.SiyuException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.stereotype.Component;

/**
 * Links a set of identities to one customer. Identities that point to several customers merge
 * them into the oldest, one by one, unless the union would exceed a type's per-customer limit:
 * such a merge is refused and recorded for review, and the customer named by the identity of
 * highest priority is used. New identities join the chosen customer within the same limits.
 * Runs inside the caller's transaction; a concurrent writer surfaces as a retryable exception.
 */
@Component
class IdentityResolver {

    private final CustomerStore customers;
    private final IdentityStore identities;
    private final ConflictStore conflicts;
    private final CustomerMerger merger;
    private final BrandClock clock;

    IdentityResolver(CustomerStore customers, IdentityStore identities, ConflictStore conflicts, CustomerMerger merger,
            BrandClock clock) {
        this.customers = customers;
        this.identities = identities;
        this.conflicts = conflicts;
        this.merger = merger;
        this.clock = clock;
    }

    Resolution resolve(List<NormalisedIdentity> input, List<Resolution.Ignored> ignored, String source,
            OffsetDateTime now) {
        if (input.isEmpty()) {
            throw SiyuException.unprocessable("no-usable-identity");
        }
        List<IdentityRow> found = identities.findAll(input);
        Set<Long> owners = new LinkedHashSet<>();
        found.forEach(row -> owners.add(row.customerId()));

        List<Resolution.Conflict> refused = new ArrayList<>();
        List<Long> mergedIds = new ArrayList<>();
        long target;
        boolean created = false;
        if (owners.isEmpty()) {
            target = customers.insert(CustomerRow.Profile.EMPTY, null, source, now);
            created = true;
        } else {
            target = mergeOwners(input, found, owners, mergedIds, refused);
        }
        attachNew(target, input, found, refused, now);
        if (!created && mergedIds.isEmpty()) {
            customers.touch(target);
        }
        return new Resolution(target, created, mergedIds, refused, ignored);
    }

    private long mergeOwners(List<NormalisedIdentity> input, List<IdentityRow> found, Set<Long> owners, List<Long> mergedIds,
            List<Resolution.Conflict> refused) {
        List<CustomerRow> locked = new ArrayList<>(customers.lock(owners));
        if (locked.size() != owners.size() || locked.stream().anyMatch(c -> !c.active())) {
            // another transaction merged or erased one of them after we read its identities
            throw new ConcurrencyFailureException("customer changed during resolution");
        }
        locked.sort(Comparator.comparing(CustomerRow::createdAt).thenComparing(CustomerRow::id));
        CustomerRow survivor = locked.getFirst();
        Map<Long, List<IdentityRow>> held = new HashMap<>();
        for (IdentityRow row : identities.forCustomers(owners)) {
            held.computeIfAbsent(row.customerId(), k -> new ArrayList<>()).add(row);
        }
        List<IdentityRow> survivorHeld = new ArrayList<>(held.getOrDefault(survivor.id(), List.of()));
        Map<Long, Long> ownerAfter = new HashMap<>();
        for (CustomerRow other : locked.subList(1, locked.size())) {
            List<IdentityRow> otherHeld = held.getOrDefault(other.id(), List.of());
            Optional<String> violation = merger.limitViolation(survivorHeld, otherHeld);
            if (violation.isEmpty()) {
                survivor = merger.merge(survivor, other, "identify", null);
                survivorHeld.addAll(otherHeld);
                mergedIds.add(other.id());
                ownerAfter.put(other.id(), survivor.id());
            } else {
                IdentityRow link = found.stream().filter(r -> r.customerId() == other.id()).findFirst().orElseThrow();
                String masked = maskOf(input, link);
                List<Long> pair = List.of(survivor.id(), other.id());
                long conflictId = conflicts.insert("merge-refused", pair, violation.get(), link.appId(), masked,
                        Actors.currentName(), RequestIds.current(), clock.now());
                refused.add(new Resolution.Conflict(conflictId, "merge-refused", violation.get(), pair));
            }
        }
        if (refused.isEmpty()) {
            return survivor.id();
        }
        // The merge was refused: the identity the brand trusts most decides who this is.
        IdentityRow decisive = found.stream()
                .max(Comparator.comparingInt((IdentityRow r) -> priority(input, r))
                        .thenComparing(r -> -r.customerId()))
                .orElseThrow();
        return ownerAfter.getOrDefault(decisive.customerId(), decisive.customerId());
    }

    private void attachNew(long target, List<NormalisedIdentity> input, List<IdentityRow> found,
            List<Resolution.Conflict> refused, OffsetDateTime now) {
        List<IdentityRow> held = null;
        for (NormalisedIdentity n : input) {
            boolean known = found.stream().anyMatch(r -> n.sameKey(r.type(), r.appId(), r.lookupKey()));
            if (known) {
                continue;
            }
            if (held == null) {
                held = new ArrayList<>(identities.forCustomer(target));
            }
            if (!n.type().unlimited()) {
                long sameScope = held.stream().filter(r -> r.limitScope(n.type().perApp()).equals(n.limitScope())).count();
                if (sameScope >= n.type().maxPerCustomer()) {
                    long conflictId = conflicts.insert("identity-limit-exceeded", List.of(target), n.type().name(),
                            n.appId(), IdentityNormaliser.mask(n.type(), n.value()), Actors.currentName(),
                            RequestIds.current(), now);
                    refused.add(new Resolution.Conflict(conflictId, "identity-limit-exceeded", n.type().name(),
                            List.of(target)));
                    continue;
                }
            }
            identities.insert(target, n, now);
            held.add(new IdentityRow(0, target, n.type().name(), n.appId(), n.lookupKey(), null, null, now));
        }
    }

    private static int priority(List<NormalisedIdentity> input, IdentityRow row) {
        return input.stream().filter(n -> n.sameKey(row.type(), row.appId(), row.lookupKey()))
                .mapToInt(n -> n.type().priority()).findFirst().orElse(0);
    }

    private static String maskOf(List<NormalisedIdentity> input, IdentityRow row) {
        return input.stream().filter(n -> n.sameKey(row.type(), row.appId(), row.lookupKey()))
                .map(n -> IdentityNormaliser.mask(n.type(), n.value())).findFirst().orElse("");
    }
}
