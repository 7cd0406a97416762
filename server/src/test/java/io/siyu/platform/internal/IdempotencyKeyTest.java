package io.siyu.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siyu.platform.SiyuException;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdempotencyKeyTest {

    @Test
    void acceptsPrintableAsciiUpTo200Characters() {
        assertThat(new IdempotencyKey("a").value()).isEqualTo("a");
        assertThat(new IdempotencyKey("order 42/retry:~!").value()).isEqualTo("order 42/retry:~!");
        assertThat(new IdempotencyKey("k".repeat(200)).value()).hasSize(200);
    }

    @Test
    void refusesEmptyBlankTooLongAndNonPrintableKeys() {
        for (String bad : List.of("", "   ", "k".repeat(201), "tab\there", "new\nline", "键", "caf\u00e9", "\u007f")) {
            assertThatThrownBy(() -> new IdempotencyKey(bad)).as(bad)
                    .isInstanceOfSatisfying(SiyuException.class, e -> {
                        assertThat(e.code()).isEqualTo("invalid-idempotency-key");
                        assertThat(e.status().value()).isEqualTo(400);
                    });
        }
    }

    @Test
    void absentHeaderMeansNoKeyAndARepeatedHeaderIsRefused() {
        assertThat(IdempotencyKey.from(List.of())).isEmpty();
        assertThat(IdempotencyKey.from(List.of("k1"))).contains(new IdempotencyKey("k1"));
        assertThatThrownBy(() -> IdempotencyKey.from(List.of("k1", "k2")))
                .isInstanceOfSatisfying(SiyuException.class,
                        e -> assertThat(e.code()).isEqualTo("invalid-idempotency-key"));
    }
}
