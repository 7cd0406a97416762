package io.siyu.segment.internal;

import static io.siyu.segment.internal.SegTables.*;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.lower;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.table;

import io.siyu.customer.Customers;
import io.siyu.customer.IdentityType;
import io.siyu.segment.Rule;
import io.siyu.segment.SegmentRules;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.roaringbitmap.RoaringBitmap;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Parsing, validation and evaluation of rules, for the API and for other modules. */
@Service
class SegmentService implements SegmentRules, RuleCatalog {

    private final DSLContext db;
    private final Customers customers;
    private final SegmentStore store;
    private final SegmentEngine engine;
    private final ObjectMapper json;
    private final Map<Long, Optional<Rule>> parsedSegments = new ConcurrentHashMap<>();

    SegmentService(DSLContext db, Customers customers, SegmentStore store, SegmentEngine engine, ObjectMapper json) {
        this.db = db;
        this.customers = customers;
        this.store = store;
        this.engine = engine;
        this.json = json;
    }

    @Override
    public Rule parse(JsonNode node, String pointerPrefix) {
        return RuleParser.parse(node, pointerPrefix, this, json, null);
    }

    Rule parse(JsonNode node, String pointerPrefix, Long self) {
        return RuleParser.parse(node, pointerPrefix, this, json, self);
    }

    @Override
    public Map<String, Object> toJson(Rule rule) {
        return RuleJson.write(rule);
    }

    String toJsonText(Rule rule) {
        return json.writeValueAsString(Map.of("version", RuleParser.VERSION, "rule", RuleJson.write(rule)));
    }

    @Override
    public RoaringBitmap members(Rule rule) {
        return members(rule, null);
    }

    @Override
    public RoaringBitmap members(Rule rule, RoaringBitmap candidates) {
        EvalTime time = engine.time();
        return engine.evaluate(rule, candidates, time, this::dynamicRule)
                .orElseGet(() -> sqlMembers(rule, candidates, time));
    }

    @Override
    public Optional<RoaringBitmap> savedMembers(long segmentId) {
        return store.find(segmentId).map(row -> store.members(row.id()));
    }

    @Override
    public void onCustomersChanged(java.util.function.Consumer<RoaringBitmap> listener) {
        engine.addListener(listener::accept);
    }

    /**
     * The exact answer from the database: on PostgreSQL one statement; on H2 one statement per leaf,
     * combined in memory (see {@link SqlCompiler#members(DSLContext, Rule)}).
     */
    RoaringBitmap sqlMembers(Rule rule, RoaringBitmap candidates, EvalTime time) {
        if (statementPerLeaf()) {
            RoaringBitmap all = new SqlCompiler(time, this::dynamicRule).members(db, rule);
            return candidates == null ? all : RoaringBitmap.and(all, candidates);
        }
        Condition where = SqlCompiler.universe().and(new SqlCompiler(time, this::dynamicRule).compile(rule));
        RoaringBitmap out = new RoaringBitmap();
        if (candidates != null) {
            List<Long> all = SegmentStore.list(candidates);
            for (int i = 0; i < all.size(); i += 1000) {
                db.select(C_ID).from(C).where(where).and(C_ID.in(all.subList(i, Math.min(all.size(), i + 1000))))
                        .fetch().forEach(r -> out.add(r.value1().intValue()));
            }
            return out;
        }
        db.select(C_ID).from(C).where(where).fetchSize(10_000).fetchLazy().forEach(r -> out.add(r.value1().intValue()));
        return out;
    }

    int sqlCount(Rule rule, EvalTime time) {
        if (statementPerLeaf()) {
            return new SqlCompiler(time, this::dynamicRule).members(db, rule).getCardinality();
        }
        Condition where = SqlCompiler.universe().and(new SqlCompiler(time, this::dynamicRule).compile(rule));
        return db.select(count()).from(C).where(where).fetchOne(0, Integer.class);
    }

    /** H2 re-runs {@code IN (subquery)} per row while other sessions write, so it gets a statement per leaf. */
    private boolean statementPerLeaf() {
        return db.dialect().family() == org.jooq.SQLDialect.H2;
    }

    /** The rule of a dynamic segment (empty for a static one); parsed once per version. */
    Optional<Rule> dynamicRule(long segmentId) {
        return parsedSegments.computeIfAbsent(segmentId, id -> store.find(id).filter(SegmentStore.Row::dynamic)
                .map(row -> parse(json.readTree(row.ruleJson()), "", id)));
    }

    void forget(long segmentId) {
        parsedSegments.clear();
    }

    // ---- catalog

    @Override
    public Optional<Rule.ValueType> customAttribute(String name) {
        String type = customers.attributeTypes().get(name);
        return type == null ? Optional.empty() : Optional.of(Rule.ValueType.valueOf(type.toUpperCase(Locale.ROOT)));
    }

    @Override
    public Set<Long> unknownTags(Collection<Long> ids) {
        Set<Long> unknown = new HashSet<>(ids);
        unknown.removeAll(db.select(ID).from(TAG).where(ID.in(ids)).fetch(ID));
        return unknown;
    }

    @Override
    public boolean staffExists(long staffId) {
        return db.fetchExists(select(ID).from(STAFF).where(ID.eq(staffId)));
    }

    @Override
    public boolean groupChatExists(String chatId) {
        return db.fetchExists(select(CHAT_ID).from(GROUP_CHAT).where(CHAT_ID.eq(chatId)));
    }

    @Override
    public boolean identityTypeExists(String type) {
        return customers.identityTypes().stream().map(IdentityType::name).anyMatch(type::equals);
    }

    @Override
    public Set<Long> unknownLayers(Collection<Long> ids) {
        Set<Long> unknown = new HashSet<>(ids);
        boolean exists = db.fetchExists(select(inline(1)).from(table(name("information_schema", "tables")))
                .where(lower(field(name("table_name"), String.class)).eq("layer")));
        if (exists) {
            unknown.removeAll(db.select(ID).from(LAYER).where(ID.in(ids)).fetch(ID));
        }
        return unknown;
    }

    @Override
    public Optional<StoredSegment> segment(long id) {
        return store.find(id).map(r -> new StoredSegment(r.id(), r.dynamic(), r.ruleJson()));
    }
}
