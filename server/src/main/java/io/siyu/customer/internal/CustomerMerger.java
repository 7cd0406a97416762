package io.siyu.customer.internal;

import io.siyu.compliance.AuditLog;
import io.siyu.customer.CustomersMerged;
import io.siyu.customer.IdentityType;
import io.siyu.platform.Actors;
import io.siyu.platform.BrandClock;
import io.siyu.platform.RequestIds;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Merges one customer into another: identities, attributes (per-attribute strategy) and profile
 * fields (newest non-empty wins) move to the survivor; the merged id keeps resolving to it; the
 * merge is recorded, audited and published. Callers hold row locks on both customers.
 */
@Component
class CustomerMerger {

    private final CustomerStore customers;
    private final IdentityStore identities;
    private final AttributeStore attributes;
    private final MergeStore merges;
    private final IdentityTypes types;
    private final ApplicationEventPublisher events;
    private final AuditLog audit;
    private final BrandClock clock;
    private final ObjectMapper json;

    CustomerMerger(CustomerStore customers, IdentityStore identities, AttributeStore attributes, MergeStore merges,
            IdentityTypes types, ApplicationEventPublisher events, AuditLog audit, BrandClock clock, ObjectMapper json) {
        this.customers = customers;
        this.identities = identities;
        this.attributes = attributes;
        this.merges = merges;
        this.types = types;
        this.events = events;
        this.audit = audit;
        this.clock = clock;
        this.json = json;
    }

    /**
     * The first identity type whose per-customer limit the union of both sets would exceed; empty
     * when the two customers may become one.
     */
    Optional<String> limitViolation(List<IdentityRow> a, List<IdentityRow> b) {
        Map<String, Integer> counts = new HashMap<>();
        List<IdentityRow> all = new ArrayList<>(a);
        all.addAll(b);
        for (IdentityRow row : all) {
            Optional<IdentityType> type = types.find(row.type());
            if (type.isEmpty() || type.get().unlimited()) {
                continue;
            }
            int n = counts.merge(row.limitScope(type.get().perApp()), 1, Integer::sum);
            if (n > type.get().maxPerCustomer()) {
                return Optional.of(row.type());
            }
        }
        return Optional.empty();
    }

    /** Merges {@code merged} into {@code survivor}; both must be locked, active and compatible. */
    CustomerRow merge(CustomerRow survivor, CustomerRow merged, String trigger, String reason) {
        OffsetDateTime now = clock.now();
        int moved = identities.moveAll(merged.id(), survivor.id());
        List<String> attributesTaken = mergeAttributes(survivor.id(), merged.id(), now);
        List<String> profileTaken = new ArrayList<>();
        CustomerRow updated = mergeProfile(survivor, merged, profileTaken, now);
        attributes.removeAll(merged.id());
        customers.markMerged(merged.id(), survivor.id());

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("identitiesMoved", moved);
        details.put("attributesTaken", attributesTaken);
        details.put("profileFieldsTaken", profileTaken);
        merges.insert(survivor.id(), merged.id(), trigger, reason, Actors.currentName(), RequestIds.current(),
                json.writeValueAsString(details), now);
        Map<String, Object> auditDetails = new LinkedHashMap<>();
        auditDetails.put("survivorId", String.valueOf(survivor.id()));
        auditDetails.put("mergedId", String.valueOf(merged.id()));
        auditDetails.put("trigger", trigger);
        if (reason != null) {
            auditDetails.put("reason", reason);
        }
        audit.record("customer.merge", "customer", survivor.id() + "," + merged.id(), auditDetails);
        events.publishEvent(new CustomersMerged(survivor.id(), merged.id()));
        return updated;
    }

    private List<String> mergeAttributes(long survivorId, long mergedId, OffsetDateTime now) {
        Map<String, AttributeValue> mine = attributes.values(survivorId);
        Map<String, AttributeValue> theirs = attributes.values(mergedId);
        Map<String, AttributeDefinition.MergeStrategy> strategies = new HashMap<>();
        attributes.definitions().forEach(d -> strategies.put(d.name(), d.mergeStrategy()));
        List<String> taken = new ArrayList<>();
        for (AttributeValue other : theirs.values()) {
            AttributeValue own = mine.get(other.name());
            if (own == null || takeOther(strategies.get(other.name()), own, other)) {
                attributes.put(survivorId, other);
                taken.add(other.name());
            }
        }
        return taken;
    }

    static boolean takeOther(AttributeDefinition.MergeStrategy strategy, AttributeValue own, AttributeValue other) {
        return switch (strategy == null ? AttributeDefinition.MergeStrategy.NEWEST : strategy) {
            case NEWEST -> other.updatedAt().isAfter(own.updatedAt());
            case OLDEST -> other.updatedAt().isBefore(own.updatedAt());
            case SURVIVOR -> false;
            case MAX -> other.compareTo(own) > 0;
            case MIN -> other.compareTo(own) < 0;
        };
    }

    private CustomerRow mergeProfile(CustomerRow s, CustomerRow m, List<String> taken, OffsetDateTime now) {
        boolean otherNewer = m.profileUpdatedAt().isAfter(s.profileUpdatedAt());
        CustomerRow.Profile a = s.profile();
        CustomerRow.Profile b = m.profile();
        CustomerRow.Profile p = new CustomerRow.Profile(
                pick("displayName", a.displayName(), b.displayName(), otherNewer, taken),
                pick("nickname", a.nickname(), b.nickname(), otherNewer, taken),
                pick("gender", a.gender(), b.gender(), otherNewer, taken),
                pick("birthday", a.birthday(), b.birthday(), otherNewer, taken),
                pick("province", a.province(), b.province(), otherNewer, taken),
                pick("city", a.city(), b.city(), otherNewer, taken),
                pick("avatarUrl", a.avatarUrl(), b.avatarUrl(), otherNewer, taken));
        String realName = pick("realName", s.realNameEnc(), m.realNameEnc(), otherNewer, taken);
        // the first channel a person came through is the survivor's (the older customer's)
        String source = s.source() != null ? s.source() : m.source();
        OffsetDateTime profileUpdatedAt = otherNewer ? m.profileUpdatedAt() : s.profileUpdatedAt();
        customers.updateProfile(s.id(), p, realName, source, profileUpdatedAt);
        return new CustomerRow(s.id(), s.status(), s.mergedInto(), p, realName, source, profileUpdatedAt, s.createdAt(), now,
                s.erasedAt());
    }

    private static <T> T pick(String field, T own, T other, boolean otherNewer, List<String> taken) {
        boolean ownEmpty = own == null || (own instanceof String str && str.isEmpty());
        boolean otherEmpty = other == null || (other instanceof String str && str.isEmpty());
        if (!otherEmpty && (ownEmpty || otherNewer) && !Objects.equals(own, other)) {
            taken.add(field);
            return other;
        }
        return own;
    }
}
