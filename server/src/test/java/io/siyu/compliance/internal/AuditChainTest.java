package io.siyu.compliance.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuditChainTest {

    private static final OffsetDateTime T = OffsetDateTime.of(2026, 11, 24, 20, 0, 0, 123_456_789, ZoneOffset.ofHours(8));

    private static AuditEntry entry() {
        return new AuditEntry(7, T, "admin", "customer.merge", "customer", "1,2", "req-1", "{\"a\":1}",
                AuditChain.GENESIS, null);
    }

    @Test
    void hashIsSha256HexAndDeterministic() {
        assertThat(AuditChain.hash(entry())).matches("[0-9a-f]{64}").isEqualTo(AuditChain.hash(entry()));
    }

    @Test
    void everyFieldChangesTheHash() {
        AuditEntry e = entry();
        List<AuditEntry> variants = List.of(e,
                new AuditEntry(8, e.occurredAt(), e.actor(), e.action(), e.targetType(), e.targetId(), e.requestId(), e.details(), e.prevHash(), null),
                new AuditEntry(e.id(), e.occurredAt().plusNanos(1000), e.actor(), e.action(), e.targetType(), e.targetId(), e.requestId(), e.details(), e.prevHash(), null),
                new AuditEntry(e.id(), e.occurredAt(), "admin2", e.action(), e.targetType(), e.targetId(), e.requestId(), e.details(), e.prevHash(), null),
                new AuditEntry(e.id(), e.occurredAt(), e.actor(), "customer.delete", e.targetType(), e.targetId(), e.requestId(), e.details(), e.prevHash(), null),
                new AuditEntry(e.id(), e.occurredAt(), e.actor(), e.action(), "segment", e.targetId(), e.requestId(), e.details(), e.prevHash(), null),
                new AuditEntry(e.id(), e.occurredAt(), e.actor(), e.action(), e.targetType(), "1", e.requestId(), e.details(), e.prevHash(), null),
                new AuditEntry(e.id(), e.occurredAt(), e.actor(), e.action(), e.targetType(), e.targetId(), "req-2", e.details(), e.prevHash(), null),
                new AuditEntry(e.id(), e.occurredAt(), e.actor(), e.action(), e.targetType(), e.targetId(), e.requestId(), "{\"a\":2}", e.prevHash(), null),
                new AuditEntry(e.id(), e.occurredAt(), e.actor(), e.action(), e.targetType(), e.targetId(), e.requestId(), e.details(), "1".repeat(64), null));
        Set<String> hashes = new HashSet<>();
        variants.forEach(v -> hashes.add(AuditChain.hash(v)));
        assertThat(hashes).hasSize(variants.size());
    }

    @Test
    void fieldBoundariesCannotBeShifted() {
        String a = AuditChain.hash(1, T, "ab", "c", null, null, "r", "{}", AuditChain.GENESIS);
        String b = AuditChain.hash(1, T, "a", "bc", null, null, "r", "{}", AuditChain.GENESIS);
        String c = AuditChain.hash(1, T, "a|1:b", "c", null, null, "r", "{}", AuditChain.GENESIS);
        assertThat(Set.of(a, b, c)).hasSize(3);
    }

    @Test
    void nullAndEmptyAreDistinct() {
        assertThat(AuditChain.hash(1, T, "a", "b", null, null, "r", "{}", AuditChain.GENESIS))
                .isNotEqualTo(AuditChain.hash(1, T, "a", "b", "", null, "r", "{}", AuditChain.GENESIS))
                .isNotEqualTo(AuditChain.hash(1, T, "a", "b", "-", null, "r", "{}", AuditChain.GENESIS));
    }

    @Test
    void timeIsHashedAsTheStoredInstantWhateverItsOffset() {
        OffsetDateTime utc = T.withOffsetSameInstant(ZoneOffset.UTC);
        OffsetDateTime truncated = T.withNano(123_456_000);
        String h = AuditChain.hash(1, T, "a", "b", null, null, "r", "{}", AuditChain.GENESIS);
        assertThat(AuditChain.hash(1, utc, "a", "b", null, null, "r", "{}", AuditChain.GENESIS)).isEqualTo(h);
        assertThat(AuditChain.hash(1, truncated, "a", "b", null, null, "r", "{}", AuditChain.GENESIS)).isEqualTo(h);
        assertThat(AuditChain.normalise(T)).isEqualTo(OffsetDateTime.of(2026, 11, 24, 12, 0, 0, 123_456_000, ZoneOffset.UTC));
    }
}
