package io.siyu.customer.internal;

import io.siyu.compliance.PiiCipher;
import io.siyu.customer.CustomerTraits;
import io.siyu.platform.FieldProblem;
import io.siyu.platform.SiyuException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The standard profile fields: which exist, their limits, and how a write (a merge patch, or the
 * traits of an identification) changes a profile. A key mapped to null clears that field.
 */
final class ProfileFields {

    static final Set<String> GENDERS = Set.of("male", "female", "unknown");
    private static final Map<String, Integer> TEXT_LIMITS = Map.of(
            "displayName", 200, "nickname", 200, "realName", 100, "province", 64, "city", 64,
            "avatarUrl", 1000, "source", 64);
    static final Set<String> FIELDS = Set.of("displayName", "nickname", "realName", "gender", "birthday", "province",
            "city", "avatarUrl", "source");
    private static final Pattern SOURCE = Pattern.compile("[a-z0-9_.:-]{1,64}");

    private ProfileFields() {
    }

    /** The profile fields of a JSON object; other known keys are skipped, unknown keys refused. */
    static Map<String, Object> fromJson(JsonNode body, Set<String> otherAllowed, LocalDate today) {
        Map<String, Object> changes = new LinkedHashMap<>();
        List<FieldProblem> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : body.properties()) {
            String key = e.getKey();
            JsonNode v = e.getValue();
            if (otherAllowed.contains(key)) {
                continue;
            }
            if (!FIELDS.contains(key)) {
                problems.add(FieldProblem.of("/" + key, "unknown-field", key));
                continue;
            }
            if (v.isNull()) {
                changes.put(key, null);
            } else if (!v.isString()) {
                problems.add(FieldProblem.of("/" + key, "invalid-type"));
            } else {
                changes.put(key, v.asString());
            }
        }
        problems.addAll(check(changes, today));
        if (!problems.isEmpty()) {
            throw SiyuException.invalid(problems);
        }
        changes.computeIfPresent("birthday", (k, v) -> LocalDate.parse((String) v));
        return changes;
    }

    static Map<String, Object> fromTraits(CustomerTraits t, LocalDate today) {
        Map<String, Object> changes = new LinkedHashMap<>();
        putIfSet(changes, "displayName", t.displayName());
        putIfSet(changes, "nickname", t.nickname());
        putIfSet(changes, "realName", t.realName());
        putIfSet(changes, "gender", t.gender());
        putIfSet(changes, "province", t.province());
        putIfSet(changes, "city", t.city());
        putIfSet(changes, "avatarUrl", t.avatarUrl());
        putIfSet(changes, "source", t.source());
        if (t.birthday() != null) {
            changes.put("birthday", t.birthday().toString());
        }
        List<FieldProblem> problems = check(changes, today);
        if (!problems.isEmpty()) {
            throw SiyuException.invalid(problems);
        }
        changes.computeIfPresent("birthday", (k, v) -> LocalDate.parse((String) v));
        return changes;
    }

    private static void putIfSet(Map<String, Object> changes, String key, String value) {
        if (value != null && !value.isBlank()) {
            changes.put(key, value.trim());
        }
    }

    private static List<FieldProblem> check(Map<String, Object> changes, LocalDate today) {
        List<FieldProblem> problems = new ArrayList<>();
        changes.forEach((key, v) -> {
            if (!(v instanceof String s)) {
                return;
            }
            Integer limit = TEXT_LIMITS.get(key);
            if (limit != null && s.length() > limit) {
                problems.add(FieldProblem.of("/" + key, "field-too-long", key, limit));
            }
            switch (key) {
                case "gender" -> {
                    if (!GENDERS.contains(s)) {
                        problems.add(FieldProblem.of("/gender", "invalid-gender", s));
                    }
                }
                case "birthday" -> {
                    try {
                        LocalDate d = LocalDate.parse(s);
                        if (d.isAfter(today) || d.isBefore(LocalDate.of(1900, 1, 1))) {
                            problems.add(FieldProblem.of("/birthday", "invalid-birthday", s));
                        }
                    } catch (DateTimeParseException e) {
                        problems.add(FieldProblem.of("/birthday", "invalid-birthday", s));
                    }
                }
                case "avatarUrl" -> {
                    if (!s.startsWith("https://") && !s.startsWith("http://")) {
                        problems.add(FieldProblem.of("/avatarUrl", "invalid-url", key));
                    }
                }
                case "source" -> {
                    if (!SOURCE.matcher(s).matches()) {
                        problems.add(FieldProblem.of("/source", "invalid-source", s));
                    }
                }
                default -> {
                }
            }
        });
        return problems;
    }

    /** The profile after applying {@code changes}; realName is sealed with the cipher. */
    static Applied apply(CustomerRow row, Map<String, Object> changes, PiiCipher cipher) {
        CustomerRow.Profile p = row.profile();
        CustomerRow.Profile next = new CustomerRow.Profile(
                (String) changes.getOrDefault("displayName", p.displayName()),
                (String) changes.getOrDefault("nickname", p.nickname()),
                (String) changes.getOrDefault("gender", p.gender()),
                (LocalDate) changes.getOrDefault("birthday", p.birthday()),
                (String) changes.getOrDefault("province", p.province()),
                (String) changes.getOrDefault("city", p.city()),
                (String) changes.getOrDefault("avatarUrl", p.avatarUrl()));
        String realNameEnc = row.realNameEnc();
        if (changes.containsKey("realName")) {
            String realName = (String) changes.get("realName");
            realNameEnc = realName == null ? null : cipher.encrypt(realName);
        }
        String source = changes.containsKey("source") ? (String) changes.get("source") : row.source();
        return new Applied(next, realNameEnc, source);
    }

    record Applied(CustomerRow.Profile profile, String realNameEnc, String source) {
    }
}
