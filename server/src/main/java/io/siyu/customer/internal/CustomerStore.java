package io.siyu.customer.internal;

import static io.siyu.customer.internal.Tables.C;

import io.siyu.platform.ArrayStatement;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SortField;
import org.springframework.stereotype.Repository;

/**
 * The customer table. {@code updated_at} is when a row last changed here, by this server's clock, also
 * when the change carries an older observation time (a backfilled {@code identify}): integrators sync
 * by it ({@code updatedFrom}), and the segment engine follows it.
 */
@Repository
class CustomerStore {

    private final DSLContext db;
    private final io.siyu.platform.BrandClock clock;

    CustomerStore(DSLContext db, io.siyu.platform.BrandClock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** A new active customer, created and profiled at {@code at} (when it was first observed). */
    long insert(CustomerRow.Profile p, String realNameEnc, String source, OffsetDateTime at) {
        return db.insertInto(C.T)
                .set(C.STATUS, CustomerRow.ACTIVE)
                .set(C.DISPLAY_NAME, p.displayName()).set(C.NICKNAME, p.nickname()).set(C.REAL_NAME_ENC, realNameEnc)
                .set(C.GENDER, p.gender()).set(C.BIRTHDAY, p.birthday()).set(C.PROVINCE, p.province())
                .set(C.CITY, p.city()).set(C.AVATAR_URL, p.avatarUrl()).set(C.SOURCE, source)
                .set(C.PROFILE_UPDATED_AT, at).set(C.CREATED_AT, at).set(C.UPDATED_AT, clock.now())
                .returningResult(C.ID).fetchOne(C.ID);
    }

    /** Whether {@link #allocateIds} works here (PostgreSQL: the identity column's sequence is reachable). */
    boolean allocatesIds() {
        return postgres();
    }

    private boolean postgres() {
        return db.dialect().family() == org.jooq.SQLDialect.POSTGRES;
    }

    /** {@code n} new customer ids from the identity column's sequence, in one query (PostgreSQL). */
    java.util.List<Long> allocateIds(int n) {
        return db.resultQuery(allocateSql(), org.jooq.impl.DSL.val(n)).fetch(0, Long.class);
    }

    private volatile String allocateSql;

    /**
     * The allocation query, naming the sequence found once: {@code pg_get_serial_sequence} in the query
     * itself would look the column's sequence up in the catalog again for every id.
     */
    private String allocateSql() {
        String sql = allocateSql;
        if (sql == null) {
            String sequence = db.resultQuery("select pg_get_serial_sequence('customer', 'id')").fetchOne(0, String.class);
            sql = "select nextval('" + sequence.replace("'", "''") + "'::regclass) from generate_series(1, {0})";
            allocateSql = sql;
        }
        return sql;
    }

    /**
     * New active customers with ids from {@link #allocateIds}, in one statement over column arrays
     * ({@link ArrayStatement}), in the collection's order.
     */
    void insertAll(Collection<CustomerRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        OffsetDateTime now = clock.now();
        List<Object[]> values = rows.stream().map(r -> {
            CustomerRow.Profile p = r.profile();
            return new Object[] {r.id(), CustomerRow.ACTIVE, p.displayName(), p.nickname(), r.realNameEnc(), p.gender(),
                    p.birthday(), p.province(), p.city(), p.avatarUrl(), r.source(), r.profileUpdatedAt(), r.createdAt(),
                    now};
        }).toList();
        if (allocatesIds()) {
            ArrayStatement insert = ArrayStatement.rows("bigint", "varchar", "varchar", "varchar", "varchar", "varchar",
                    "varchar", "varchar", "varchar", "varchar", "varchar", "varchar", "varchar", "varchar");
            values.forEach(insert::add);
            insert.execute(db, INSERT_ARRAYS);
            return;
        }
        var batch = db.batch(db.insertInto(C.T, C.ID, C.STATUS, C.DISPLAY_NAME, C.NICKNAME, C.REAL_NAME_ENC, C.GENDER,
                C.BIRTHDAY, C.PROVINCE, C.CITY, C.AVATAR_URL, C.SOURCE, C.PROFILE_UPDATED_AT, C.CREATED_AT, C.UPDATED_AT)
                .values((Long) null, null, null, null, null, null, null, null, null, null, null, null, null, null));
        for (Object[] row : values) {
            batch = batch.bind(row);
        }
        batch.execute();
    }

    private static final String INSERT_ARRAYS = """
            insert into customer (id, status, display_name, nickname, real_name_enc, gender, birthday, province, city,
                avatar_url, source, profile_updated_at, created_at, updated_at)
            select id, st, dn, nn, rn, g, b::date, pr, ci, av, so, pu::timestamptz, ca::timestamptz, ua::timestamptz
            from unnest(?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],
                ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[])
                with ordinality as u(id, st, dn, nn, rn, g, b, pr, ci, av, so, pu, ca, ua, i)
            order by i
            """;

    Optional<CustomerRow> find(long id) {
        return db.select(C.ALL).from(C.T).where(C.ID.eq(id)).fetchOptional().map(CustomerStore::toRow);
    }

    /** The customers with these ids, by id (one query). */
    java.util.Map<Long, CustomerRow> findAll(Collection<Long> ids) {
        java.util.Map<Long, CustomerRow> out = new java.util.HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        var rows = postgres() ? ArrayStatement.ids(ids).fetch(db, SELECT_BY_IDS, C.ALL)
                : db.select(C.ALL).from(C.T).where(C.ID.in(ids)).fetch();
        rows.forEach(r -> out.put(r.get(C.ID), toRow(r)));
        return out;
    }

    /**
     * Writes the profiles and times of several active customers with one batched statement, in id
     * order (concurrent writers then lock rows in the same order). A customer that is no longer
     * active (merged or erased since it was read) fails the write as a lost race.
     */
    void writeAll(java.util.SortedMap<Long, CustomerRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        if (postgres()) {
            ArrayStatement update = ArrayStatement.rows("bigint", "varchar", "varchar", "varchar", "varchar", "varchar",
                    "varchar", "varchar", "varchar", "varchar", "varchar", "varchar");
            for (CustomerRow r : rows.values()) {
                CustomerRow.Profile p = r.profile();
                update.add(r.id(), p.displayName(), p.nickname(), r.realNameEnc(), p.gender(), p.birthday(), p.province(),
                        p.city(), p.avatarUrl(), r.source(), r.profileUpdatedAt(), r.updatedAt());
            }
            if (update.execute(db, UPDATE_ARRAYS) != rows.size()) {
                throw new org.springframework.dao.ConcurrencyFailureException("customer changed during resolution");
            }
            return;
        }
        var batch = db.batch(db.update(C.T)
                .set(C.DISPLAY_NAME, (String) null).set(C.NICKNAME, (String) null).set(C.REAL_NAME_ENC, (String) null)
                .set(C.GENDER, (String) null).set(C.BIRTHDAY, (java.time.LocalDate) null).set(C.PROVINCE, (String) null)
                .set(C.CITY, (String) null).set(C.AVATAR_URL, (String) null).set(C.SOURCE, (String) null)
                .set(C.PROFILE_UPDATED_AT, (OffsetDateTime) null).set(C.UPDATED_AT, (OffsetDateTime) null)
                .where(C.ID.eq((Long) null)).and(C.STATUS.eq(org.jooq.impl.DSL.inline(CustomerRow.ACTIVE))));
        for (CustomerRow r : rows.values()) {
            CustomerRow.Profile p = r.profile();
            batch = batch.bind(p.displayName(), p.nickname(), r.realNameEnc(), p.gender(), p.birthday(), p.province(),
                    p.city(), p.avatarUrl(), r.source(), r.profileUpdatedAt(), r.updatedAt(), r.id());
        }
        for (int n : batch.execute()) {
            // SUCCESS_NO_INFO (-2) when a driver does not count batched rows
            if (n == 0) {
                throw new org.springframework.dao.ConcurrencyFailureException("customer changed during resolution");
            }
        }
    }

    /**
     * {@link #writeAll} on PostgreSQL in one statement over column arrays, changing only active
     * customers: it changes fewer rows than it was given when one is no longer active. Rows are locked
     * as the join reaches them, which with the nested loop over the ids chosen for a few rows is their
     * (id) order; should a plan ever lock them in another order and deadlock with another writer,
     * PostgreSQL ends one of the two and its group is stored again like any lost race. (Locking them
     * first in a separate step, {@code select ... order by id for update}, cost twice the page writes
     * and WAL records.)
     */
    private static final String UPDATE_ARRAYS = """
            update customer c set display_name = u.dn, nickname = u.nn, real_name_enc = u.rn, gender = u.g,
                birthday = u.b::date, province = u.pr, city = u.ci, avatar_url = u.av, source = u.so,
                profile_updated_at = u.pu::timestamptz, updated_at = u.ua::timestamptz
            from unnest(?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],
                ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[])
                as u(id, dn, nn, rn, g, b, pr, ci, av, so, pu, ua)
            where c.id = u.id and c.status = 'active'
            """;

    /**
     * For each id: the customer it stands for now (itself, or the survivor of its merge; merges
     * repoint earlier merges, so one hop suffices) when that customer is active.
     */
    java.util.Map<Long, Long> activeTargets(Collection<Long> ids) {
        java.util.Map<Long, Long> targets = new java.util.HashMap<>();
        if (ids.isEmpty()) {
            return targets;
        }
        java.util.Set<Long> survivors = new java.util.HashSet<>();
        for (Record r : statuses(ids)) {
            if (CustomerRow.ACTIVE.equals(r.get(C.STATUS))) {
                targets.put(r.get(C.ID), r.get(C.ID));
            } else if (r.get(C.MERGED_INTO) != null) {
                targets.put(r.get(C.ID), r.get(C.MERGED_INTO));
                survivors.add(r.get(C.MERGED_INTO));
            }
        }
        if (!survivors.isEmpty()) {
            java.util.Set<Long> active = new java.util.HashSet<>();
            for (Record r : statuses(survivors)) {
                if (CustomerRow.ACTIVE.equals(r.get(C.STATUS))) {
                    active.add(r.get(C.ID));
                }
            }
            targets.values().removeIf(target -> survivors.contains(target) && !active.contains(target));
        }
        return targets;
    }

    /** Id, status and merge target of the customers with these ids. */
    private org.jooq.Result<? extends Record> statuses(Collection<Long> ids) {
        return postgres() ? ArrayStatement.ids(ids).fetch(db, STATUS_BY_IDS, C.ID, C.STATUS, C.MERGED_INTO)
                : db.select(C.ID, C.STATUS, C.MERGED_INTO).from(C.T).where(C.ID.in(ids)).fetch();
    }

    /*
     * Customers by id, on PostgreSQL with one array parameter ({@code id = any(?)}) in a statement
     * written out: its text is the same for any number of ids, so it is planned once per connection;
     * neither side renders, binds and parses a list of hundreds of parameters for every group of
     * tracking calls, and jOOQ does not build and render the query each time.
     */
    private static final String SELECT_BY_IDS = "select " + java.util.Arrays.stream(C.ALL).map(Field::getName)
            .collect(java.util.stream.Collectors.joining(", ")) + " from customer where id = any(?)";
    private static final String STATUS_BY_IDS = "select id, status, merged_into from customer where id = any(?)";

    /** Locks the given customers in id order (so concurrent merges cannot deadlock) and returns them. */
    List<CustomerRow> lock(Collection<Long> ids) {
        return db.select(C.ALL).from(C.T).where(C.ID.in(ids)).orderBy(C.ID).forUpdate().fetch(CustomerStore::toRow);
    }

    void updateProfile(long id, CustomerRow.Profile p, String realNameEnc, String source, OffsetDateTime profileUpdatedAt) {
        updateProfile(id, p, realNameEnc, source, profileUpdatedAt, true);
    }

    /** Writes the profile; {@code updated_at} moves only when {@code changed} (a value differs from the stored one). */
    void updateProfile(long id, CustomerRow.Profile p, String realNameEnc, String source, OffsetDateTime profileUpdatedAt,
            boolean changed) {
        var update = db.update(C.T)
                .set(C.DISPLAY_NAME, p.displayName()).set(C.NICKNAME, p.nickname()).set(C.REAL_NAME_ENC, realNameEnc)
                .set(C.GENDER, p.gender()).set(C.BIRTHDAY, p.birthday()).set(C.PROVINCE, p.province())
                .set(C.CITY, p.city()).set(C.AVATAR_URL, p.avatarUrl()).set(C.SOURCE, source)
                .set(C.PROFILE_UPDATED_AT, profileUpdatedAt);
        (changed ? update.set(C.UPDATED_AT, clock.now()) : update).where(C.ID.eq(id)).execute();
    }

    /** Marks the customer changed (its attributes or identities were). */
    void touch(long id) {
        db.update(C.T).set(C.UPDATED_AT, clock.now()).where(C.ID.eq(id)).execute();
    }

    /** Marks {@code mergedId} as merged into the survivor and repoints earlier merges into it. */
    void markMerged(long mergedId, long survivorId) {
        OffsetDateTime now = clock.now();
        db.update(C.T).set(C.STATUS, CustomerRow.MERGED).set(C.MERGED_INTO, survivorId)
                .set(C.DISPLAY_NAME, (String) null).set(C.NICKNAME, (String) null).set(C.REAL_NAME_ENC, (String) null)
                .set(C.GENDER, (String) null).set(C.BIRTHDAY, (java.time.LocalDate) null)
                .set(C.PROVINCE, (String) null).set(C.CITY, (String) null).set(C.AVATAR_URL, (String) null)
                .set(C.UPDATED_AT, now)
                .where(C.ID.eq(mergedId)).execute();
        db.update(C.T).set(C.MERGED_INTO, survivorId).set(C.UPDATED_AT, now)
                .where(C.MERGED_INTO.eq(mergedId)).execute();
    }

    /** Removes every personal field, keeping an anonymised tombstone (id, dates, first channel). */
    void erase(long id) {
        OffsetDateTime now = clock.now();
        db.update(C.T).set(C.STATUS, CustomerRow.ERASED)
                .set(C.DISPLAY_NAME, (String) null).set(C.NICKNAME, (String) null).set(C.REAL_NAME_ENC, (String) null)
                .set(C.GENDER, (String) null).set(C.BIRTHDAY, (java.time.LocalDate) null)
                .set(C.PROVINCE, (String) null).set(C.CITY, (String) null).set(C.AVATAR_URL, (String) null)
                .set(C.UPDATED_AT, now).set(C.ERASED_AT, now)
                .where(C.ID.eq(id)).execute();
    }

    List<CustomerRow> page(Condition where, List<SortField<?>> order, int limit) {
        return db.select(C.ALL).from(C.T).where(where).orderBy(order).limit(limit).fetch(CustomerStore::toRow);
    }

    boolean any() {
        return db.fetchExists(db.selectOne().from(C.T));
    }

    List<Long> mergedInto(long survivorId) {
        return db.select(C.ID).from(C.T).where(C.MERGED_INTO.eq(survivorId)).orderBy(C.ID).fetch(C.ID);
    }

    static CustomerRow toRow(Record r) {
        return new CustomerRow(r.get(C.ID), r.get(C.STATUS), r.get(C.MERGED_INTO),
                new CustomerRow.Profile(r.get(C.DISPLAY_NAME), r.get(C.NICKNAME), r.get(C.GENDER), r.get(C.BIRTHDAY),
                        r.get(C.PROVINCE), r.get(C.CITY), r.get(C.AVATAR_URL)),
                r.get(C.REAL_NAME_ENC), r.get(C.SOURCE), r.get(C.PROFILE_UPDATED_AT), r.get(C.CREATED_AT),
                r.get(C.UPDATED_AT), r.get(C.ERASED_AT));
    }
}
