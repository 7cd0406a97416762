package io.siyu.event.internal.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** The cheap size bound never undercounts a message, so no oversize message escapes the exact check. */
class MessageSizeBoundTest {

    private final ObjectMapper json = JsonMapper.builder().build();

    private void boundHolds(String text) {
        JsonNode node = json.readTree(text);
        long exact = json.writeValueAsBytes(node).length;
        assertThat(TrackingBatches.sizeBound(node)).as(text).isGreaterThanOrEqualTo(exact);
    }

    @Test
    void boundsEveryKindOfValue() {
        boundHolds("{}");
        boundHolds("[]");
        boundHolds("{\"type\":\"track\",\"event\":\"Order Completed\",\"properties\":{\"total\":99.5,\"n\":-12,"
                + "\"big\":123456789012345678901234567890,\"e\":1e300,\"ok\":true,\"none\":null,\"list\":[1,2,[3,{}]]}}");
        boundHolds("{\"控制\\u0001\\n\\\"\":\"\\u0000\\u001f\\t😀中文 \\\\ /\"}");
        boundHolds("{\"a\":\"" + "\\u0007".repeat(5000) + "\"}");
        boundHolds("[" + "\"😀\",".repeat(1000) + "0.000001]");
    }

    @Test
    void typicalMessagesAreFarBelowTheLimit() {
        JsonNode m = json.readTree("{\"type\":\"page\",\"userId\":\"u1\",\"name\":\"Home\",\"properties\":{\"path\":\"/\"},"
                + "\"context\":{\"ip\":\"10.0.0.1\",\"userAgent\":\"" + "x".repeat(300) + "\"}}");
        assertThat(TrackingBatches.sizeBound(m)).isLessThan(TrackingAuthenticationFilter.CALL_LIMIT);
        assertThat(json.writeValueAsString(m).getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo((int) TrackingBatches.sizeBound(m));
    }
}
