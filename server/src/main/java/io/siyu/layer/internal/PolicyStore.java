package io.siyu.layer.internal;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.table;

import io.siyu.layer.ContactPolicy;
import io.siyu.layer.ContactPolicy.Channel;
import io.siyu.layer.ContactPolicy.HourWindow;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.ObjectMapper;

/** Layering policies and their layers. */
@Repository
class PolicyStore {

    static final Table<Record> POLICY = table(name("layer_policy"));
    static final Field<Long> ID = field(name("id"), Long.class);
    static final Field<String> NAME = field(name("name"), String.class);
    static final Field<String> DESCRIPTION = field(name("description"), String.class);
    static final Field<String> PRESET = field(name("preset"), String.class);
    static final Field<Boolean> ACTIVE = field(name("active"), Boolean.class);
    static final Field<Integer> PRIORITY = field(name("priority"), Integer.class);
    static final Field<Integer> VERSION = field(name("version"), Integer.class);
    static final Field<OffsetDateTime> EVALUATED_AT = field(name("evaluated_at"), OffsetDateTime.class);
    static final Field<String> CREATED_BY = field(name("created_by"), String.class);
    static final Field<OffsetDateTime> CREATED_AT = field(name("created_at"), OffsetDateTime.class);
    static final Field<OffsetDateTime> UPDATED_AT = field(name("updated_at"), OffsetDateTime.class);

    static final Table<Record> LAYER = table(name("layer"));
    static final Field<Long> POLICY_ID = field(name("policy_id"), Long.class);
    static final Field<Integer> POSITION = field(name("position"), Integer.class);
    static final Field<String> KEY = field(name("layer_key"), String.class);
    static final Field<String> NAME_EN = field(name("name_en"), String.class);
    static final Field<String> COLOUR = field(name("colour"), String.class);
    static final Field<Boolean> IS_DEFAULT = field(name("is_default"), Boolean.class);
    static final Field<String> RULE = field(name("rule_json"), String.class);
    static final Field<Integer> PER_DAY = field(name("max_per_day"), Integer.class);
    static final Field<Integer> PER_WEEK = field(name("max_per_week"), Integer.class);
    static final Field<Integer> PER_MONTH = field(name("max_per_month"), Integer.class);
    static final Field<String> CHANNELS = field(name("preferred_channels"), String.class);
    static final Field<String> HOURS = field(name("allowed_hours"), String.class);
    static final Field<String> BENEFITS = field(name("benefits"), String.class);
    static final Field<OffsetDateTime> REMOVED_AT = field(name("removed_at"), OffsetDateTime.class);

