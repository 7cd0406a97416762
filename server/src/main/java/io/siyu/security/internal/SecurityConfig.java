package io.siyu.security.internal;

import io.siyu.platform.ProblemRenderer;
import io.siyu.platform.SiyuException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.csrf.CsrfFilter;

/**
 * Who may reach what: everything under /api/ needs an authenticated caller — a console session
 * (form login, CSRF-protected), an API token ({@code Bearer}) or HTTP Basic while it is enabled.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class SecurityConfig {

    /**
     * No observation around the security filters, authentication or authorization. Their observations
     * are switched off in application.yml as well ({@code management.observations.enable.spring.security}),
     * but that only made them no-ops: every filter of every call was still wrapped, which cost the
     * tracking API about as much as parsing its JSON. HTTP server metrics ({@code http.server.requests})
     * are not affected.
     */
    @Bean
    static SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /** Failed logins become events, which {@link LoginThrottle} counts. */
    @Bean
    AuthenticationEventPublisher authenticationEventPublisher(ApplicationEventPublisher events) {
        return new DefaultAuthenticationEventPublisher(events);
    }

    @Bean
    AuthenticationEntryPoint problemEntryPoint(ProblemRenderer problems) {
        return (request, response, e) -> problems.write(request, response,
                SiyuException.of(HttpStatus.UNAUTHORIZED, "unauthenticated"));
    }

    @Bean
    AccessDeniedHandler problemAccessDenied(ProblemRenderer problems) {
        return (request, response, e) -> problems.write(request, response, denial(e));
    }

    /**
     * The CSRF check runs before authentication, so a caller without any credentials would hear
     * about CSRF; it is told to authenticate instead.
     */
    private static SiyuException denial(AccessDeniedException e) {
        if (!(e instanceof CsrfException)) {
            return SiyuException.forbidden("forbidden");
        }
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        return caller == null || !caller.isAuthenticated() || caller instanceof AnonymousAuthenticationToken
                ? SiyuException.of(HttpStatus.UNAUTHORIZED, "unauthenticated")
                : SiyuException.forbidden("invalid-csrf-token");
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, AuthenticationEntryPoint entryPoint, AccessDeniedHandler denied,
            ProblemRenderer problems, SecuritySettings settings, LoginThrottle throttle, ApiTokenService tokens)
            throws Exception {
        http.authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health/**", "/actuator/health", "/actuator/info",
                                "/actuator/prometheus").permitAll()
                        .requestMatchers("/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html", "/docs/**",
                                "/login", "/error").permitAll()
                        // callbacks from WeCom and WeChat: authenticated by their signature, checked by the handler
                        .requestMatchers("/hooks/**").permitAll()
                        .requestMatchers("/api/**").authenticated()
                        .anyRequest().authenticated())
                .httpBasic(basic -> basic.authenticationEntryPoint(entryPoint))
                .formLogin(form -> form.permitAll())
                // The console reads the token from the XSRF-TOKEN cookie and sends it back as X-XSRF-TOKEN.
                // Requests carrying their own credentials are not open to CSRF: a browser does not add them.
                .csrf(csrf -> csrf.spa().ignoringRequestMatchers(SecurityConfig::carriesCredentials)
                        .ignoringRequestMatchers("/hooks/**"))
                .addFilterBefore(new BasicAuthSwitchFilter(settings, problems), CsrfFilter.class)
                .addFilterBefore(new LoginThrottleFilter(throttle, problems), UsernamePasswordAuthenticationFilter.class)
                .addFilterBefore(new BearerTokenFilter(tokens, problems), BasicAuthenticationFilter.class)
                .exceptionHandling(ex -> ex
                        .defaultAuthenticationEntryPointFor(entryPoint, request -> request.getRequestURI().startsWith("/api/"))
                        .accessDeniedHandler(denied));
        return http.build();
    }

    private static boolean carriesCredentials(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        return header != null && (header.regionMatches(true, 0, "Basic ", 0, 6)
                || header.regionMatches(true, 0, "Bearer ", 0, 7));
    }
}
