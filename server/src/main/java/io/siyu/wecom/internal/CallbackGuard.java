package io.siyu.wecom.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.siyu.platform.BrandClock;
import io.siyu.platform.SiyuException;
import java.time.Duration;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * What every callback message goes through around its handler:
 * <ul>
 * <li>its {@code timestamp} must be within {@code siyu.wecom.callback-max-age} (10 minutes) of now, so a
 *     captured message cannot be replayed later (403 {@code callback-stale});</li>
 * <li>a message handled before (same receiver, signature, timestamp, nonce and body: WeCom or WeChat
 *     repeating it, or a replay within the window) is acknowledged without being handled again;</li>
 * <li>it is counted in {@code siyu.callbacks} by sender and result ({@code handled}, {@code repeated}
 *     or the problem code that refused or failed it).</li>
 * </ul>
 */
@Component
class CallbackGuard {

    private final MeterRegistry registry;
    private final BrandClock clock;
    private final Duration maxAge;
    private final Cache<String, Boolean> handled;

    CallbackGuard(MeterRegistry registry, BrandClock clock,
            @Value("${siyu.wecom.callback-max-age:10m}") Duration maxAge) {
        this.registry = registry;
        this.clock = clock;
        this.maxAge = maxAge;
        this.handled = Caffeine.newBuilder().expireAfterWrite(maxAge.multipliedBy(2)).maximumSize(100_000).build();
    }

    /**
     * Checks the message's age, runs the handler unless the message was handled before, and counts the result.
     *
     * @param receiver  who it was sent to (the endpoint: WeCom, or the official account's app id)
     */
    String message(String sender, String receiver, String signature, String timestamp, String nonce, String body,
            Supplier<String> handler) {
        return count(sender, () -> {
            fresh(timestamp);
            String key = String.join("\u0000", receiver, String.valueOf(signature), timestamp, String.valueOf(nonce),
                    SignedCallbacks.sign(body == null ? "" : body));
            if (handled.getIfPresent(key) != null) {
                registry.counter("siyu.callbacks", "sender", sender, "result", "repeated").increment();
                return "success";
            }
            String answer = handler.get();
            handled.put(key, Boolean.TRUE);
            return answer;
        });
    }

    /** Runs the handler (a URL check) and counts its result. */
    <T> T count(String sender, Supplier<T> handler) {
        try {
            T answer = handler.get();
            registry.counter("siyu.callbacks", "sender", sender, "result", "handled").increment();
            return answer;
        } catch (SiyuException e) {
            registry.counter("siyu.callbacks", "sender", sender, "result", e.code()).increment();
            throw e;
        } catch (RuntimeException e) {
            registry.counter("siyu.callbacks", "sender", sender, "result", "error").increment();
            throw e;
        }
    }

    private void fresh(String timestamp) {
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException | NullPointerException e) {
            throw SiyuException.badRequest("callback-incomplete");
        }
        long age = clock.now().toEpochSecond() - seconds;
        if (Math.abs(age) > maxAge.toSeconds()) {
            throw SiyuException.of(HttpStatus.FORBIDDEN, "callback-stale", maxAge.toMinutes());
        }
    }
}
