package io.siyu.customer.internal;

import io.siyu.customer.IdentityInput;
import io.siyu.platform.FieldProblem;
import io.siyu.platform.SiyuException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Reading JSON request bodies field by field, so every problem comes back with its pointer. */
final class RequestBodies {

    private static final Set<String> IDENTITY_FIELDS = Set.of("type", "value", "appId");

    private RequestBodies() {
    }

    static JsonNode object(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw SiyuException.badRequest("expected-json-object");
        }
        return body;
    }

    static List<IdentityInput> identities(JsonNode node, String pointer, boolean required) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            if (required) {
                throw SiyuException.invalid(List.of(FieldProblem.of(pointer, "missing-field", pointer.substring(1))));
            }
            return List.of();
        }
        if (!node.isArray()) {
            throw SiyuException.invalid(List.of(FieldProblem.of(pointer, "invalid-type")));
        }
        if (node.size() > 50) {
            throw SiyuException.invalid(List.of(FieldProblem.of(pointer, "too-many-identities", 50)));
        }
        List<IdentityInput> out = new ArrayList<>();
        List<FieldProblem> problems = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String at = pointer + "/" + i;
            if (!item.isObject()) {
                problems.add(FieldProblem.of(at, "invalid-type"));
                continue;
            }
            for (Map.Entry<String, JsonNode> e : item.properties()) {
                if (!IDENTITY_FIELDS.contains(e.getKey())) {
                    problems.add(FieldProblem.of(at + "/" + e.getKey(), "unknown-field", e.getKey()));
                }
            }
            out.add(new IdentityInput(text(item, "type", at, problems), text(item, "value", at, problems),
                    text(item, "appId", at, problems)));
        }
        if (!problems.isEmpty()) {
            throw SiyuException.invalid(problems);
        }
        return out;
    }

    static String text(JsonNode parent, String field, String at, List<FieldProblem> problems) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isString()) {
            return v.asString();
        }
        if (v.isIntegralNumber()) {
            return v.asString();
        }
        problems.add(FieldProblem.of(at + "/" + field, "invalid-type"));
        return null;
    }

    static String optionalText(JsonNode body, String field, int maxLength) {
        List<FieldProblem> problems = new ArrayList<>();
        String value = text(body, field, "", problems);
        if (value != null && value.length() > maxLength) {
            problems.add(FieldProblem.of("/" + field, "field-too-long", field, maxLength));
        }
        if (!problems.isEmpty()) {
            throw SiyuException.invalid(problems);
        }
        return value;
    }
}
