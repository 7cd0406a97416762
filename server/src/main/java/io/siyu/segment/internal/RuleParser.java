package io.siyu.segment.internal;

import io.siyu.platform.FieldProblem;
import io.siyu.platform.SiyuException;
import io.siyu.segment.Rule;
import io.siyu.segment.Rule.AttributeOp;
import io.siyu.segment.Rule.Comparison;
import io.siyu.segment.Rule.EventOp;
import io.siyu.segment.Rule.ProductField;
import io.siyu.segment.Rule.PropertyOp;
import io.siyu.segment.Rule.PurchaseMetric;
import io.siyu.segment.Rule.RfmField;
import io.siyu.segment.Rule.TagOp;
import io.siyu.segment.Rule.ValueType;
import io.siyu.segment.Rule.Window;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads rule JSON (language version 1) into {@link Rule}s, collecting every problem with a JSON
 * pointer to the offending node. One parser instance reads one document.
 */
final class RuleParser {

    static final int VERSION = 1;
    static final int MAX_DEPTH = 10;
    static final int MAX_NODES = 300;
    static final int MAX_SEGMENT_NESTING = 5;
    static final int MAX_LIST = 1000;
    static final int MAX_DAYS = 36_500;
    static final int MAX_TEXT = 500;
    static final int MAX_FILTERS = 10;

    /** Profile fields every customer has, with their types. */
    static final Map<String, ValueType> BUILT_IN = Map.ofEntries(
            Map.entry("display_name", ValueType.STRING), Map.entry("nickname", ValueType.STRING),
            Map.entry("gender", ValueType.STRING), Map.entry("province", ValueType.STRING),
            Map.entry("city", ValueType.STRING), Map.entry("source", ValueType.STRING),
            Map.entry("birthday", ValueType.DATE), Map.entry("created_at", ValueType.TIMESTAMP),
            Map.entry("first_seen", ValueType.TIMESTAMP), Map.entry("last_seen", ValueType.TIMESTAMP),
            Map.entry("last_interaction", ValueType.TIMESTAMP));

    private static final Map<ValueType, Set<AttributeOp>> OPS = Map.of(
            ValueType.STRING, EnumSet.of(AttributeOp.EQ, AttributeOp.NE, AttributeOp.IN, AttributeOp.NOT_IN,
                    AttributeOp.CONTAINS, AttributeOp.STARTS_WITH, AttributeOp.EXISTS, AttributeOp.NOT_EXISTS),
            ValueType.NUMBER, EnumSet.of(AttributeOp.EQ, AttributeOp.NE, AttributeOp.IN, AttributeOp.NOT_IN,
                    AttributeOp.GT, AttributeOp.GTE, AttributeOp.LT, AttributeOp.LTE, AttributeOp.BETWEEN,
                    AttributeOp.EXISTS, AttributeOp.NOT_EXISTS),
            ValueType.BOOLEAN, EnumSet.of(AttributeOp.EQ, AttributeOp.NE, AttributeOp.EXISTS, AttributeOp.NOT_EXISTS),
            ValueType.DATE, EnumSet.of(AttributeOp.EQ, AttributeOp.NE, AttributeOp.BEFORE, AttributeOp.AFTER,
                    AttributeOp.BETWEEN, AttributeOp.WITHIN_LAST_DAYS, AttributeOp.IN_NEXT_DAYS,
                    AttributeOp.ANNIVERSARY_IN_NEXT_DAYS, AttributeOp.EXISTS, AttributeOp.NOT_EXISTS),
            ValueType.TIMESTAMP, EnumSet.of(AttributeOp.BEFORE, AttributeOp.AFTER, AttributeOp.BETWEEN,
                    AttributeOp.WITHIN_LAST_DAYS, AttributeOp.IN_NEXT_DAYS, AttributeOp.EXISTS,
                    AttributeOp.NOT_EXISTS));

