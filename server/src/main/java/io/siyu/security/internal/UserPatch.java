package io.siyu.security.internal;

import io.siyu.platform.FieldProblem;
import io.siyu.security.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Reads a JSON merge patch (RFC 7396) of a console user into {@link UserChange}s. Only
 * {@code role}, {@code displayName}, {@code enabled} and {@code password} may change; only
 * {@code displayName} may be cleared with {@code null}. Every offending member is reported.
 */
final class UserPatch {

    private UserPatch() {
    }

    static List<UserChange> parse(JsonNode patch) {
        Checks checks = new Checks();
        List<UserChange> changes = new ArrayList<>();
        if (patch == null || !patch.isObject()) {
            checks.add(FieldProblem.of("/", "invalid-type"));
            checks.throwIfAny();
        }
        for (Map.Entry<String, JsonNode> member : patch.properties()) {
            String pointer = "/" + member.getKey();
            JsonNode value = member.getValue();
            switch (member.getKey()) {
                case "role" -> {
                    if (value.isNull() || value.isString()) {
                        Role role = checks.role(pointer, value.isNull() ? null : value.stringValue());
                        if (role != null) {
                            changes.add(new UserChange.SetRole(role));
                        }
                    } else {
                        checks.add(FieldProblem.of(pointer, "invalid-type"));
                    }
                }
                case "displayName" -> {
                    if (value.isNull()) {
                        changes.add(new UserChange.SetDisplayName(null));
                    } else if (value.isString()) {
                        changes.add(new UserChange.SetDisplayName(
                                checks.optionalText(pointer, value.stringValue(), UserService.MAX_DISPLAY_NAME)));
                    } else {
                        checks.add(FieldProblem.of(pointer, "invalid-type"));
                    }
                }
                case "enabled" -> {
                    if (value.isBoolean()) {
                        changes.add(new UserChange.SetEnabled(value.booleanValue()));
                    } else if (value.isNull()) {
                        checks.add(FieldProblem.of(pointer, "field-required", member.getKey()));
                    } else {
                        checks.add(FieldProblem.of(pointer, "invalid-type"));
                    }
                }
                case "password" -> {
                    if (value.isNull() || value.isString()) {
                        String password = checks.password(pointer, value.isNull() ? null : value.stringValue());
                        changes.add(new UserChange.SetPassword(password));
                    } else {
                        checks.add(FieldProblem.of(pointer, "invalid-type"));
                    }
                }
                case "id", "username", "createdAt", "updatedAt" ->
                        checks.add(FieldProblem.of(pointer, "field-read-only", member.getKey()));
                default -> checks.add(FieldProblem.of(pointer, "unknown-field", member.getKey()));
            }
        }
        checks.throwIfAny();
        return List.copyOf(changes);
    }
}
