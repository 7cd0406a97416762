package io.siyu.event.internal.tracking;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.springframework.stereotype.Repository;

/** event_dedupe: the message ids already stored, per write key. Fields are qualified for H2's MERGE. */
@Repository
class DedupeLedger {

    static final Table<Record> T = table(name("event_dedupe"));
    static final Field<Long> SOURCE_KEY = field(name("event_dedupe", "source_key"), Long.class);
    static final Field<String> MESSAGE_ID = field(name("event_dedupe", "message_id"), String.class);
    static final Field<OffsetDateTime> RECEIVED_AT = field(name("event_dedupe", "received_at"), OffsetDateTime.class);

    private final DSLContext db;

    DedupeLedger(DSLContext db) {
        this.db = db;
    }

    /** A message id of a write key. */
    record Claim(long sourceKey, String messageId) {
    }

    private static final java.util.Comparator<Claim> ORDER =
            java.util.Comparator.comparingLong(Claim::sourceKey).thenComparing(Claim::messageId);

    /**
     * Claims the message ids in the caller's transaction, each with the time it was received; returns
     * those this call claimed (the others were claimed before). Claims go in sorted order, so two
     * transactions claiming overlapping ids wait for each other instead of deadlocking. PostgreSQL:
     * one insert over arrays that returns what it inserted; H2 (in-process, no round trips) has no
     * ON CONFLICT, so one claim per id.
     */
    Set<Claim> claim(Map<Claim, OffsetDateTime> wanted) {
        List<Claim> sorted = wanted.keySet().stream().sorted(ORDER).toList();
        Set<Claim> claimed = new HashSet<>();
        if (sorted.isEmpty()) {
            return claimed;
        }
        if (db.dialect().family() == SQLDialect.POSTGRES) {
            // one statement over column arrays: its text never changes, so it is planned once per connection
            int n = sorted.size();
            Long[] keys = new Long[n];
            String[] ids = new String[n];
            String[] received = new String[n];
            for (int i = 0; i < n; i++) {
                Claim c = sorted.get(i);
                keys[i] = c.sourceKey();
                ids[i] = c.messageId();
                received[i] = wanted.get(c).toString();
            }
            db.connection(c -> {
                try (PreparedStatement ps = c.prepareStatement(CLAIM_ARRAYS)) {
                    ps.setArray(1, c.createArrayOf("bigint", keys));
                    ps.setArray(2, c.createArrayOf("varchar", ids));
                    ps.setArray(3, c.createArrayOf("varchar", received));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            claimed.add(new Claim(rs.getLong(1), rs.getString(2)));
                        }
                    }
                }
            });
            return claimed;
        }
        for (Claim c : sorted) {
            if (db.insertInto(T).set(SOURCE_KEY, c.sourceKey()).set(MESSAGE_ID, c.messageId())
                    .set(RECEIVED_AT, wanted.get(c)).onConflict(SOURCE_KEY, MESSAGE_ID).doNothing().execute() == 1) {
                claimed.add(c);
            }
        }
        return claimed;
    }

    private static final String CLAIM_ARRAYS = """
            insert into event_dedupe (source_key, message_id, received_at)
            select k, m, r::timestamptz from unnest(?::bigint[], ?::varchar[], ?::varchar[]) with ordinality as c(k, m, r, i)
            order by i
            on conflict do nothing
            returning source_key, message_id
            """;

    /** Gives claims of this transaction back (messages refused after their ids were claimed). */
    void release(Collection<Claim> claims) {
        Map<Long, List<String>> byKey = new java.util.TreeMap<>();
        claims.forEach(c -> byKey.computeIfAbsent(c.sourceKey(), k -> new java.util.ArrayList<>()).add(c.messageId()));
        byKey.forEach((key, ids) -> db.deleteFrom(T).where(SOURCE_KEY.eq(key)).and(MESSAGE_ID.in(ids)).execute());
    }

    int deleteBefore(OffsetDateTime cutoff) {
        return db.deleteFrom(T).where(RECEIVED_AT.lt(cutoff)).execute();
    }
}
