package io.siyu.wecom.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.siyu.platform.SiyuException;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Counts callbacks by sender and result ({@code siyu.callbacks}, tags {@code sender} = wecom | wechat,
 * {@code result} = handled | the problem code that refused or failed it), so forged, undecryptable or
 * unanswered callbacks show on {@code /actuator/prometheus}.
 */
@Component
class CallbackMetrics {

    private final MeterRegistry registry;

    CallbackMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Runs the handler and counts its result. */
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
}
