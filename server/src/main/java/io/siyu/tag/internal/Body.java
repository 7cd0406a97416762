package io.siyu.tag.internal;

import io.siyu.platform.FieldProblem;
import io.siyu.platform.SiyuException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Field-by-field reading of a JSON request body, collecting every problem with its pointer. */
final class Body {

    private final JsonNode node;
    private final List<FieldProblem> problems = new ArrayList<>();

    private Body(JsonNode node) {
        this.node = node;
    }

    static Body of(JsonNode node, Set<String> allowed) {
        if (node == null || !node.isObject()) {
            throw SiyuException.badRequest("expected-json-object");
        }
        Body body = new Body(node);
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!allowed.contains(e.getKey())) {
                body.problems.add(FieldProblem.of("/" + e.getKey(), "unknown-field", e.getKey()));
            }
        }
        return body;
    }

    boolean has(String field) {
        return node.has(field);
    }

    Optional<String> text(String field, int maxLength) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isString()) {
            problems.add(FieldProblem.of("/" + field, "invalid-type"));
            return Optional.empty();
        }
        String s = v.asString().trim();
        if (s.length() > maxLength) {
            problems.add(FieldProblem.of("/" + field, "field-too-long", field, maxLength));
        }
        return Optional.of(s);
    }

    String required(String field, int maxLength) {
        Optional<String> v = text(field, maxLength);
        if (v.isEmpty() || v.get().isEmpty()) {
            if (!node.has(field) || node.get(field).isNull() || v.isPresent()) {
                problems.add(FieldProblem.of("/" + field, "missing-field", field));
            }
            return "";
        }
        return v.get();
    }

    Optional<Integer> integer(String field, int min, int max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            problems.add(FieldProblem.of("/" + field, "invalid-range", field, min, max));
            return Optional.empty();
        }
        return Optional.of(v.asInt());
    }

    Optional<Boolean> bool(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isBoolean()) {
            problems.add(FieldProblem.of("/" + field, "invalid-type"));
            return Optional.empty();
        }
        return Optional.of(v.booleanValue());
    }

    Optional<OffsetDateTime> time(String field) {
        return text(field, 40).flatMap(s -> {
            try {
                return Optional.of(OffsetDateTime.parse(s));
            } catch (DateTimeParseException e) {
                problems.add(FieldProblem.of("/" + field, "invalid-value", s));
                return Optional.empty();
            }
        });
    }

    /** A required array of id strings (or integers), at most {@code max}. */
    List<Long> ids(String field, int max) {
        JsonNode v = node.get(field);
        if (v == null || !v.isArray() || v.isEmpty()) {
            problems.add(FieldProblem.of("/" + field, "missing-field", field));
            return List.of();
        }
        if (v.size() > max) {
            problems.add(FieldProblem.of("/" + field, "too-many-items", field, max));
            return List.of();
        }
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            try {
                ids.add(item.isIntegralNumber() ? item.asLong() : Long.parseLong(item.asString()));
            } catch (NumberFormatException e) {
                problems.add(FieldProblem.of("/" + field + "/" + i, "invalid-value", item.toString()));
            }
        }
        return ids;
    }

    long id(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            problems.add(FieldProblem.of("/" + field, "missing-field", field));
            return -1;
        }
        try {
            return v.isIntegralNumber() ? v.asLong() : Long.parseLong(v.asString());
        } catch (NumberFormatException e) {
            problems.add(FieldProblem.of("/" + field, "invalid-value", v.toString()));
            return -1;
        }
    }

    void problem(FieldProblem p) {
        problems.add(p);
    }

    /** Throws a 400 listing every problem found so far. */
    void check() {
        if (!problems.isEmpty()) {
            throw SiyuException.invalid(problems);
        }
    }
}
