package io.siyu.customer;

import java.time.LocalDate;
import java.util.Map;

/**
 * Profile facts that arrive with an identification (a form, a channel callback, a tracking call).
 * Null fields leave the profile as it is; attributes must be defined in the attribute schema.
 */
public record CustomerTraits(String displayName, String nickname, String realName, String gender, LocalDate birthday,
        String province, String city, String avatarUrl, String source, Map<String, Object> attributes) {

    public static final CustomerTraits NONE = new CustomerTraits(null, null, null, null, null, null, null, null, null, Map.of());

    public CustomerTraits {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}
