package io.siyu.security.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code siyu.security.login-limit.*}: how many failed logins are tolerated per user name and per
 * client address within {@code window} before further attempts are refused with 429, and how many
 * names and addresses are tracked at most (the least recently seen are forgotten first).
 */
@ConfigurationProperties("siyu.security.login-limit")
record LoginLimitProperties(
        @DefaultValue("5") int perUsername,
        @DefaultValue("20") int perIp,
        @DefaultValue("5m") Duration window,
        @DefaultValue("100000") int maxTracked) {

    LoginLimitProperties {
        if (perUsername < 1 || perIp < 1 || window.isNegative() || window.isZero() || maxTracked < 1) {
            throw new IllegalArgumentException("siyu.security.login-limit: limits and window must be positive");
        }
    }
}
