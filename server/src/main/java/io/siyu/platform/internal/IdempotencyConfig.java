package io.siyu.platform.internal;

import io.siyu.platform.ProblemRenderer;
import jakarta.servlet.DispatcherType;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/** Registers the {@link IdempotencyFilter} for the management API. */
@Configuration(proxyBeanMethods = false)
class IdempotencyConfig {

    /**
     * After Spring Security's chain, because records are kept per authenticated actor; on async
     * dispatches too, because a handler that answers asynchronously finishes there.
     */
    @Bean
    FilterRegistrationBean<IdempotencyFilter> idempotencyFilter(IdempotencyLedger ledger, ProblemRenderer problems,
            @Value("${siyu.api.max-body-size:1MB}") DataSize maxBody) {
        FilterRegistrationBean<IdempotencyFilter> registration =
                new FilterRegistrationBean<>(new IdempotencyFilter(ledger, problems, maxBody.toBytes()));
        registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 10);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
        registration.addUrlPatterns("/api/*");
        return registration;
    }
}
