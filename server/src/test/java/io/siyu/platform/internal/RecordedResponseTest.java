package io.siyu.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordedResponseTest {

    @Test
    void successAndClientErrorsAreFinalButServerErrorsAndRateLimitsAreNot() {
        assertThat(RecordedResponse.isFinal(200)).isTrue();
        assertThat(RecordedResponse.isFinal(201)).isTrue();
        assertThat(RecordedResponse.isFinal(204)).isTrue();
        assertThat(RecordedResponse.isFinal(400)).isTrue();
        assertThat(RecordedResponse.isFinal(409)).isTrue();
        assertThat(RecordedResponse.isFinal(422)).isTrue();
        assertThat(RecordedResponse.isFinal(429)).isFalse();
        assertThat(RecordedResponse.isFinal(302)).isFalse();
        assertThat(RecordedResponse.isFinal(500)).isFalse();
        assertThat(RecordedResponse.isFinal(503)).isFalse();
    }

    @Test
    void bodyBytesSurviveTheRoundTripInTheirCharset() {
        byte[] json = "{\"title\":\"幂等键\"}".getBytes(StandardCharsets.UTF_8);
        RecordedResponse utf8 = RecordedResponse.of(201, "application/json", null, json);
        assertThat(utf8.body()).isEqualTo("{\"title\":\"幂等键\"}");
        assertThat(utf8.bodyBytes()).isEqualTo(json);

        byte[] latin = "café".getBytes(StandardCharsets.ISO_8859_1);
        RecordedResponse text = RecordedResponse.of(200, "text/plain;charset=ISO-8859-1", null, latin);
        assertThat(text.body()).isEqualTo("café");
        assertThat(text.bodyBytes()).isEqualTo(latin);

        assertThat(RecordedResponse.charsetOf(null)).isEqualTo(StandardCharsets.UTF_8);
        assertThat(RecordedResponse.charsetOf("not a type")).isEqualTo(StandardCharsets.UTF_8);
        assertThat(RecordedResponse.charsetOf("text/plain;charset=no-such-charset")).isEqualTo(StandardCharsets.UTF_8);
    }

    @Test
    void anAnswerTooLargeToRecordKeepsItsStatusButNotItsBody() {
        RecordedResponse small = new RecordedResponse(201, "application/json", "/api/v1/x/1", "{}");
        assertThat(small.fittedToRecord()).isSameAs(small);

        String huge = "x".repeat(RecordedResponse.MAX_BODY_CHARS + 1);
        RecordedResponse fitted = new RecordedResponse(201, "application/json", "/api/v1/x/1", huge).fittedToRecord();
        assertThat(fitted).isEqualTo(new RecordedResponse(201, null, "/api/v1/x/1", ""));
    }
}
