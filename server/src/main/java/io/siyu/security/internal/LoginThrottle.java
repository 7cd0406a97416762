package io.siyu.security.internal;

import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Optional;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

/**
 * The application's {@link LoginLimiter}: fed by Spring Security's bad-credentials events (form
 * login and HTTP Basic both publish them, unknown user names included) and consulted by
 * {@link LoginThrottleFilter} before a password is checked.
 */
@Component
class LoginThrottle {

    private final LoginLimiter limiter;

    LoginThrottle(LoginLimitProperties limits) {
        this.limiter = new LoginLimiter(limits, TimeMeter.SYSTEM_MILLISECONDS);
    }

    Optional<Duration> blockedFor(String username, String ip) {
        return limiter.blockedFor(username, ip);
    }

    @EventListener
    void onBadCredentials(AuthenticationFailureBadCredentialsEvent event) {
        var attempt = event.getAuthentication();
        String ip = attempt.getDetails() instanceof WebAuthenticationDetails details ? details.getRemoteAddress() : null;
        limiter.recordFailure(attempt.getName(), ip);
    }
}
