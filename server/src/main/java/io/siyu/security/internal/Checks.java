package io.siyu.security.internal;

import io.siyu.platform.FieldProblem;
import io.siyu.platform.SiyuException;
import io.siyu.security.Role;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Collects every problem of one request body, so the caller learns about all of them at once;
 * {@link #throwIfAny()} turns them into one 400.
 */
final class Checks {

    static final int MIN_PASSWORD = 10;
    /** bcrypt ignores (and Spring Security refuses) what lies beyond 72 bytes. */
    static final int MAX_PASSWORD_BYTES = 72;

    private static final String ROLE_IDS = String.join(", ", Arrays.stream(Role.values()).map(Role::id).toList());

    private final List<FieldProblem> problems = new ArrayList<>();

    /** A required, non-blank text of at most {@code max} characters; returns it trimmed. */
    String text(String pointer, String value, int max) {
        if (value == null || value.isBlank()) {
            problems.add(FieldProblem.of(pointer, "field-required", pointer.substring(1)));
            return null;
        }
        return optionalText(pointer, value, max);
    }

    /** An optional text of at most {@code max} characters; blank becomes absent. */
    String optionalText(String pointer, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.strip();
        if (trimmed.length() > max) {
            problems.add(FieldProblem.of(pointer, "field-too-long", pointer.substring(1), max));
        }
        return trimmed;
    }

    Role role(String pointer, String value) {
        if (value == null || value.isBlank()) {
            problems.add(FieldProblem.of(pointer, "field-required", pointer.substring(1)));
            return null;
        }
        Optional<Role> role = Role.fromId(value);
        if (role.isEmpty()) {
            problems.add(FieldProblem.of(pointer, "unknown-role", value, ROLE_IDS));
        }
        return role.orElse(null);
    }

    /** A console password: at least {@link #MIN_PASSWORD} characters, at most what bcrypt reads. */
    String password(String pointer, String value) {
        if (value == null || value.isEmpty()) {
            problems.add(FieldProblem.of(pointer, "field-required", pointer.substring(1)));
        } else if (value.codePointCount(0, value.length()) < MIN_PASSWORD) {
            problems.add(FieldProblem.of(pointer, "password-too-short", MIN_PASSWORD));
        } else if (value.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            problems.add(FieldProblem.of(pointer, "password-too-long", MAX_PASSWORD_BYTES));
        }
        return value;
    }

    void add(FieldProblem problem) {
        problems.add(problem);
    }

    void throwIfAny() {
        if (!problems.isEmpty()) {
            throw SiyuException.invalid(problems);
        }
    }
}