    private static final Set<String> RFM_SEGMENTS = Set.of("champions", "loyal", "potential_loyalist",
            "new_customers", "promising", "need_attention", "about_to_sleep", "at_risk", "cant_lose",
            "hibernating", "lost");
    /** The 8-class scheme as RfmScheme stores it: value 价值, develop 发展, keep 保持, retain 挽留. */
    private static final Set<String> VALUE_CLASSES = Set.of("important_value", "important_develop",
            "important_keep", "important_retain", "general_value", "general_develop", "general_keep",
            "general_retain");

    private final RuleCatalog catalog;
    private final ObjectMapper json;
    private final List<FieldProblem> problems = new ArrayList<>();
    private final Set<Long> segmentPath;
    private int nodes;

    private RuleParser(RuleCatalog catalog, ObjectMapper json, Set<Long> segmentPath) {
        this.catalog = catalog;
        this.json = json;
        this.segmentPath = segmentPath;
    }

    /**
     * Parses a document or bare rule; {@code self} is the id of the segment being saved (so a
     * reference to it is a cycle), or null.
     */
    static Rule parse(JsonNode node, String prefix, RuleCatalog catalog, ObjectMapper json, Long self) {
        Set<Long> path = new LinkedHashSet<>();
        if (self != null) {
            path.add(self);
        }
        RuleParser parser = new RuleParser(catalog, json, path);
        Rule rule = parser.document(node, prefix);
        if (!parser.problems.isEmpty()) {
            throw new SiyuException(HttpStatus.BAD_REQUEST, "invalid-rule", List.of(parser.problems.size()),
                    parser.problems, Map.of());
        }
        return rule;
    }

