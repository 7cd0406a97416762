package io.siyu.security.internal;

import io.siyu.platform.ProblemRenderer;
import io.siyu.platform.SiyuException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;

/** Who may reach what: everything under /api/ needs an authenticated caller. */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class SecurityConfig {

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    AuthenticationEntryPoint problemEntryPoint(ProblemRenderer problems) {
        return (request, response, e) -> problems.write(request, response,
                SiyuException.of(HttpStatus.UNAUTHORIZED, "unauthenticated"));
    }

    @Bean
    AccessDeniedHandler problemAccessDenied(ProblemRenderer problems) {
        return (request, response, e) -> problems.write(request, response, SiyuException.forbidden("forbidden"));
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, AuthenticationEntryPoint entryPoint, AccessDeniedHandler denied)
            throws Exception {
        http.authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health/**", "/actuator/health", "/actuator/info",
                                "/actuator/prometheus").permitAll()
                        .requestMatchers("/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html", "/docs/**",
                                "/login", "/error").permitAll()
                        .requestMatchers("/api/**").authenticated()
                        .anyRequest().authenticated())
                .httpBasic(basic -> basic.authenticationEntryPoint(entryPoint))
                .formLogin(form -> form.permitAll())
                .csrf(csrf -> csrf.ignoringRequestMatchers(
                        request -> request.getHeader("Authorization") != null))
                .exceptionHandling(ex -> ex
                        .defaultAuthenticationEntryPointFor(entryPoint, request -> request.getRequestURI().startsWith("/api/"))
                        .accessDeniedHandler(denied));
        return http.build();
    }
}
