package io.siyu.customer.internal;

import io.siyu.customer.IdentityType;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** The configured identity types and the blocklist of junk values. */
@Component
class IdentityTypes {

    private static final Pattern TYPE_NAME = Pattern.compile("[a-z][a-z0-9_]{1,39}");
    private static final Pattern ALL_ZEROS = Pattern.compile("[0\\-\\s]+");

    private final Map<String, IdentityType> types;
    private final Set<String> junk;
    private final String defaultRegion;

    IdentityTypes(IdentitySettings settings) {
        Map<String, IdentityType> byName = new LinkedHashMap<>();
        settings.types().forEach((name, s) -> {
            if (!TYPE_NAME.matcher(name).matches()) {
                throw new IllegalStateException("siyu.identity.types: invalid type name '" + name
                        + "' (lower case letters, digits and _; 2 to 40 characters)");
            }
            byName.put(name, new IdentityType(name, s.maxPerCustomer(), s.priority(), s.pii(), s.perApp(), s.format()));
        });
        if (byName.isEmpty()) {
            throw new IllegalStateException("siyu.identity.types is empty: at least one identity type is needed");
        }
        this.types = Map.copyOf(byName);
        this.junk = settings.junkValues().stream().map(v -> v.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        this.defaultRegion = settings.defaultRegion();
    }

    Optional<IdentityType> find(String name) {
        return Optional.ofNullable(name == null ? null : types.get(name));
    }

    Collection<IdentityType> all() {
        return types.values().stream().sorted(Comparator.comparing(IdentityType::priority).reversed()
                .thenComparing(IdentityType::name)).toList();
    }

    /** Values that say "no identity" rather than name one: never linked, never merged on. */
    boolean isJunk(String value) {
        if (value == null) {
            return true;
        }
        String v = value.trim();
        return v.isEmpty() || junk.contains(v.toLowerCase(Locale.ROOT)) || ALL_ZEROS.matcher(v).matches();
    }

    String defaultRegion() {
        return defaultRegion;
    }
}
