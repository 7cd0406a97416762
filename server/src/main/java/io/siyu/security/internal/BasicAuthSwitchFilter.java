package io.siyu.security.internal;

import io.siyu.platform.ProblemRenderer;
import io.siyu.platform.SiyuException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * When an administrator has turned HTTP Basic off, answers password logins over Basic (the
 * management API and everything else but the tracking API) with 401 {@code basic-auth-disabled}
 * before any password is checked. Bearer tokens and console sessions are not affected.
 */
final class BasicAuthSwitchFilter extends OncePerRequestFilter {

    private static final String BASIC = "Basic ";
    /** Tracking clients send their write key as the Basic user name; that is not a password login. */
    private static final String TRACKING_API = "/v1/";

    private final SecuritySettings settings;
    private final ProblemRenderer problems;

    BasicAuthSwitchFilter(SecuritySettings settings, ProblemRenderer problems) {
        this.settings = settings;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        return header == null || !header.regionMatches(true, 0, BASIC, 0, BASIC.length())
                || request.getRequestURI().startsWith(TRACKING_API);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (settings.basicAuthEnabled()) {
            chain.doFilter(request, response);
            return;
        }
        problems.write(request, response, SiyuException.of(HttpStatus.UNAUTHORIZED, "basic-auth-disabled"));
    }
}
