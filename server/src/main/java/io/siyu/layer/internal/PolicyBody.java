package io.siyu.layer.internal;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.siyu.layer.ContactPolicy;
import io.siyu.layer.ContactPolicy.Channel;
import io.siyu.layer.ContactPolicy.HourWindow;
import io.siyu.platform.FieldProblem;
import io.siyu.platform.SiyuException;
import io.siyu.segment.Rule;
import io.siyu.segment.SegmentRules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads and validates a layering policy document, collecting every problem with its JSON pointer:
 * rule problems come from the segment language's parser with pointers into the layer's rule, and a
 * rule may not depend on layers (directly, or through a segment), since layers are what it decides.
 */
@Component
class PolicyBody {

    static final int MAX_LAYERS = 20;
    static final String DEFAULT_COLOUR = "#1677FF";
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]{0,49}");
    private static final Pattern COLOUR = Pattern.compile("#[0-9A-Fa-f]{6}");
    private static final Pattern HOURS = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d-(([01]\\d|2[0-3]):[0-5]\\d|24:00)");
    private static final Set<String> POLICY_FIELDS = Set.of("name", "description", "active", "priority", "layers",
            "defaultLayer");
    private static final Set<String> LAYER_FIELDS = Set.of("id", "key", "name", "nameEn", "description", "colour",
            "rule", "contactPolicy", "benefits");
    private static final Set<String> CONTACT_FIELDS = Set.of("maxPerDay", "maxPerWeek", "maxPerMonth",
            "preferredChannels", "allowedHours");

    /** The safe default: few touches, WeCom first, the seeds' best send windows. */
    static final ContactPolicy DEFAULT_CONTACT = new ContactPolicy(1, 2, 4, List.of(Channel.WECOM),
            List.of(PolicyStore.window("07:00-09:00"), PolicyStore.window("20:00-22:00")));

    /** What a valid document says; layer ids are 0 for layers the caller did not name by id. */
    record Draft(String name, String description, boolean active, int priority, List<PolicyStore.LayerRow> layers) {
    }

    private final SegmentRules rules;
    private final DSLContext db;
    private final ObjectMapper json;

    PolicyBody(SegmentRules rules, DSLContext db, ObjectMapper json) {
        this.rules = rules;
        this.db = db;
        this.json = json;
    }

    Draft read(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw SiyuException.badRequest("expected-json-object");
        }
        List<FieldProblem> problems = new ArrayList<>();
        List<FieldProblem> ruleProblems = new ArrayList<>();
        unknown(node, "", POLICY_FIELDS, problems);
        String name = text(node, "", "name", 100, true, problems);
        String description = text(node, "", "description", 1000, false, problems);
        boolean active = bool(node, "active", true, problems);
        int priority = integer(node, "", "priority", 0, 10_000, 100, problems);
        List<PolicyStore.LayerRow> layers = new ArrayList<>();
        JsonNode list = node.get("layers");
        if (list == null || list.isNull()) {
            list = json.createArrayNode();
        }
        if (!list.isArray() || list.size() > MAX_LAYERS) {
            problems.add(FieldProblem.of("/layers", "layer-list-invalid", MAX_LAYERS));
        } else {
            for (int i = 0; i < list.size(); i++) {
                layers.add(layer(list.get(i), "/layers/" + i, false, problems, ruleProblems));
            }
        }
        JsonNode defaultLayer = node.get("defaultLayer");
        if (defaultLayer == null || defaultLayer.isNull()) {
            problems.add(FieldProblem.of("/defaultLayer", "missing-field", "defaultLayer"));
        } else {
            layers.add(layer(defaultLayer, "/defaultLayer", true, problems, ruleProblems));
        }
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < layers.size(); i++) {
            PolicyStore.LayerRow l = layers.get(i);
            if (l != null && !l.key().isEmpty() && !keys.add(l.key())) {
                String at = i == layers.size() - 1 && defaultLayer != null ? "/defaultLayer" : "/layers/" + i;
                problems.add(FieldProblem.of(at + "/key", "layer-key-duplicate", l.key()));
            }
        }
        if (!ruleProblems.isEmpty()) {
            // one 400 invalid-rule, like the segment API, with the other problems alongside
            List<FieldProblem> all = new ArrayList<>(ruleProblems);
            all.addAll(problems);
            throw new SiyuException(HttpStatus.BAD_REQUEST, "invalid-rule", List.of(all.size()), all, Map.of());
        }
        if (!problems.isEmpty()) {
            throw SiyuException.invalid(problems);
        }
        return new Draft(name, description, active, priority, layers);
    }

    private PolicyStore.LayerRow layer(JsonNode node, String at, boolean isDefault, List<FieldProblem> problems,
            List<FieldProblem> ruleProblems) {
        if (node == null || !node.isObject()) {
            problems.add(FieldProblem.of(at, "invalid-type"));
            return null;
        }
        unknown(node, at, LAYER_FIELDS, problems);
        long id = 0;
        JsonNode idNode = node.get("id");
        if (idNode != null && !idNode.isNull()) {
            try {
                id = Long.parseLong(idNode.asString());
            } catch (NumberFormatException e) {
                problems.add(FieldProblem.of(at + "/id", "invalid-type"));
            }
        }
        String key = text(node, at, "key", 50, true, problems);
        if (!key.isEmpty() && !KEY.matcher(key).matches()) {
            problems.add(FieldProblem.of(at + "/key", "layer-key-invalid", key));
        }
        String name = text(node, at, "name", 50, true, problems);
        String nameEn = text(node, at, "nameEn", 50, false, problems);
        String description = text(node, at, "description", 500, false, problems);
        String colour = text(node, at, "colour", 7, false, problems);
        if (colour == null) {
            colour = DEFAULT_COLOUR;
        } else if (!COLOUR.matcher(colour).matches()) {
            problems.add(FieldProblem.of(at + "/colour", "invalid-colour", colour));
        }
        String ruleJson = null;
        JsonNode rule = node.get("rule");
        if (isDefault) {
            if (rule != null && !rule.isNull()) {
                problems.add(FieldProblem.of(at + "/rule", "layer-default-has-rule"));
            }
        } else if (rule == null || rule.isNull()) {
            problems.add(FieldProblem.of(at + "/rule", "missing-field", "rule"));
        } else {
            List<FieldProblem> layered = new ArrayList<>();
            refersToLayers(rule, at + "/rule", layered, 0);
            if (!layered.isEmpty()) {
                ruleProblems.addAll(layered);
            } else {
                try {
                    Rule parsed = rules.parse(rule, at + "/rule");
                    ruleJson = json.writeValueAsString(rules.toJson(parsed));
                } catch (SiyuException e) {
                    ruleProblems.addAll(e.errors().isEmpty() ? List.of(FieldProblem.of(at + "/rule", e.code()))
                            : e.errors());
                }
            }
        }
        ContactPolicy contact = contact(node.get("contactPolicy"), at + "/contactPolicy", problems);
        List<String> benefits = benefits(node.get("benefits"), at + "/benefits", problems);
        return new PolicyStore.LayerRow(id, key, name, nameEn, description, colour, isDefault, ruleJson, contact,
                benefits);
    }

    /**
     * Reports every {@code layers} node of a rule, and every segment whose rule has one: a layer's
     * rule deciding on layers would make the outcome depend on evaluation order.
     */
    private void refersToLayers(JsonNode node, String at, List<FieldProblem> problems, int depth) {
        if (node == null || !node.isObject() || depth > 20) {
            return;
        }
        if (node.has("rule") && !node.has("layers")) {
            refersToLayers(node.get("rule"), at + "/rule", problems, depth + 1);
            return;
        }
        if (node.has("layers")) {
            problems.add(FieldProblem.of(at + "/layers", "layer-rule-refers-to-layers"));
        }
        for (String junction : List.of("and", "or")) {
            JsonNode list = node.get(junction);
            if (list != null && list.isArray()) {
                for (int i = 0; i < list.size(); i++) {
                    refersToLayers(list.get(i), at + "/" + junction + "/" + i, problems, depth + 1);
                }
            }
        }
        if (node.has("not")) {
            refersToLayers(node.get("not"), at + "/not", problems, depth + 1);
        }
        JsonNode segment = node.get("segment");
        if (segment != null && (segment.isString() || segment.isIntegralNumber())) {
            segmentRule(segment.asString()).ifPresent(stored -> {
                List<FieldProblem> inner = new ArrayList<>();
                refersToLayers(json.readTree(stored), "", inner, depth + 1);
                if (!inner.isEmpty()) {
                    problems.add(FieldProblem.of(at + "/segment", "layer-rule-refers-to-layers"));
                }
            });
        }
    }

    /** The stored rule of a dynamic segment (read by name: the segment module offers no such call yet). */
    private Optional<String> segmentRule(String id) {
        try {
            long segmentId = Long.parseLong(id.trim());
            return db.select(field(name("rule_json"), String.class)).from(table(name("segment")))
                    .where(field(name("id"), Long.class).eq(segmentId))
                    .and(field(name("kind"), String.class).eq("dynamic")).fetchOptional(0, String.class);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private ContactPolicy contact(JsonNode node, String at, List<FieldProblem> problems) {
        if (node == null || node.isNull()) {
            return DEFAULT_CONTACT;
        }
        if (!node.isObject()) {
            problems.add(FieldProblem.of(at, "invalid-type"));
            return DEFAULT_CONTACT;
        }
        unknown(node, at, CONTACT_FIELDS, problems);
        int day = integer(node, at, "maxPerDay", 0, 100, DEFAULT_CONTACT.maxPerDay(), problems);
        int week = integer(node, at, "maxPerWeek", 0, 700, DEFAULT_CONTACT.maxPerWeek(), problems);
        int month = integer(node, at, "maxPerMonth", 0, 3100, DEFAULT_CONTACT.maxPerMonth(), problems);
        if (day > week || week > month) {
            problems.add(FieldProblem.of(at, "contact-caps-inconsistent", day, week, month));
        }
        List<Channel> channels = new ArrayList<>();
        JsonNode list = node.get("preferredChannels");
        if (list == null || list.isNull()) {
            channels.addAll(DEFAULT_CONTACT.preferredChannels());
        } else if (!list.isArray()) {
            problems.add(FieldProblem.of(at + "/preferredChannels", "invalid-type"));
        } else {
            for (int i = 0; i < list.size(); i++) {
                JsonNode c = list.get(i);
                Channel channel = null;
                if (c.isString()) {
                    try {
                        channel = Channel.valueOf(c.asString().toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        // reported below
                    }
                }
                if (channel == null) {
                    problems.add(FieldProblem.of(at + "/preferredChannels/" + i, "contact-channel-unknown",
                            c.asString()));
                } else if (!channels.contains(channel)) {
                    channels.add(channel);
                }
            }
        }
        List<HourWindow> hours = new ArrayList<>();
        JsonNode windows = node.get("allowedHours");
        if (windows == null || windows.isNull()) {
            hours.addAll(DEFAULT_CONTACT.allowedHours());
        } else if (!windows.isArray() || windows.size() > 12) {
            problems.add(FieldProblem.of(at + "/allowedHours", "invalid-type"));
        } else {
            for (int i = 0; i < windows.size(); i++) {
                JsonNode w = windows.get(i);
                String text = w.isString() ? w.asString().trim() : "";
                HourWindow window = HOURS.matcher(text).matches() ? PolicyStore.window(text) : null;
                if (window == null || !window.from().isBefore(window.to())) {
                    problems.add(FieldProblem.of(at + "/allowedHours/" + i, "contact-hours-invalid", w.asString()));
                } else {
                    hours.add(window);
                }
            }
        }
        return new ContactPolicy(day, week, month, channels, hours);
    }

    private static List<String> benefits(JsonNode node, String at, List<FieldProblem> problems) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > 20) {
            problems.add(FieldProblem.of(at, "layer-benefits-invalid", 20, 200));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode b = node.get(i);
            if (!b.isString() || b.asString().isBlank() || b.asString().length() > 200) {
                problems.add(FieldProblem.of(at + "/" + i, "layer-benefits-invalid", 20, 200));
            } else {
                out.add(b.asString().trim());
            }
        }
        return out;
    }

    private static void unknown(JsonNode node, String at, Set<String> allowed, List<FieldProblem> problems) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!allowed.contains(e.getKey())) {
                problems.add(FieldProblem.of(at + "/" + e.getKey(), "unknown-field", e.getKey()));
            }
        }
    }

    private static String text(JsonNode node, String at, String field, int max, boolean required,
            List<FieldProblem> problems) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || (v.isString() && v.asString().isBlank())) {
            if (required) {
                problems.add(FieldProblem.of(at + "/" + field, "missing-field", field));
                return "";
            }
            return null;
        }
        if (!v.isString()) {
            problems.add(FieldProblem.of(at + "/" + field, "invalid-type"));
            return required ? "" : null;
        }
        String s = v.asString().trim();
        if (s.length() > max) {
            problems.add(FieldProblem.of(at + "/" + field, "field-too-long", field, max));
        }
        return s;
    }

    private static int integer(JsonNode node, String at, String field, int min, int max, int fallback,
            List<FieldProblem> problems) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            problems.add(FieldProblem.of(at + "/" + field, "invalid-range", field, min, max));
            return fallback;
        }
        return v.asInt();
    }

    private static boolean bool(JsonNode node, String field, boolean fallback, List<FieldProblem> problems) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            problems.add(FieldProblem.of("/" + field, "invalid-type"));
            return fallback;
        }
        return v.booleanValue();
    }
}