    /** A policy's own fields. */
    record PolicyRow(long id, String name, String description, String preset, boolean active, int priority,
            int version, OffsetDateTime evaluatedAt, String createdBy, OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {
    }

    /** A layer as stored; {@code id} 0 for one not stored yet, {@code ruleJson} null for the default layer. */
    record LayerRow(long id, String key, String name, String nameEn, String description, String colour,
            boolean isDefault, String ruleJson, ContactPolicy contact, List<String> benefits) {
    }

    /** A policy with its current layers in evaluation order, the default layer last. */
    record Policy(PolicyRow row, List<LayerRow> layers) {

        LayerRow defaultLayer() {
            return layers.getLast();
        }

        List<LayerRow> ruled() {
            return layers.subList(0, layers.size() - 1);
        }
    }

    private final DSLContext db;
    private final ObjectMapper json;

    PolicyStore(DSLContext db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    long insert(String name, String description, String preset, boolean active, int priority, String createdBy,
            OffsetDateTime now) {
        return db.insertInto(POLICY).set(NAME, name).set(DESCRIPTION, description).set(PRESET, preset)
                .set(ACTIVE, active).set(PRIORITY, priority).set(VERSION, 1).set(CREATED_BY, createdBy)
                .set(CREATED_AT, now).set(UPDATED_AT, now).returningResult(ID).fetchOne().value1();
    }

    void update(long id, String name, String description, boolean active, int priority, OffsetDateTime now) {
        db.update(POLICY).set(NAME, name).set(DESCRIPTION, description).set(ACTIVE, active).set(PRIORITY, priority)
                .set(VERSION, VERSION.plus(1)).set(UPDATED_AT, now).where(ID.eq(id)).execute();
    }

    void evaluated(long id, OffsetDateTime at) {
        db.update(POLICY).set(EVALUATED_AT, at).where(ID.eq(id)).execute();
    }

    void delete(long id) {
        db.deleteFrom(POLICY).where(ID.eq(id)).execute();
    }

    /**
     * Makes the policy's layers {@code layers}, in this order: layers with an id are updated, the
     * others inserted, and current layers no longer listed are marked removed (their rows stay so
     * history can name them). Returns the layers with their ids.
     */
    List<LayerRow> replaceLayers(long policyId, List<LayerRow> layers, OffsetDateTime now) {
        List<LayerRow> out = new ArrayList<>();
        List<Long> kept = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            LayerRow l = layers.get(i);
            var values = new HashMap<Field<?>, Object>();
            values.put(POSITION, i);
            values.put(KEY, l.key());
            values.put(NAME, l.name());
            values.put(NAME_EN, l.nameEn());
            values.put(DESCRIPTION, l.description());
            values.put(COLOUR, l.colour());
            values.put(IS_DEFAULT, l.isDefault());
            values.put(RULE, l.ruleJson());
            values.put(PER_DAY, l.contact().maxPerDay());
            values.put(PER_WEEK, l.contact().maxPerWeek());
            values.put(PER_MONTH, l.contact().maxPerMonth());
            values.put(CHANNELS, String.join(",", l.contact().preferredChannels().stream()
                    .map(c -> c.name().toLowerCase(Locale.ROOT)).toList()));
            values.put(HOURS, String.join(",", l.contact().allowedHours().stream().map(PolicyStore::hours).toList()));
            values.put(BENEFITS, json.writeValueAsString(l.benefits()));
            long id = l.id();
            if (id == 0) {
                values.put(POLICY_ID, policyId);
                id = db.insertInto(LAYER).set(values).returningResult(ID).fetchOne().value1();
            } else {
                db.update(LAYER).set(values).where(ID.eq(id)).and(POLICY_ID.eq(policyId)).execute();
            }
            kept.add(id);
            out.add(new LayerRow(id, l.key(), l.name(), l.nameEn(), l.description(), l.colour(), l.isDefault(),
                    l.ruleJson(), l.contact(), l.benefits()));
        }
        db.update(LAYER).set(REMOVED_AT, now).where(POLICY_ID.eq(policyId)).and(REMOVED_AT.isNull())
                .and(ID.notIn(kept)).execute();
        return out;
    }

    Optional<Policy> find(long id) {
        return db.select(ID, NAME, DESCRIPTION, PRESET, ACTIVE, PRIORITY, VERSION, EVALUATED_AT, CREATED_BY,
                        CREATED_AT, UPDATED_AT).from(POLICY).where(ID.eq(id)).fetchOptional()
                .map(r -> new Policy(policyRow(r), layers(id)));
    }

    /** Policies after {@code afterId} in id order. */
    List<Policy> page(long afterId, int limit) {
        return db.select(ID, NAME, DESCRIPTION, PRESET, ACTIVE, PRIORITY, VERSION, EVALUATED_AT, CREATED_BY,
                        CREATED_AT, UPDATED_AT).from(POLICY).where(ID.gt(afterId)).orderBy(ID).limit(limit).fetch()
                .map(r -> new Policy(policyRow(r), layers(r.get(ID))));
    }

    /** Ids of the active policies, primary first. */
    List<Long> activeIds() {
        return db.select(ID).from(POLICY).where(ACTIVE.isTrue()).orderBy(PRIORITY, ID).fetch(ID);
    }

    Optional<Long> byPreset(String preset) {
        return db.select(ID).from(POLICY).where(PRESET.eq(preset)).fetchOptional(ID);
    }

    Map<String, Long> presets() {
        Map<String, Long> out = new HashMap<>();
        db.select(PRESET, ID).from(POLICY).where(PRESET.isNotNull()).forEach(r -> out.put(r.value1(), r.value2()));
        return out;
    }

    boolean nameTaken(String name, long exceptId) {
        return db.fetchExists(select(inline(1)).from(POLICY).where(NAME.eq(name)).and(ID.ne(exceptId)));
    }

    /** The keys of every layer of the policy, removed ones too, by id (for naming them in reports). */
    Map<Long, String[]> allLayerNames(long policyId) {
        Map<Long, String[]> out = new HashMap<>();
        db.select(ID, KEY, NAME, NAME_EN).from(LAYER).where(POLICY_ID.eq(policyId))
                .forEach(r -> out.put(r.value1(), new String[] {r.value2(), r.value3(), r.value4()}));
        return out;
    }

    /** The layers with these ids, removed ones too. */
    Map<Long, LayerRow> layersByIds(java.util.Collection<Long> ids) {
        Map<Long, LayerRow> out = new HashMap<>();
        db.select(ID, KEY, NAME, NAME_EN, DESCRIPTION, COLOUR, IS_DEFAULT, RULE, PER_DAY, PER_WEEK, PER_MONTH,
                        CHANNELS, HOURS, BENEFITS).from(LAYER).where(ID.in(ids)).fetch()
                .forEach(r -> out.put(r.get(ID), layerRow(r)));
        return out;
    }

    private List<LayerRow> layers(long policyId) {
        return db.select(ID, KEY, NAME, NAME_EN, DESCRIPTION, COLOUR, IS_DEFAULT, RULE, PER_DAY, PER_WEEK, PER_MONTH,
                        CHANNELS, HOURS, BENEFITS).from(LAYER)
                .where(POLICY_ID.eq(policyId)).and(REMOVED_AT.isNull()).orderBy(POSITION).fetch()
                .map(this::layerRow);
    }

    LayerRow layerRow(Record r) {
        ContactPolicy contact = new ContactPolicy(r.get(PER_DAY), r.get(PER_WEEK), r.get(PER_MONTH),
                split(r.get(CHANNELS)).stream().map(c -> Channel.valueOf(c.toUpperCase(Locale.ROOT))).toList(),
                split(r.get(HOURS)).stream().map(PolicyStore::window).toList());
        List<String> benefits = Arrays.asList(json.readValue(r.get(BENEFITS), String[].class));
        return new LayerRow(r.get(ID), r.get(KEY), r.get(NAME), r.get(NAME_EN), r.get(DESCRIPTION), r.get(COLOUR),
                r.get(IS_DEFAULT), r.get(RULE), contact, benefits);
    }

    private static PolicyRow policyRow(Record r) {
        return new PolicyRow(r.get(ID), r.get(NAME), r.get(DESCRIPTION), r.get(PRESET), r.get(ACTIVE), r.get(PRIORITY),
                r.get(VERSION), r.get(EVALUATED_AT), r.get(CREATED_BY), r.get(CREATED_AT), r.get(UPDATED_AT));
    }

    private static List<String> split(String s) {
        return s == null || s.isEmpty() ? List.of() : List.of(s.split(","));
    }

    static String hours(HourWindow w) {
        return w.from() + "-" + (w.to().equals(LocalTime.MAX) ? "24:00" : w.to().toString());
    }

    static HourWindow window(String text) {
        String[] parts = text.split("-");
        LocalTime to = parts[1].equals("24:00") ? LocalTime.MAX : LocalTime.parse(parts[1]);
        return new HourWindow(LocalTime.parse(parts[0]), to);
    }
}
