package io.siyu.bench;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.siyu.compliance.PiiCipher;
import io.siyu.customer.IdentityInput;
import io.siyu.customer.IdentityType;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns an identity as a channel sends it into the customer_identity row the application would
 * store, following the configured identity types: phones to E.164 (libphonenumber, the configured
 * default region), e-mails lower-cased, other values trimmed; for PII types the lookup key is the
 * application's blind index and the value is kept only encrypted, both from its {@link PiiCipher}.
 * The benchmark proves the rows match by looking loaded people up through the application.
 */
final class IdentityEncoder {

    private final Map<String, IdentityType> types;
    private final PiiCipher cipher;
    private final String defaultRegion;
    private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();

    IdentityEncoder(List<IdentityType> types, PiiCipher cipher, String defaultRegion) {
        this.types = types.stream().collect(Collectors.toUnmodifiableMap(IdentityType::name, Function.identity()));
        this.cipher = cipher;
        this.defaultRegion = defaultRegion;
    }

    IdentityRow encode(long customerId, IdentityInput in, OffsetDateTime createdAt) {
        IdentityType type = types.get(in.type());
        if (type == null) {
            throw new IllegalArgumentException("identity type not configured: " + in.type());
        }
        String raw = in.value().trim();
        String value = switch (type.format()) {
            case PHONE -> e164(raw);
            case EMAIL -> raw.toLowerCase(Locale.ROOT);
            case TEXT -> raw;
        };
        return type.pii()
                ? new IdentityRow(customerId, type.name(), in.appId(), cipher.blindIndex(type.name(), value), null,
                        cipher.encrypt(value), createdAt)
                : new IdentityRow(customerId, type.name(), in.appId(), value, value, null, createdAt);
    }

    private String e164(String raw) {
        try {
            PhoneNumber number = phones.parse(raw, defaultRegion);
            if (!phones.isValidNumber(number)) {
                throw new IllegalArgumentException("invalid phone in the demo data: " + raw);
            }
            return phones.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            throw new IllegalArgumentException("invalid phone in the demo data: " + raw, e);
        }
    }
}
