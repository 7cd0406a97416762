package io.siyu.customer.internal;

import io.siyu.platform.FieldProblem;
import io.siyu.platform.SiyuException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Checks custom attribute values against the admin's schema and converts them to typed values.
 * A write naming an undefined attribute or carrying the wrong type is refused as a whole.
 */
@Component
class AttributeSchema {

    static final int MAX_STRING = 2000;
    private static final BigDecimal MAX_NUMBER = new BigDecimal("1e28");

    private final AttributeStore store;

    AttributeSchema(AttributeStore store) {
        this.store = store;
    }

    /** A change to one attribute: a new value, or removal ({@code value == null}). */
    record Change(String name, Object value) {
    }

    /** Validates an {@code attributes} object from a request body; JSON null removes an attribute. */
    List<Change> changes(JsonNode attributes, String pointer) {
        if (attributes == null || attributes.isNull()) {
            return List.of();
        }
        if (!attributes.isObject()) {
            throw SiyuException.invalid(List.of(FieldProblem.of(pointer, "invalid-type")));
        }
        if (attributes.isEmpty()) {
            return List.of();
        }
        Map<String, AttributeDefinition> defs = store.definitions().stream()
                .collect(Collectors.toMap(AttributeDefinition::name, Function.identity()));
        List<Change> changes = new ArrayList<>();
        List<FieldProblem> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : attributes.properties()) {
            String at = pointer + "/" + e.getKey();
            AttributeDefinition def = defs.get(e.getKey());
            if (def == null) {
                problems.add(FieldProblem.of(at, "unknown-attribute", e.getKey()));
                continue;
            }
            if (e.getValue().isNull()) {
                changes.add(new Change(def.name(), null));
                continue;
            }
            try {
                changes.add(new Change(def.name(), fromJson(def, e.getValue(), at)));
            } catch (SiyuException ex) {
                problems.addAll(ex.errors());
            }
        }
        if (!problems.isEmpty()) {
            throw SiyuException.invalid(problems);
        }
        return changes;
    }

    static Object fromJson(AttributeDefinition def, JsonNode node, String at) {
        return switch (def.dataType()) {
            case STRING -> {
                if (!node.isString()) {
                    throw wrongType(def, at);
                }
                String s = node.asString();
                if (s.length() > MAX_STRING) {
                    throw SiyuException.invalid(List.of(FieldProblem.of(at, "attribute-too-long", def.name(), MAX_STRING)));
                }
                yield s;
            }
            case NUMBER -> {
                if (!node.isNumber()) {
                    throw wrongType(def, at);
                }
                yield number(def, node.decimalValue(), at);
            }
            case BOOLEAN -> {
                if (!node.isBoolean()) {
                    throw wrongType(def, at);
                }
                yield node.booleanValue();
            }
            case DATE -> {
                if (!node.isString()) {
                    throw wrongType(def, at);
                }
                yield date(def, node.asString(), at);
            }
        };
    }

    /** A typed value from a query parameter such as {@code attr.level=3}. */
    static Object fromText(AttributeDefinition def, String text, String at) {
        return switch (def.dataType()) {
            case STRING -> text;
            case NUMBER -> {
                try {
                    yield number(def, new BigDecimal(text), at);
                } catch (NumberFormatException e) {
                    throw wrongType(def, at);
                }
            }
            case BOOLEAN -> switch (text) {
                case "true" -> true;
                case "false" -> false;
                default -> throw wrongType(def, at);
            };
            case DATE -> date(def, text, at);
        };
    }

    private static BigDecimal number(AttributeDefinition def, BigDecimal n, String at) {
        if (n.abs().compareTo(MAX_NUMBER) >= 0) {
            throw SiyuException.invalid(List.of(FieldProblem.of(at, "attribute-out-of-range", def.name())));
        }
        return n;
    }

    private static LocalDate date(AttributeDefinition def, String text, String at) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw wrongType(def, at);
        }
    }

    private static SiyuException wrongType(AttributeDefinition def, String at) {
        return SiyuException.invalid(List.of(FieldProblem.of(at, "invalid-attribute-type", def.name(), def.dataType().id())));
    }

    void apply(long customerId, List<Change> changes, OffsetDateTime now) {
        for (Change c : changes) {
            if (c.value() == null) {
                store.remove(customerId, c.name());
            } else {
                store.put(customerId, new AttributeValue(c.name(), c.value(), now));
            }
        }
    }
}
