package io.siyu.customer.internal;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.siyu.compliance.Masking;
import io.siyu.compliance.PiiCipher;
import io.siyu.customer.IdentityInput;
import io.siyu.customer.IdentityType;
import io.siyu.customer.Resolution;
import io.siyu.platform.FieldProblem;
import io.siyu.platform.SiyuException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Validates and normalises incoming identities: phones to E.164 (libphonenumber), e-mails to lower
 * case, junk values dropped, duplicates folded. All problems of a request are reported together.
 */
@Component
class IdentityNormaliser {

    private static final int MAX_LENGTH = 200;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern APP_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private final IdentityTypes types;
    private final PiiCipher cipher;
    private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();

    IdentityNormaliser(IdentityTypes types, PiiCipher cipher) {
        this.types = types;
        this.cipher = cipher;
    }

    /** Normalised identities (deduplicated) and the junk ones dropped; throws 400 listing every bad one. */
    Normalised normalise(List<IdentityInput> inputs, String pointerPrefix) {
        Map<String, NormalisedIdentity> out = new LinkedHashMap<>();
        List<Resolution.Ignored> ignored = new ArrayList<>();
        List<FieldProblem> problems = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            IdentityInput in = inputs.get(i);
            String pointer = pointerPrefix + "/" + i;
            if (in == null) {
                problems.add(FieldProblem.of(pointer, "missing-identity-field", "type"));
                continue;
            }
            try {
                normaliseOne(in, pointer).ifPresentOrElse(
                        n -> out.putIfAbsent(n.type().name() + "|" + n.appId() + "|" + n.lookupKey(), n),
                        () -> ignored.add(new Resolution.Ignored(in.type(), "junk-value")));
            } catch (SiyuException e) {
                problems.addAll(e.errors());
            }
        }
        if (!problems.isEmpty()) {
            throw SiyuException.invalid(problems);
        }
        return new Normalised(List.copyOf(out.values()), ignored);
    }

    record Normalised(List<NormalisedIdentity> identities, List<Resolution.Ignored> ignored) {
    }

    /** One identity; empty when its value is junk. */
    java.util.Optional<NormalisedIdentity> normaliseOne(IdentityInput in, String pointer) {
        if (in.type() == null || in.type().isBlank()) {
            throw SiyuException.invalid(List.of(FieldProblem.of(pointer + "/type", "missing-identity-field", "type")));
        }
        IdentityType type = types.find(in.type()).orElseThrow(() -> SiyuException.invalid(List.of(
                FieldProblem.of(pointer + "/type", "unknown-identity-type", in.type()))));
        String appId = in.appId();
        if (type.perApp() && appId.isEmpty()) {
            throw SiyuException.invalid(List.of(FieldProblem.of(pointer + "/appId", "app-id-required", type.name())));
        }
        if (!type.perApp() && !appId.isEmpty()) {
            throw SiyuException.invalid(List.of(FieldProblem.of(pointer + "/appId", "app-id-not-allowed", type.name())));
        }
        if (!appId.isEmpty() && !APP_ID.matcher(appId).matches()) {
            throw SiyuException.invalid(List.of(FieldProblem.of(pointer + "/appId", "invalid-app-id", appId)));
        }
        if (types.isJunk(in.value())) {
            return java.util.Optional.empty();
        }
        String raw = in.value().trim();
        if (raw.length() > MAX_LENGTH) {
            throw SiyuException.invalid(List.of(FieldProblem.of(pointer + "/value", "identity-too-long", MAX_LENGTH)));
        }
        String value = switch (type.format()) {
            case PHONE -> phone(raw, pointer);
            case EMAIL -> email(raw, pointer);
            case TEXT -> raw;
        };
        String lookupKey = type.pii() ? cipher.blindIndex(type.name(), value) : value;
        return java.util.Optional.of(new NormalisedIdentity(type, appId, value, lookupKey));
    }

    /** A phone number in E.164, or a 400 {@code invalid-phone}. */
    String phone(String raw, String pointer) {
        try {
            PhoneNumber number = phones.parse(raw, types.defaultRegion());
            if (!phones.isValidNumber(number)) {
                throw invalidPhone(raw, pointer);
            }
            return phones.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            throw invalidPhone(raw, pointer);
        }
    }

    private static SiyuException invalidPhone(String raw, String pointer) {
        // the rejected number is echoed masked: error bodies end up in logs
        return SiyuException.invalid(List.of(FieldProblem.of(pointer + "/value", "invalid-phone", Masking.identifier(raw))));
    }

    private static String email(String raw, String pointer) {
        String value = raw.toLowerCase(Locale.ROOT);
        if (!EMAIL.matcher(value).matches()) {
            throw SiyuException.invalid(List.of(FieldProblem.of(pointer + "/value", "invalid-email", Masking.email(value))));
        }
        return value;
    }

    String mask(NormalisedIdentity identity) {
        return mask(identity.type(), identity.value());
    }

    static String mask(IdentityType type, String value) {
        return switch (type.format()) {
            case PHONE -> Masking.phone(value);
            case EMAIL -> Masking.email(value);
            case TEXT -> type.pii() ? Masking.identifier(value) : value;
        };
    }
}
