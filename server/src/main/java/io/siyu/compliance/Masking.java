package io.siyu.compliance;

/**
 * How personal data is shown to callers without {@code pii:read}: enough to recognise, not enough
 * to use ({@code 138****5678}, {@code z***@example.com}, {@code 张*}).
 */
public final class Masking {

    private Masking() {
    }

    /** A phone in E.164; Chinese mobiles are shown in national form, {@code 138****5678}. */
    public static String phone(String e164) {
        if (e164 == null || e164.isEmpty()) {
            return e164;
        }
        String digits = e164.startsWith("+86") ? e164.substring(3) : e164;
        if (digits.length() < 7) {
            return "*".repeat(digits.length());
        }
        int keepHead = digits.startsWith("+") ? Math.min(5, digits.length() - 4) : 3;
        return digits.substring(0, keepHead) + "*".repeat(digits.length() - keepHead - 4)
                + digits.substring(digits.length() - 4);
    }

    public static String email(String email) {
        if (email == null || email.isEmpty()) {
            return email;
        }
        int at = email.indexOf('@');
        if (at <= 0) {
            return "***";
        }
        return email.charAt(0) + "***" + email.substring(at);
    }

    /** A personal name: the first character kept, the rest masked ({@code 张*}, {@code 欧**}). */
    public static String name(String name) {
        if (name == null || name.isEmpty()) {
            return name;
        }
        int first = name.offsetByCodePoints(0, 1);
        int rest = name.codePointCount(first, name.length());
        return name.substring(0, first) + "*".repeat(Math.max(1, rest));
    }

    /** Any other identifier: first and last two characters kept. */
    public static String identifier(String value) {
        if (value == null || value.length() <= 4) {
            return value == null ? null : "*".repeat(value.length());
        }
        return value.substring(0, 2) + "*".repeat(Math.min(8, value.length() - 4)) + value.substring(value.length() - 2);
    }
}
