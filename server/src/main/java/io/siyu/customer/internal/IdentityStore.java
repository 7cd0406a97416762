package io.siyu.customer.internal;

import static io.siyu.customer.internal.Tables.I;

import io.siyu.compliance.PiiCipher;
import io.siyu.platform.ArrayStatement;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.springframework.stereotype.Repository;

/** The customer_identity table: who is known by which identifier. */
@Repository
class IdentityStore {

    private final DSLContext db;
    private final PiiCipher cipher;

    IdentityStore(DSLContext db, PiiCipher cipher) {
        this.db = db;
        this.cipher = cipher;
    }

    /**
     * The stored rows of these identities, each found through the unique index. PostgreSQL: one
     * statement over column arrays whose text never changes, a lookup per element (the lateral
     * subquery is fenced with OFFSET 0, so no plan may trade the index for a scan). H2: one lookup
     * per identity combined with UNION ALL, as an OR of composite keys is not answered from the index.
     */
    List<IdentityRow> findAll(Collection<NormalisedIdentity> identities) {
        if (identities.isEmpty()) {
            return List.of();
        }
        if (db.dialect().family() == SQLDialect.POSTGRES) {
            ArrayStatement keys = ArrayStatement.rows("varchar", "varchar", "varchar");
            for (NormalisedIdentity n : identities) {
                keys.add(n.type().name(), n.appId(), n.lookupKey());
            }
            return keys.fetch(db, FIND_ARRAYS, I.ALL).map(IdentityStore::toRow);
        }
        org.jooq.Select<Record> union = null;
        for (NormalisedIdentity n : identities) {
            var one = db.select(I.ALL).from(I.T).where(I.TYPE.eq(n.type().name())).and(I.APP_ID.eq(n.appId()))
                    .and(I.LOOKUP_KEY.eq(n.lookupKey()));
            union = union == null ? one : union.unionAll(one);
        }
        return union.fetch(IdentityStore::toRow);
    }

    private static final String FIND_ARRAYS = """
            select i.id, i.customer_id, i.id_type, i.app_id, i.lookup_key, i.id_value, i.value_enc, i.created_at
            from unnest(?::varchar[], ?::varchar[], ?::varchar[]) as k(t, a, l)
            cross join lateral (select * from customer_identity
                where id_type = k.t and app_id = k.a and lookup_key = k.l offset 0) i
            """;

    Optional<IdentityRow> find(NormalisedIdentity n) {
        return findAll(List.of(n)).stream().findFirst();
    }

    Optional<IdentityRow> findById(long id) {
        return db.select(I.ALL).from(I.T).where(I.ID.eq(id)).fetchOptional().map(IdentityStore::toRow);
    }

    List<IdentityRow> forCustomers(Collection<Long> customerIds) {
        return db.select(I.ALL).from(I.T).where(I.CUSTOMER_ID.in(customerIds)).orderBy(I.ID).fetch(IdentityStore::toRow);
    }

    List<IdentityRow> forCustomer(long customerId) {
        return forCustomers(List.of(customerId));
    }

    void insert(long customerId, NormalisedIdentity n, OffsetDateTime now) {
        boolean pii = n.type().pii();
        db.insertInto(I.T)
                .set(I.CUSTOMER_ID, customerId).set(I.TYPE, n.type().name()).set(I.APP_ID, n.appId())
                .set(I.LOOKUP_KEY, n.lookupKey())
                .set(I.VALUE, pii ? null : n.value())
                .set(I.VALUE_ENC, pii ? cipher.encrypt(n.value()) : null)
                .set(I.CREATED_AT, now)
                .execute();
    }

    /** Inserts identities of one customer with one batched statement. */
    void insertAll(long customerId, List<NormalisedIdentity> list, OffsetDateTime now) {
        insertAll(list.stream().map(n -> new NewIdentity(customerId, n, now)).toList());
    }

    /** One identity of a new customer, observed at {@code at}. */
    record NewIdentity(long customerId, NormalisedIdentity identity, OffsetDateTime at) {
    }

    /**
     * Several customers' new identities in one statement: on PostgreSQL one insert over column arrays
     * ({@link ArrayStatement}), in list order; elsewhere one batch.
     */
    void insertAll(List<NewIdentity> list) {
        if (list.isEmpty()) {
            return;
        }
        List<Object[]> rows = list.stream().map(this::columns).toList();
        if (db.dialect().family() == SQLDialect.POSTGRES) {
            ArrayStatement insert = ArrayStatement.rows("bigint", "varchar", "varchar", "varchar", "varchar", "varchar",
                    "varchar");
            rows.forEach(insert::add);
            insert.execute(db, INSERT_ARRAYS);
            return;
        }
        var batch = db.batch(db.insertInto(I.T, I.CUSTOMER_ID, I.TYPE, I.APP_ID, I.LOOKUP_KEY, I.VALUE, I.VALUE_ENC,
                I.CREATED_AT).values((Long) null, null, null, null, null, null, null));
        for (Object[] row : rows) {
            batch = batch.bind(row);
        }
        batch.execute();
    }

    /** The stored columns of a new identity: a personal one's value only encrypted. */
    private Object[] columns(NewIdentity i) {
        NormalisedIdentity n = i.identity();
        boolean pii = n.type().pii();
        return new Object[] {i.customerId(), n.type().name(), n.appId(), n.lookupKey(), pii ? null : n.value(),
                pii ? cipher.encrypt(n.value()) : null, i.at()};
    }

    private static final String INSERT_ARRAYS = """
            insert into customer_identity (customer_id, id_type, app_id, lookup_key, id_value, value_enc, created_at)
            select c, t, a, k, v, e, at::timestamptz
            from unnest(?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[])
                with ordinality as u(c, t, a, k, v, e, at, i)
            order by i
            """;

    int moveAll(long fromCustomer, long toCustomer) {
        return db.update(I.T).set(I.CUSTOMER_ID, toCustomer).where(I.CUSTOMER_ID.eq(fromCustomer)).execute();
    }

    int deleteForCustomer(long customerId) {
        return db.deleteFrom(I.T).where(I.CUSTOMER_ID.eq(customerId)).execute();
    }

    int delete(long identityId, long customerId) {
        return db.deleteFrom(I.T).where(I.ID.eq(identityId)).and(I.CUSTOMER_ID.eq(customerId)).execute();
    }

    /** The plain value of a stored identity (decrypted for PII types). */
    String plainValue(IdentityRow row) {
        return row.valueEnc() != null ? cipher.decrypt(row.valueEnc()) : row.value();
    }

    static IdentityRow toRow(Record r) {
        return new IdentityRow(r.get(I.ID), r.get(I.CUSTOMER_ID), r.get(I.TYPE), r.get(I.APP_ID), r.get(I.LOOKUP_KEY),
                r.get(I.VALUE), r.get(I.VALUE_ENC), r.get(I.CREATED_AT));
    }
}
