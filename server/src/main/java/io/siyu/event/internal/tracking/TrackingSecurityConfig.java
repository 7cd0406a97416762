package io.siyu.event.internal.tracking;

import io.siyu.platform.BrandClock;
import io.siyu.platform.ProblemRenderer;
import io.siyu.security.WriteKeys;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * The tracking API's own security: write keys only, no sessions, no CSRF (no browser sends a write
 * key by itself: it is presented explicitly with every call). Ordered before the management API's
 * chain, which would otherwise claim {@code /v1/} as well.
 */
@Configuration(proxyBeanMethods = false)
class TrackingSecurityConfig {

    @Bean
    @Order(1)
    SecurityFilterChain tracking(HttpSecurity http, WriteKeys writeKeys, ProblemRenderer problems, ObjectMapper json,
            BrandClock clock, TrackingMetrics metrics, WriteKeyRateLimiter limiter) throws Exception {
        http.securityMatcher("/v1/**")
                .authorizeHttpRequests(auth -> auth.anyRequest().hasAuthority(TrackingAuthenticationFilter.AUTHORITY))
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .addFilterBefore(new TrackingAuthenticationFilter(writeKeys, problems, json, clock, metrics, limiter),
                        AnonymousAuthenticationFilter.class)
                .exceptionHandling(ex -> ex
                        .authenticationEntryPoint((request, response, e) -> problems.write(request, response,
                                TrackingAuthenticationFilter.unauthenticated()))
                        .accessDeniedHandler((request, response, e) -> problems.write(request, response,
                                TrackingAuthenticationFilter.unauthenticated())));
        return http.build();
    }
}
