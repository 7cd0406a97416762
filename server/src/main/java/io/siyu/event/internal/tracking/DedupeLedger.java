package io.siyu.event.internal.tracking;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;


import io.siyu.platform.ArrayStatement;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.springframework.stereotype.Repository;

/**
 * event_claim: the message ids already stored, per write key, each kept as a 16-byte digest of
 * the write key and the message id (the key index stays small, so it stays in memory). Fields are
 * qualified for H2's MERGE.
 */
@Repository
class DedupeLedger {

    static final Table<Record> T = table(name("event_claim"));
    static final Field<UUID> CLAIM = field(name("event_claim", "claim"), UUID.class);
    static final Field<Long> SOURCE_KEY = field(name("event_claim", "source_key"), Long.class);
    static final Field<OffsetDateTime> RECEIVED_AT = field(name("event_claim", "received_at"), OffsetDateTime.class);

    private final DSLContext db;

    DedupeLedger(DSLContext db) {
        this.db = db;
    }

    /** A message id of a write key. */
    record Claim(long sourceKey, String messageId) {

        /**
         * The stored key: the first 16 bytes of SHA-256 over {@code <sourceKey>:<messageId>} in
         * UTF-8 (the migration that introduced it computes the same in SQL). Two different messages
         * share one only with a probability of about 2^-64 after 2^32 messages.
         */
        UUID digest() {
            MessageDigest sha = SHA_256.get();
            byte[] d = sha.digest((sourceKey + ":" + messageId).getBytes(StandardCharsets.UTF_8));
            ByteBuffer b = ByteBuffer.wrap(d);
            return new UUID(b.getLong(), b.getLong());
        }
    }

    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    });

    /**
     * Claims the message ids in the caller's transaction, each with the time it was received; returns
     * those this call claimed (the others were claimed before). Claims go in digest order, so two
     * transactions claiming overlapping ids wait for each other instead of deadlocking. PostgreSQL:
     * one insert over arrays that returns what it inserted; H2 (in-process, no round trips) has no
     * ON CONFLICT, so one claim per id.
     *
     * <p>With {@code expectNew} (PostgreSQL; most messages are sent once) the ids are inserted as new
     * without {@code ON CONFLICT}: each key is then looked up once in the index instead of twice (the
     * conflict check and the insertion), but one id claimed before fails the statement with a
     * {@link org.springframework.dao.DuplicateKeyException}, which leaves the transaction unusable;
     * the caller runs it again without {@code expectNew}.
     */
    Set<Claim> claim(Map<Claim, OffsetDateTime> wanted, boolean expectNew) {
        TreeMap<UUID, Claim> sorted = new TreeMap<>();
        wanted.keySet().forEach(c -> sorted.put(c.digest(), c));
        Set<Claim> claimed = new HashSet<>();
        if (sorted.isEmpty()) {
            return claimed;
        }
        if (db.dialect().family() == SQLDialect.POSTGRES) {
            // one statement over column arrays: its text never changes, so it is planned once per connection
            ArrayStatement rows = ArrayStatement.rows("uuid", "bigint", "varchar");
            sorted.forEach((digest, c) -> rows.add(digest, c.sourceKey(), wanted.get(c)));
            if (expectNew) {
                // an id claimed before fails it as a DuplicateKeyException, for the caller's retry
                rows.execute(db, CLAIM_NEW);
                claimed.addAll(sorted.values());
            } else {
                claimed.addAll(rows.query(db, CLAIM_ARRAYS, rs -> sorted.get(rs.getObject(1, UUID.class))));
            }
            return claimed;
        }
        for (Map.Entry<UUID, Claim> e : sorted.entrySet()) {
            Claim c = e.getValue();
            if (db.insertInto(T).set(CLAIM, e.getKey()).set(SOURCE_KEY, c.sourceKey()).set(RECEIVED_AT, wanted.get(c))
                    .onConflict(CLAIM).doNothing().execute() == 1) {
                claimed.add(c);
            }
        }
        return claimed;
    }

    private static final String CLAIM_NEW = """
            insert into event_claim (claim, source_key, received_at)
            select d, k, r::timestamptz from unnest(?::uuid[], ?::bigint[], ?::varchar[]) with ordinality as c(d, k, r, i)
            order by i
            """;

    private static final String CLAIM_ARRAYS = """
            insert into event_claim (claim, source_key, received_at)
            select d, k, r::timestamptz from unnest(?::uuid[], ?::bigint[], ?::varchar[]) with ordinality as c(d, k, r, i)
            order by i
            on conflict do nothing
            returning claim
            """;

    /** Gives claims of this transaction back (messages refused after their ids were claimed). */
    void release(Collection<Claim> claims) {
        if (!claims.isEmpty()) {
            db.deleteFrom(T).where(CLAIM.in(claims.stream().map(Claim::digest).toList())).execute();
        }
    }

    int deleteBefore(OffsetDateTime cutoff) {
        return db.deleteFrom(T).where(RECEIVED_AT.lt(cutoff)).execute();
    }
}
