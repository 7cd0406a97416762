package io.siyu.segment.internal;

import io.siyu.segment.Rule;
import io.siyu.segment.Rule.PropertyFilter;
import java.math.BigDecimal;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads event properties (the JSON text stored with each event) for property filters. The static
 * {@code type/text/number/bool} functions are the SQL functions {@code siyu_json_*} on H2 (migration
 * V13_0; PostgreSQL defines the same functions over {@code jsonb}); {@link #matches} is the bitmap
 * engine's own reading of the same filters. A path walks object keys only (arrays are not indexed).
 */
public final class JsonProperties {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    /** The last document parsed on this thread: one row's filters read it several times. */
    private static final ThreadLocal<Object[]> LAST = new ThreadLocal<>();

    private JsonProperties() {
    }

    /**
     * The parsed document, or null when it is missing or not JSON. A document with an escaped NUL character
     * (backslash-u0000) counts as unreadable, as PostgreSQL's {@code jsonb} cannot hold it.
     */
    static JsonNode parse(String doc) {
        if (doc == null || doc.contains("\\u0000")) {
            return null;
        }
        Object[] last = LAST.get();
        if (last != null && (last[0] == doc || last[0].equals(doc))) {
            return (JsonNode) last[1];
        }
        JsonNode node;
        try {
            node = JSON.readTree(doc);
        } catch (JacksonException e) {
            node = null;
        }
        LAST.set(new Object[] {doc, node});
        return node;
    }

    /** The value at {@code path}, or null when it is missing or JSON null. */
    static JsonNode at(JsonNode root, List<String> path) {
        JsonNode node = root;
        for (String key : path) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(key);
        }
        return node == null || node.isNull() ? null : node;
    }

    private static JsonNode at(String doc, String path) {
        return at(parse(doc), List.of(path.split("\\.", -1)));
    }

    /** SQL {@code siyu_json_type(doc, path)}: object, array, string, number or boolean; null when absent. */
    public static String type(String doc, String path) {
        JsonNode n = at(doc, path);
        if (n == null) {
            return null;
        }
        if (n.isObject()) {
            return "object";
        }
        if (n.isArray()) {
            return "array";
        }
        if (n.isString()) {
            return "string";
        }
        if (n.isNumber()) {
            return "number";
        }
        return n.isBoolean() ? "boolean" : null;
    }

    /** SQL {@code siyu_json_text(doc, path)}: the value when it is a string, else null. */
    public static String text(String doc, String path) {
        JsonNode n = at(doc, path);
        return n != null && n.isString() ? n.stringValue() : null;
    }

    /** SQL {@code siyu_json_number(doc, path)}: the value when it is a number, else null. */
    public static BigDecimal number(String doc, String path) {
        JsonNode n = at(doc, path);
        return n != null && n.isNumber() ? n.decimalValue() : null;
    }

    /** SQL {@code siyu_json_bool(doc, path)}: the value when it is a boolean, else null. */
    public static Boolean bool(String doc, String path) {
        JsonNode n = at(doc, path);
        return n != null && n.isBoolean() ? n.booleanValue() : null;
    }

    /** Whether an event's properties satisfy every filter. */
    static boolean matches(JsonNode properties, List<PropertyFilter> filters) {
        for (PropertyFilter f : filters) {
            if (!matches(properties, f)) {
                return false;
            }
        }
        return true;
    }

    static boolean matches(JsonNode properties, PropertyFilter f) {
        JsonNode n = at(properties, f.path());
        if (f.op() == Rule.PropertyOp.EXISTS) {
            return n != null;
        }
        if (f.op() == Rule.PropertyOp.NOT_EXISTS) {
            return n == null;
        }
        if (n == null) {
            return false;
        }
        Object first = f.values().getFirst();
        Object value;
        if (first instanceof String) {
            if (!n.isString()) {
                return false;
            }
            value = n.stringValue();
        } else if (first instanceof BigDecimal) {
            if (!n.isNumber()) {
                return false;
            }
            value = n.decimalValue();
        } else {
            if (!n.isBoolean()) {
                return false;
            }
            value = n.booleanValue();
        }
        return switch (f.op()) {
            case EQ -> same(value, first);
            case NE -> !same(value, first);
            case IN -> f.values().stream().anyMatch(v -> same(value, v));
            case NOT_IN -> f.values().stream().noneMatch(v -> same(value, v));
            case CONTAINS -> ((String) value).contains((String) first);
            case STARTS_WITH -> ((String) value).startsWith((String) first);
            case GT -> ((BigDecimal) value).compareTo((BigDecimal) first) > 0;
            case GTE -> ((BigDecimal) value).compareTo((BigDecimal) first) >= 0;
            case LT -> ((BigDecimal) value).compareTo((BigDecimal) first) < 0;
            case LTE -> ((BigDecimal) value).compareTo((BigDecimal) first) <= 0;
            case BETWEEN -> ((BigDecimal) value).compareTo((BigDecimal) first) >= 0
                    && ((BigDecimal) value).compareTo((BigDecimal) f.values().get(1)) <= 0;
            default -> throw new IllegalStateException(f.op().name());
        };
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return a.equals(b);
    }
}
