package io.siyu.security.internal;

import io.siyu.platform.ProblemRenderer;
import io.siyu.platform.SiyuException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses password logins (form login and HTTP Basic) with 429 {@code too-many-login-attempts}
 * and {@code Retry-After} while the user name or the client address has too many recent failures,
 * before the password is looked at.
 */
final class LoginThrottleFilter extends OncePerRequestFilter {

    static final String LOGIN_PATH = "/login";
    private static final String BASIC = "Basic ";

    private final LoginThrottle throttle;
    private final ProblemRenderer problems;

    LoginThrottleFilter(LoginThrottle throttle, ProblemRenderer problems) {
        this.throttle = throttle;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> username = attemptedUsername(request);
        if (username.isPresent()) {
            Optional<Duration> wait = throttle.blockedFor(username.get(), request.getRemoteAddr());
            if (wait.isPresent()) {
                long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
                problems.write(request, response, SiyuException.of(HttpStatus.TOO_MANY_REQUESTS,
                        "too-many-login-attempts", seconds).withProperty("retryAfterSeconds", seconds));
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /** The user name of a password login in this request, if it is one. */
    static Optional<String> attemptedUsername(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring(BASIC.length()).strip()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? Optional.empty() : Optional.of(decoded.substring(0, colon));
            } catch (IllegalArgumentException notBase64) {
                return Optional.empty();
            }
        }
        if (HttpMethod.POST.matches(request.getMethod()) && LOGIN_PATH.equals(request.getServletPath())) {
            return Optional.ofNullable(request.getParameter("username"));
        }
        return Optional.empty();
    }
}