    private Rule document(JsonNode node, String prefix) {
        if (node == null || !node.isObject()) {
            problems.add(FieldProblem.of(prefix.isEmpty() ? "/" : prefix, "rule-not-object"));
            return null;
        }
        if (node.has("version") || node.has("rule")) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!e.getKey().equals("version") && !e.getKey().equals("rule")) {
                    problems.add(FieldProblem.of(prefix + "/" + e.getKey(), "unknown-field", e.getKey()));
                }
            }
            JsonNode version = node.get("version");
            if (version != null && !(version.isIntegralNumber() && version.asInt() == VERSION)) {
                problems.add(FieldProblem.of(prefix + "/version", "rule-version-unsupported", version.toString(), VERSION));
            }
            return rule(node.get("rule"), prefix + "/rule", 1);
        }
        return rule(node, prefix, 1);
    }

    private Rule rule(JsonNode node, String at, int depth) {
        if (node == null || !node.isObject()) {
            problems.add(FieldProblem.of(at, "rule-not-object"));
            return null;
        }
        if (depth > MAX_DEPTH) {
            problems.add(FieldProblem.of(at, "rule-too-deep", MAX_DEPTH));
            return null;
        }
        if (++nodes > MAX_NODES) {
            if (nodes == MAX_NODES + 1) {
                problems.add(FieldProblem.of(at, "rule-too-large", MAX_NODES));
            }
            return null;
        }
        String kind = null;
        for (String k : List.of("and", "or", "not", "attribute", "tags", "event", "purchase", "bought", "rfm",
                "channel", "layers", "segment", "bucket")) {
            if (node.has(k)) {
                if (kind != null) {
                    problems.add(FieldProblem.of(at, "rule-ambiguous", kind, k));
                    return null;
                }
                kind = k;
            }
        }
        if (kind == null) {
            problems.add(FieldProblem.of(at, "rule-kind-missing"));
            return null;
        }
        return switch (kind) {
            case "and", "or" -> junction(node, at, depth, kind);
            case "not" -> {
                allowed(node, at, "not");
                Rule inner = rule(node.get("not"), at + "/not", depth + 1);
                yield inner == null ? null : new Rule.Not(inner);
            }
            case "attribute" -> attribute(node, at);
            case "tags" -> tags(node, at);
            case "event" -> event(node, at);
            case "purchase" -> purchase(node, at);
            case "bought" -> bought(node, at);
            case "rfm" -> rfm(node, at);
            case "channel" -> channel(node, at);
            case "layers" -> layers(node, at);
            case "segment" -> segment(node, at);
            default -> bucket(node, at);
        };
    }

    private Rule junction(JsonNode node, String at, int depth, String kind) {
        allowed(node, at, kind);
        JsonNode list = node.get(kind);
        if (!list.isArray()) {
            problems.add(FieldProblem.of(at + "/" + kind, "rule-expected-array"));
            return null;
        }
        List<Rule> rules = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < list.size(); i++) {
            Rule r = rule(list.get(i), at + "/" + kind + "/" + i, depth + 1);
            ok &= r != null;
            rules.add(r);
        }
        if (!ok) {
            return null;
        }
        return kind.equals("and") ? new Rule.And(rules) : new Rule.Or(rules);
    }

    private Rule attribute(JsonNode node, String at) {
        allowed(node, at, "attribute", "op", "value", "values", "days");
        String field = text(node, at, "attribute", 64);
        AttributeOp op = enumValue(node, at, "op", AttributeOp.class);
        if (field == null || op == null) {
            return null;
        }
        ValueType type = BUILT_IN.get(field);
        boolean custom = false;
        if (type == null) {
            Optional<ValueType> t = catalog.customAttribute(field);
            if (t.isEmpty()) {
                problems.add(FieldProblem.of(at + "/attribute", "rule-unknown-field", field));
                return null;
            }
            type = t.get();
            custom = true;
        }
        if (!OPS.get(type).contains(op)) {
            problems.add(FieldProblem.of(at + "/op", "rule-op-not-for-type", lower(op), lower(type)));
            return null;
        }
        List<Object> values = new ArrayList<>();
        int days = 0;
        switch (op) {
            case EXISTS, NOT_EXISTS -> none(node, at, "value", "values", "days");
            case WITHIN_LAST_DAYS, IN_NEXT_DAYS, ANNIVERSARY_IN_NEXT_DAYS -> {
                none(node, at, "value", "values");
                days = days(node, at, "days", op == AttributeOp.ANNIVERSARY_IN_NEXT_DAYS ? 366 : MAX_DAYS);
            }
            case IN, NOT_IN -> {
                none(node, at, "value", "days");
                JsonNode list = node.get("values");
                if (list == null || !list.isArray() || list.isEmpty() || list.size() > MAX_LIST) {
                    problems.add(FieldProblem.of(at + "/values", "rule-expected-list", 1, MAX_LIST));
                    return null;
                }
                for (int i = 0; i < list.size(); i++) {
                    values.add(value(list.get(i), at + "/values/" + i, type));
                }
            }
            case BETWEEN -> {
                none(node, at, "value", "days");
                JsonNode list = node.get("values");
                if (list == null || !list.isArray() || list.size() != 2) {
                    problems.add(FieldProblem.of(at + "/values", "rule-expected-pair"));
                    return null;
                }
                Object low = value(list.get(0), at + "/values/0", type == ValueType.TIMESTAMP ? ValueType.DATE : type);
                Object high = value(list.get(1), at + "/values/1", type == ValueType.TIMESTAMP ? ValueType.DATE : type);
                if (low != null && high != null && compare(low, high) > 0) {
                    problems.add(FieldProblem.of(at + "/values", "rule-range-reversed"));
                }
                values.add(low);
                values.add(high);
            }
            default -> {
                none(node, at, "values", "days");
                ValueType operand = type == ValueType.TIMESTAMP ? ValueType.DATE : type;
                values.add(value(node.get("value"), at + "/value", operand));
            }
        }
        if (values.contains(null)) {
            return null;
        }
        return new Rule.Attribute(field, custom, type, op, values, days);
    }

    private Rule tags(JsonNode node, String at) {
        allowed(node, at, "tags", "op");
        TagOp op = enumValue(node, at, "op", TagOp.class);
        List<Long> ids = ids(node.get("tags"), at + "/tags");
        if (op == null || ids == null) {
            return null;
        }
        if (op == TagOp.HAS && ids.size() != 1) {
            problems.add(FieldProblem.of(at + "/tags", "rule-expected-one"));
            return null;
        }
        Set<Long> unknown = catalog.unknownTags(ids);
        for (int i = 0; i < ids.size(); i++) {
            if (unknown.contains(ids.get(i))) {
                problems.add(FieldProblem.of(at + "/tags/" + i, "rule-unknown-tag", ids.get(i)));
            }
        }
        return unknown.isEmpty() ? new Rule.Tags(op, ids) : null;
    }

    private Rule event(JsonNode node, String at) {
        allowed(node, at, "event", "op", "value", "within", "date", "where");
        String name = text(node, at, "event", 200);
        EventOp op = enumValue(node, at, "op", EventOp.class);
        List<Rule.PropertyFilter> where = where(node.get("where"), at + "/where", name);
        if (name == null || op == null || where == null) {
            return null;
        }
        long count = 0;
        LocalDate date = null;
        Window window = Window.ALL_TIME;
        switch (op) {
            case FIRST_BEFORE, FIRST_AFTER, LAST_BEFORE, LAST_AFTER -> {
                none(node, at, "value", "within");
                date = (LocalDate) value(node.get("date"), at + "/date", ValueType.DATE);
                if (date == null) {
                    return null;
                }
            }
            case PERFORMED, NOT_PERFORMED -> {
                none(node, at, "value", "date");
                window = window(node.get("within"), at + "/within");
            }
            default -> {
                none(node, at, "date");
                JsonNode v = node.get("value");
                if (v == null || !v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > 1_000_000_000L) {
                    problems.add(FieldProblem.of(at + "/value", "rule-expected-count"));
                    return null;
                }
                count = v.asLong();
                window = window(node.get("within"), at + "/within");
            }
        }
        return window == null ? null : new Rule.Event(name, op, count, window, date, where);
    }

    /** Property filters of an event condition: none when absent, null after a problem. */
    private List<Rule.PropertyFilter> where(JsonNode list, String at, String eventName) {
        if (list == null) {
            return List.of();
        }
        if (!list.isArray() || list.isEmpty() || list.size() > MAX_FILTERS) {
            problems.add(FieldProblem.of(at, "rule-expected-list", 1, MAX_FILTERS));
            return null;
        }
        if (Rule.Event.INTERACTION.equals(eventName)) {
            problems.add(FieldProblem.of(at, "rule-filter-needs-event", Rule.Event.INTERACTION));
            return null;
        }
        List<Rule.PropertyFilter> filters = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < list.size(); i++) {
            Rule.PropertyFilter f = filter(list.get(i), at + "/" + i);
            ok &= f != null;
            filters.add(f);
        }
        return ok ? filters : null;
    }

    private Rule.PropertyFilter filter(JsonNode node, String at) {
        if (node == null || !node.isObject()) {
            problems.add(FieldProblem.of(at, "rule-not-object"));
            return null;
        }
        allowed(node, at, "property", "op", "value", "values");
        String property = text(node, at, "property", 200);
        PropertyOp op = enumValue(node, at, "op", PropertyOp.class);
        if (property == null || op == null) {
            return null;
        }
        String[] keys = property.split("\\.", -1);
        for (String key : keys) {
            if (key.isEmpty() || key.chars().allMatch(Character::isDigit) || keys.length > 8) {
                problems.add(FieldProblem.of(at + "/property", "rule-invalid-property", property));
                return null;
            }
        }
        List<Object> values = new ArrayList<>();
        switch (op) {
            case EXISTS, NOT_EXISTS -> none(node, at, "value", "values");
            case IN, NOT_IN, BETWEEN -> {
                none(node, at, "value");
                JsonNode vs = node.get("values");
                boolean pair = op == PropertyOp.BETWEEN;
                if (vs == null || !vs.isArray() || (pair ? vs.size() != 2 : vs.isEmpty() || vs.size() > MAX_LIST)) {
                    problems.add(pair ? FieldProblem.of(at + "/values", "rule-expected-pair")
                            : FieldProblem.of(at + "/values", "rule-expected-list", 1, MAX_LIST));
                    return null;
                }
                for (int i = 0; i < vs.size(); i++) {
                    values.add(operand(vs.get(i), at + "/values/" + i, op,
                            values.isEmpty() || values.getFirst() == null ? null : values.getFirst().getClass()));
                }
                if (pair && !values.contains(null) && compare(values.get(0), values.get(1)) > 0) {
                    problems.add(FieldProblem.of(at + "/values", "rule-range-reversed"));
                    return null;
                }
            }
            default -> {
                none(node, at, "values");
                values.add(operand(node.get("value"), at + "/value", op, null));
            }
        }
        return values.contains(null) ? null : new Rule.PropertyFilter(property, op, values);
    }

    /**
     * A property filter's operand: a number for the ordering operators, a string for contains and
     * starts_with, otherwise a string, number or boolean (booleans only for eq and ne); in a list,
     * every value of the first one's type.
     */
    private Object operand(JsonNode v, String at, PropertyOp op, Class<?> listType) {
        if (v == null || v.isNull()) {
            problems.add(FieldProblem.of(at, "rule-value-missing"));
            return null;
        }
        String expected = switch (op) {
            case GT, GTE, LT, LTE, BETWEEN -> "number";
            case CONTAINS, STARTS_WITH -> "string";
            case EQ, NE -> "string, number, boolean";
            default -> "string, number";
        };
        Object value = v.isString() && v.asString().length() <= MAX_TEXT ? v.asString()
                : v.isNumber() ? v.decimalValue() : v.isBoolean() ? (Object) v.booleanValue() : null;
        String type = value instanceof String ? "string" : value instanceof BigDecimal ? "number"
                : value instanceof Boolean ? "boolean" : null;
        if (type == null || !expected.contains(type)) {
            problems.add(FieldProblem.of(at, "rule-expected-type", expected));
            return null;
        }
        if (listType != null && listType != value.getClass()) {
            problems.add(FieldProblem.of(at, "rule-expected-type", listType == String.class ? "string" : "number"));
            return null;
        }
        return value;
    }

    private Rule purchase(JsonNode node, String at) {
        allowed(node, at, "purchase", "op", "value", "within");
        PurchaseMetric metric = enumValue(node, at, "purchase", PurchaseMetric.class);
        Comparison op = enumValue(node, at, "op", Comparison.class);
        if (metric == null || op == null) {
            return null;
        }
        JsonNode v = node.get("value");
        if (v == null || !v.isNumber() || v.decimalValue().signum() < 0) {
            problems.add(FieldProblem.of(at + "/value", "rule-expected-non-negative"));
            return null;
        }
        BigDecimal value = v.decimalValue();
        boolean money = metric == PurchaseMetric.TOTAL_SPENT || metric == PurchaseMetric.AVERAGE_ORDER_VALUE;
        if (value.stripTrailingZeros().scale() > (money ? 2 : 0)) {
            problems.add(FieldProblem.of(at + "/value", money ? "rule-expected-money" : "rule-expected-count"));
            return null;
        }
        if (value.compareTo(BigDecimal.valueOf(1_000_000_000_000L)) > 0) {
            problems.add(FieldProblem.of(at + "/value", "rule-expected-non-negative"));
            return null;
        }
        Window window = Window.ALL_TIME;
        if (metric == PurchaseMetric.DAYS_SINCE_LAST_ORDER) {
            none(node, at, "within");
        } else {
            window = window(node.get("within"), at + "/within");
        }
        return window == null ? null : new Rule.Purchase(metric, op, money ? value : value.setScale(0), window);
    }

    private Rule bought(JsonNode node, String at) {
        allowed(node, at, "bought", "values", "within");
        ProductField field = enumValue(node, at, "bought", ProductField.class);
        List<String> values = strings(node.get("values"), at + "/values");
        Window window = window(node.get("within"), at + "/within");
        if (field == null || values == null || window == null) {
            return null;
        }
        return new Rule.Bought(field, values, window);
    }

    private Rule rfm(JsonNode node, String at) {
        allowed(node, at, "rfm", "op", "value", "values");
        RfmField field = enumValue(node, at, "rfm", RfmField.class);
        if (field == null) {
            return null;
        }
        if (field == RfmField.SEGMENT || field == RfmField.VALUE_CLASS) {
            none(node, at, "op", "value");
            List<String> values = strings(node.get("values"), at + "/values");
            if (values == null) {
                return null;
            }
            Set<String> known = field == RfmField.SEGMENT ? RFM_SEGMENTS : VALUE_CLASSES;
            boolean ok = true;
            for (int i = 0; i < values.size(); i++) {
                if (!known.contains(values.get(i))) {
                    problems.add(FieldProblem.of(at + "/values/" + i, "rule-unknown-value", values.get(i)));
                    ok = false;
                }
            }
            return ok ? new Rule.Rfm(field, values, Comparison.EQ, 0) : null;
        }
        none(node, at, "values");
        Comparison op = enumValue(node, at, "op", Comparison.class);
        JsonNode v = node.get("value");
        if (v == null || !v.isIntegralNumber() || v.asInt() < 1 || v.asInt() > 5) {
            problems.add(FieldProblem.of(at + "/value", "rule-expected-score"));
            return null;
        }
        return op == null ? null : new Rule.Rfm(field, List.of(), op, v.asInt());
    }

    private Rule channel(JsonNode node, String at) {
        String channel = text(node, at, "channel", 40);
        if (channel == null) {
            return null;
        }
        switch (channel) {
            case "wecom_friend" -> {
                allowed(node, at, "channel", "staff");
                if (!node.has("staff") || node.get("staff").isNull()) {
                    return new Rule.Reach(channel, null);
                }
                Long staff = id(node.get("staff"), at + "/staff");
                if (staff == null) {
                    return null;
                }
                if (!catalog.staffExists(staff)) {
                    problems.add(FieldProblem.of(at + "/staff", "rule-unknown-staff", staff));
                    return null;
                }
                return new Rule.Reach(channel, String.valueOf(staff));
            }
            case "wecom_group" -> {
                allowed(node, at, "channel", "group");
                if (!node.has("group") || node.get("group").isNull()) {
                    return new Rule.Reach(channel, null);
                }
                String group = text(node, at, "group", 64);
                if (group == null) {
                    return null;
                }
                if (!catalog.groupChatExists(group)) {
                    problems.add(FieldProblem.of(at + "/group", "rule-unknown-group-chat", group));
                    return null;
                }
                return new Rule.Reach(channel, group);
            }
            case "official_account" -> {
                allowed(node, at, "channel", "appId");
                if (!node.has("appId") || node.get("appId").isNull()) {
                    return new Rule.Reach(channel, null);
                }
                String appId = text(node, at, "appId", 64);
                return appId == null ? null : new Rule.Reach(channel, appId);
            }
            case "identity" -> {
                allowed(node, at, "channel", "identityType");
                String type = text(node, at, "identityType", 40);
                if (type == null) {
                    return null;
                }
                if (!catalog.identityTypeExists(type)) {
                    problems.add(FieldProblem.of(at + "/identityType", "rule-unknown-identity-type", type));
                    return null;
                }
                return new Rule.HasIdentity(type);
            }
            default -> {
                problems.add(FieldProblem.of(at + "/channel", "rule-unknown-value", channel));
                return null;
            }
        }
    }

    /** The key naming a channel condition's target in the rule language. */
    static String targetKey(String channel) {
        return switch (channel) {
            case "wecom_friend" -> "staff";
            case "wecom_group" -> "group";
            default -> "appId";
        };
    }

    private Rule layers(JsonNode node, String at) {
        allowed(node, at, "layers");
        List<Long> ids = ids(node.get("layers"), at + "/layers");
        if (ids == null) {
            return null;
        }
        Set<Long> unknown = catalog.unknownLayers(ids);
        for (int i = 0; i < ids.size(); i++) {
            if (unknown.contains(ids.get(i))) {
                problems.add(FieldProblem.of(at + "/layers/" + i, "rule-unknown-layer", ids.get(i)));
            }
        }
        return unknown.isEmpty() ? new Rule.Layer(ids) : null;
    }

    private Rule segment(JsonNode node, String at) {
        allowed(node, at, "segment");
        Long id = id(node.get("segment"), at + "/segment");
        if (id == null) {
            return null;
        }
        if (segmentPath.contains(id)) {
            problems.add(FieldProblem.of(at + "/segment", "rule-segment-cycle", id));
            return null;
        }
        Optional<RuleCatalog.StoredSegment> stored = catalog.segment(id);
        if (stored.isEmpty()) {
            problems.add(FieldProblem.of(at + "/segment", "rule-unknown-segment", id));
            return null;
        }
        if (stored.get().dynamic()) {
            if (segmentPath.size() >= MAX_SEGMENT_NESTING) {
                problems.add(FieldProblem.of(at + "/segment", "rule-segments-too-nested", MAX_SEGMENT_NESTING));
                return null;
            }
            // the referenced rule must itself be valid and must not lead back here
            Set<Long> path = new LinkedHashSet<>(segmentPath);
            path.add(id);
            RuleParser inner = new RuleParser(catalog, json, path);
            inner.document(json.readTree(stored.get().ruleJson()), "");
            if (!inner.problems.isEmpty()) {
                boolean cycle = inner.problems.stream().anyMatch(p -> p.code().equals("rule-segment-cycle"));
                problems.add(FieldProblem.of(at + "/segment", cycle ? "rule-segment-cycle" : "rule-segment-invalid", id));
                return null;
            }
        }
        return new Rule.InSegment(id);
    }

    private Rule bucket(JsonNode node, String at) {
        allowed(node, at, "bucket");
        JsonNode b = node.get("bucket");
        if (b == null || !b.isArray() || b.size() != 2 || !b.get(0).isIntegralNumber() || !b.get(1).isIntegralNumber()
                || b.get(0).asInt() < 0 || b.get(1).asInt() > 99 || b.get(0).asInt() > b.get(1).asInt()) {
            problems.add(FieldProblem.of(at + "/bucket", "rule-expected-bucket"));
            return null;
        }
        return new Rule.Bucket(b.get(0).asInt(), b.get(1).asInt());
    }

    // ---- pieces

    private Window window(JsonNode node, String at) {
        if (node == null || node.isNull()) {
            return Window.ALL_TIME;
        }
        if (!node.isObject()) {
            problems.add(FieldProblem.of(at, "rule-expected-window"));
            return null;
        }
        allowed(node, at, "lastDays", "from", "to");
        if (node.has("lastDays")) {
            none(node, at, "from", "to");
            int days = days(node, at, "lastDays", MAX_DAYS);
            return days <= 0 ? null : new Window(days, null, null);
        }
        LocalDate from = (LocalDate) value(node.get("from"), at + "/from", ValueType.DATE);
        LocalDate to = (LocalDate) value(node.get("to"), at + "/to", ValueType.DATE);
        if (from == null || to == null) {
            return null;
        }
        if (from.isAfter(to)) {
            problems.add(FieldProblem.of(at, "rule-range-reversed"));
            return null;
        }
        return new Window(null, from, to);
    }

    private int days(JsonNode node, String at, String field, int max) {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber() || v.asInt() < 1 || v.asInt() > max) {
            problems.add(FieldProblem.of(at + "/" + field, "rule-expected-days", max));
            return 0;
        }
        return v.asInt();
    }

    private Object value(JsonNode v, String at, ValueType type) {
        if (v == null || v.isNull()) {
            problems.add(FieldProblem.of(at, "rule-value-missing"));
            return null;
        }
        switch (type) {
            case STRING -> {
                if (!v.isString() || v.asString().length() > MAX_TEXT) {
                    problems.add(FieldProblem.of(at, "rule-expected-type", "string"));
                    return null;
                }
                return v.asString();
            }
            case NUMBER -> {
                if (!v.isNumber()) {
                    problems.add(FieldProblem.of(at, "rule-expected-type", "number"));
                    return null;
                }
                return v.decimalValue();
            }
            case BOOLEAN -> {
                if (!v.isBoolean()) {
                    problems.add(FieldProblem.of(at, "rule-expected-type", "boolean"));
                    return null;
                }
                return v.booleanValue();
            }
            default -> {
                try {
                    if (v.isString()) {
                        return LocalDate.parse(v.asString());
                    }
                } catch (DateTimeParseException e) {
                    // reported below
                }
                problems.add(FieldProblem.of(at, "rule-expected-type", "date (YYYY-MM-DD)"));
                return null;
            }
        }
    }

    private List<Long> ids(JsonNode list, String at) {
        if (list == null || !list.isArray() || list.isEmpty() || list.size() > MAX_LIST) {
            problems.add(FieldProblem.of(at, "rule-expected-list", 1, MAX_LIST));
            return null;
        }
        List<Long> ids = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            Long id = id(list.get(i), at + "/" + i);
            if (id == null) {
                return null;
            }
            if (seen.add(id)) {
                ids.add(id);
            }
        }
        return ids;
    }

    private Long id(JsonNode v, String at) {
        if (v != null && (v.isString() || v.isIntegralNumber())) {
            String s = v.isString() ? v.asString() : v.asString();
            try {
                long id = Long.parseLong(s.trim());
                if (id > 0) {
                    return id;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        problems.add(FieldProblem.of(at, "rule-expected-id"));
        return null;
    }

    private List<String> strings(JsonNode list, String at) {
        if (list == null || !list.isArray() || list.isEmpty() || list.size() > MAX_LIST) {
            problems.add(FieldProblem.of(at, "rule-expected-list", 1, MAX_LIST));
            return null;
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Object s = value(list.get(i), at + "/" + i, ValueType.STRING);
            if (s == null) {
                return null;
            }
            values.add((String) s);
        }
        return values;
    }

    private String text(JsonNode node, String at, String field, int max) {
        JsonNode v = node.get(field);
        if (v == null || !v.isString() || v.asString().isBlank() || v.asString().length() > max) {
            problems.add(FieldProblem.of(at + "/" + field, "rule-expected-type", "string"));
            return null;
        }
        return v.asString();
    }

    private <E extends Enum<E>> E enumValue(JsonNode node, String at, String field, Class<E> type) {
        JsonNode v = node.get(field);
        if (v != null && v.isString()) {
            try {
                return Enum.valueOf(type, v.asString().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                // reported below
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(lower(e));
        }
        problems.add(FieldProblem.of(at + "/" + field, "rule-expected-one-of", String.join(", ", names)));
        return null;
    }

    private void allowed(JsonNode node, String at, String... fields) {
        Set<String> ok = Set.of(fields);
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!ok.contains(e.getKey())) {
                problems.add(FieldProblem.of(at + "/" + e.getKey(), "unknown-field", e.getKey()));
            }
        }
    }

    private void none(JsonNode node, String at, String... fields) {
        for (String f : fields) {
            if (node.has(f)) {
                problems.add(FieldProblem.of(at + "/" + f, "rule-field-not-for-op", f));
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compare(Object a, Object b) {
        return ((Comparable) a).compareTo(b);
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    static <T> Function<T, String> lowerName() {
        return t -> lower((Enum<?>) t);
    }
}
