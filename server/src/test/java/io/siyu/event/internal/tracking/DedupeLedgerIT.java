package io.siyu.event.internal.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siyu.testing.ApiTest;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionTemplate;

/** The dedupe ledger's stored key, and claiming and giving back message ids. */
class DedupeLedgerIT extends ApiTest {

    @Autowired
    DedupeLedger ledger;

    @Autowired
    DSLContext db;

    @Autowired
    TransactionTemplate tx;

    private static final OffsetDateTime AT = OffsetDateTime.parse("2026-12-01T10:00:00+08:00");

    @Test
    void theDigestIsTheOneTheMigrationComputesInSql() {
        // the migration turned the stored message ids into digests in SQL; new claims must meet them
        for (var claim : new DedupeLedger.Claim[] {new DedupeLedger.Claim(7, "msg-1"),
                new DedupeLedger.Claim(123456789012L, "消息-" + UUID.randomUUID())}) {
            String sql = db.dialect().family() == SQLDialect.POSTGRES
                    ? "select cast(substr(encode(sha256(convert_to(? || ':' || ?, 'UTF8')), 'hex'), 1, 32) as uuid)"
                    : "select cast(substring(hash('SHA-256', stringtoutf8(cast(? as varchar) || ':' || ?)) from 1 for 16) as uuid)";
            Object inSql = db.fetchValue(sql, claim.sourceKey(), claim.messageId());
            assertThat(claim.digest()).isEqualTo(UUID.fromString(inSql.toString()));
        }
    }

    @Test
    void anIdIsClaimedOnceAndCanBeGivenBack() {
        long key = System.nanoTime();
        var a = new DedupeLedger.Claim(key, "a-" + UUID.randomUUID());
        var b = new DedupeLedger.Claim(key, "b-" + UUID.randomUUID());
        // the same message id under another write key is another claim
        var other = new DedupeLedger.Claim(key + 1, a.messageId());

        assertThat(claim(Map.of(a, AT, b, AT))).containsExactlyInAnyOrder(a, b);
        assertThat(claim(Map.of(a, AT, other, AT))).containsExactly(other);

        tx.executeWithoutResult(s -> ledger.release(java.util.List.of(a)));
        assertThat(claim(Map.of(a, AT, b, AT))).containsExactly(a);
    }

    @Test
    void expectingNewIdsClaimsThemAllOrFailsWholeOnOneClaimedBefore() {
        long key = System.nanoTime();
        var a = new DedupeLedger.Claim(key, "a-" + UUID.randomUUID());
        var b = new DedupeLedger.Claim(key, "b-" + UUID.randomUUID());
        var c = new DedupeLedger.Claim(key, "c-" + UUID.randomUUID());

        assertThat(claimNew(Map.of(a, AT, b, AT))).containsExactlyInAnyOrder(a, b);
        if (db.dialect().family() == SQLDialect.POSTGRES) {
            assertThatThrownBy(() -> claimNew(Map.of(b, AT, c, AT)))
                    .isInstanceOf(DuplicateKeyException.class);
            // the failed statement claimed nothing: c is still free, b stays taken
            assertThat(claim(Map.of(b, AT, c, AT))).containsExactly(c);
        } else {
            // H2 claims one id at a time and reports what was free
            assertThat(claimNew(Map.of(b, AT, c, AT))).containsExactly(c);
        }
    }

    private Set<DedupeLedger.Claim> claimNew(Map<DedupeLedger.Claim, OffsetDateTime> wanted) {
        return tx.execute(s -> ledger.claim(wanted, true));
    }

    private Set<DedupeLedger.Claim> claim(Map<DedupeLedger.Claim, OffsetDateTime> wanted) {
        return tx.execute(s -> ledger.claim(wanted, false));
    }
}
