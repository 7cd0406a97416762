package io.siyu.customer.internal;

import io.siyu.customer.IdentityType;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Identity types and resolution rules from configuration ({@code siyu.identity.*}); the defaults
 * live in application.yml, so a deployment adds a type or changes a limit without code.
 */
@ConfigurationProperties("siyu.identity")
record IdentitySettings(
        @DefaultValue("CN") String defaultRegion,
        @DefaultValue List<String> junkValues,
        @DefaultValue Map<String, TypeSettings> types) {

    record TypeSettings(
            @DefaultValue("0") int maxPerCustomer,
            @DefaultValue("50") int priority,
            @DefaultValue("false") boolean pii,
            @DefaultValue("false") boolean perApp,
            @DefaultValue("TEXT") IdentityType.Format format) {
    }
}
