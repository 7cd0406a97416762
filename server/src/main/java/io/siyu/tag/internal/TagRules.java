package io.siyu.tag.internal;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.siyu.platform.BrandClock;
import io.siyu.segment.Rule;
import io.siyu.segment.SegmentRules;
import io.siyu.tag.TagSource;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Rule-based tagging: each active rule gives its tag (source {@code rule}) to every customer its
 * segment rule matches, and — when asked to — takes it away again from those it no longer matches
 * (only assignments the rules made; a tag given by hand stays). Applied to everyone when a rule is
 * saved, and then to the customers whose facts change, on a thread of its own.
 */
@Component
class TagRules implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(TagRules.class);
    private static final int CHUNK = 1000;

    static final Table<Record> R = table(name("tag_rule"));
    static final Field<Long> ID = field(name("id"), Long.class);
    static final Field<Long> TAG = field(name("tag_id"), Long.class);
    static final Field<String> NAME = field(name("name"), String.class);
    static final Field<String> RULE = field(name("rule_json"), String.class);
    static final Field<Boolean> REMOVE = field(name("remove_when_unmatched"), Boolean.class);
    static final Field<Integer> TTL = field(name("ttl_days"), Integer.class);
    static final Field<Boolean> ACTIVE = field(name("active"), Boolean.class);
    static final Field<String> CREATED_BY = field(name("created_by"), String.class);
    static final Field<OffsetDateTime> CREATED = field(name("created_at"), OffsetDateTime.class);
    static final Field<OffsetDateTime> UPDATED = field(name("updated_at"), OffsetDateTime.class);

    private static final Table<Record> CT = table(name("customer_tag"));
    private static final Field<Long> CT_CUSTOMER = field(name("customer_id"), Long.class);
    private static final Field<Long> CT_TAG = field(name("tag_id"), Long.class);
    private static final Field<String> CT_SOURCE = field(name("source"), String.class);

    /** A saved tag rule. */
    record Row(long id, long tagId, String name, String ruleJson, boolean removeWhenUnmatched, Integer ttlDays,
            boolean active, String createdBy, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    }

    private final DSLContext db;
    private final SegmentRules rules;
    private final TagService tags;
    private final TransactionTemplate tx;
    private final BrandClock clock;
    private final ObjectMapper json;
    private final ExecutorService worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(10_000), Thread.ofPlatform().daemon().name("tag-rules").factory(),
            new ThreadPoolExecutor.DiscardOldestPolicy());

    TagRules(DSLContext db, SegmentRules rules, TagService tags, TransactionTemplate tx, BrandClock clock,
            ObjectMapper json) {
        this.db = db;
        this.rules = rules;
        this.tags = tags;
        this.tx = tx;
        this.clock = clock;
        this.json = json;
        rules.onCustomersChanged(changed -> {
            RoaringBitmap copy = changed.clone();
            worker.execute(() -> applyAll(copy));
        });
    }

    private static Row row(Record r) {
        return new Row(r.get(ID), r.get(TAG), r.get(NAME), r.get(RULE), r.get(REMOVE), r.get(TTL), r.get(ACTIVE),
                r.get(CREATED_BY), r.get(CREATED), r.get(UPDATED));
    }

    private static List<Field<?>> fields() {
        return List.of(ID, TAG, NAME, RULE, REMOVE, TTL, ACTIVE, CREATED_BY, CREATED, UPDATED);
    }

    List<Row> all() {
        return db.select(fields()).from(R).orderBy(ID).fetch(TagRules::row);
    }

    Optional<Row> find(long id) {
        return db.select(fields()).from(R).where(ID.eq(id)).fetchOptional(TagRules::row);
    }

    long insert(long tagId, String name, String ruleJson, boolean remove, Integer ttl, boolean active, String actor) {
        OffsetDateTime now = clock.now();
        return db.insertInto(R).set(TAG, tagId).set(NAME, name).set(RULE, ruleJson).set(REMOVE, remove).set(TTL, ttl)
                .set(ACTIVE, active).set(CREATED_BY, actor).set(CREATED, now).set(UPDATED, now).returningResult(ID)
                .fetchOne(ID);
    }

    void update(Row r) {
        db.update(R).set(NAME, r.name()).set(RULE, r.ruleJson()).set(REMOVE, r.removeWhenUnmatched()).set(TTL, r.ttlDays())
                .set(ACTIVE, r.active()).set(UPDATED, clock.now()).where(ID.eq(r.id())).execute();
    }

    void delete(long id) {
        db.deleteFrom(R).where(ID.eq(id)).execute();
    }

    boolean tagHasRules(long tagId) {
        return db.fetchExists(db.selectOne().from(R).where(TAG.eq(tagId)));
    }

    /** Applies one rule to everyone, in the background (after it was saved or changed). */
    void applyLater(long ruleId) {
        worker.execute(() -> find(ruleId).filter(Row::active).ifPresent(r -> apply(r, null)));
    }

    private void applyAll(RoaringBitmap changed) {
        for (Row r : all()) {
            if (r.active()) {
                try {
                    apply(r, changed);
                } catch (RuntimeException e) {
                    LOG.warn("Tag rule {} could not be applied; it is retried with the next change", r.id(), e);
                }
            }
        }
    }

    /** Brings the rule's tag up to date for {@code candidates} (everyone when null); returns [added, removed]. */
    int[] apply(Row r, RoaringBitmap candidates) {
        Rule rule = rules.parse(json.readTree(r.ruleJson()), "");
        RoaringBitmap matching = candidates == null ? rules.members(rule) : rules.members(rule, candidates);
        RoaringBitmap holders = holders(r.tagId(), null);
        RoaringBitmap toAdd = RoaringBitmap.andNot(matching, holders);
        RoaringBitmap toRemove = new RoaringBitmap();
        if (r.removeWhenUnmatched()) {
            RoaringBitmap byRule = holders(r.tagId(), TagSource.RULE.id());
            toRemove = candidates == null ? RoaringBitmap.andNot(byRule, matching)
                    : RoaringBitmap.andNot(RoaringBitmap.and(byRule, candidates), matching);
        }
        OffsetDateTime expires = r.ttlDays() == null ? null : clock.now().plusDays(r.ttlDays());
        int added = chunks(toAdd, id -> tags.assign(id, r.tagId(), TagSource.RULE, expires));
        int removed = chunks(toRemove, id -> tags.remove(id, r.tagId(), TagSource.RULE));
        return new int[] {added, removed};
    }

    private int chunks(RoaringBitmap ids, java.util.function.LongPredicate change) {
        int[] changed = {0};
        int[] all = ids.toArray();
        for (int i = 0; i < all.length; i += CHUNK) {
            int from = i;
            tx.executeWithoutResult(s -> {
                for (int k = from; k < Math.min(all.length, from + CHUNK); k++) {
                    if (change.test(all[k])) {
                        changed[0]++;
                    }
                }
            });
        }
        return changed[0];
    }

    private RoaringBitmap holders(long tagId, String source) {
        RoaringBitmap b = new RoaringBitmap();
        var q = db.select(CT_CUSTOMER).from(CT).where(CT_TAG.eq(tagId));
        (source == null ? q : q.and(CT_SOURCE.eq(source))).fetch().forEach(r -> b.add(r.value1().intValue()));
        return b;
    }

    @Override
    public void destroy() {
        worker.shutdown();
    }
}
