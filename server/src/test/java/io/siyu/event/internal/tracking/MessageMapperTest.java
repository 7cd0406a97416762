package io.siyu.event.internal.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siyu.customer.IdentityInput;
import io.siyu.customer.IdentityType;
import io.siyu.customer.IdentityType.Format;
import io.siyu.event.OrderLine;
import io.siyu.event.internal.tracking.TrackedMessage.Completed;
import io.siyu.event.internal.tracking.TrackedMessage.Refunded;
import io.siyu.platform.SiyuException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.json.JsonMapper;

class MessageMapperTest {

    private static final OffsetDateTime RECEIVED = OffsetDateTime.parse("2026-11-24T12:00:00Z");
    private final ObjectMapper json = JsonMapper.builder().build();
    private final MessageMapper mapper = new MessageMapper(json, List.of(
            new IdentityType("external_id", 1, 100, false, false, Format.TEXT),
            new IdentityType("phone", 1, 90, true, false, Format.PHONE),
            new IdentityType("email", 0, 65, true, false, Format.EMAIL),
            new IdentityType("wechat_unionid", 1, 80, false, false, Format.TEXT),
            new IdentityType("miniapp_openid", 1, 60, false, true, Format.TEXT),
            new IdentityType("anonymous_id", 0, 10, false, false, Format.TEXT)), ZoneId.of("Asia/Shanghai"));

    private TrackedMessage map(String message, String type) {
        return mapper.map(json.readTree(message), type, Envelope.NONE, RECEIVED);
    }

    private String code(Runnable r) {
        try {
            r.run();
        } catch (SiyuException e) {
            return e.code();
        }
        throw new AssertionError("not rejected");
    }

    @Test
    void identifyMapsIdentitiesAndStandardTraits() {
        TrackedMessage m = map("""
                {"userId": 42, "anonymousId": "anon-1", "messageId": "m-1",
                 "traits": {"name": "小红", "email": "a@example.com", "phone": "13800138000", "gender": "F",
                            "birthday": "1990-05-01", "address": {"city": "杭州", "state": "浙江"},
                            "avatar": "https://img.example.com/a.png", "plan": "gold"},
                 "context": {"externalIds": [
                     {"id": "u-union", "type": "wechat_unionid", "collection": "users", "encoding": "none"},
                     {"id": "o-mini", "type": "miniapp_openid", "collection": "wx123"},
                     {"id": "x", "type": "ga_client_id"}]}}""", "identify");
        assertThat(m.identities()).containsExactly(
                IdentityInput.of("external_id", "42"), IdentityInput.of("anonymous_id", "anon-1"),
                IdentityInput.of("phone", "13800138000"), IdentityInput.of("email", "a@example.com"),
                IdentityInput.of("wechat_unionid", "u-union"), new IdentityInput("miniapp_openid", "o-mini", "wx123"));
        assertThat(m.messageId()).isEqualTo("m-1");
        assertThat(m.traits().displayName()).isEqualTo("小红");
        assertThat(m.traits().gender()).isEqualTo("female");
        assertThat(m.traits().birthday()).isEqualTo(LocalDate.of(1990, 5, 1));
        assertThat(m.traits().city()).isEqualTo("杭州");
        assertThat(m.traits().province()).isEqualTo("浙江");
        assertThat(m.traits().attributes()).as("custom traits stay in the event").isEmpty();
        JsonNode props = json.readTree(m.properties());
        assertThat(props.get("plan").asString()).isEqualTo("gold");
        assertThat(props.has("email") || props.has("phone")).as("PII lives in identities only").isFalse();
        assertThat(m.occurredAt()).isEqualTo(RECEIVED);
    }

    @Test
    void junkTraitsAreSkippedNotRefused() {
        TrackedMessage m = map("""
                {"userId": "u", "traits": {"firstName": "小明", "lastName": "王", "gender": "robot",
                 "birthday": "someday", "avatar": "ftp://x"}}""", "identify");
        assertThat(m.traits().displayName()).isEqualTo("王小明");
        assertThat(m.traits().gender()).isNull();
        assertThat(m.traits().birthday()).isNull();
        assertThat(m.traits().avatarUrl()).isNull();
    }

    @Test
    void trackUsesContextTraitsForIdentityButNotForProfile() {
        TrackedMessage m = map("""
                {"event": "Product Viewed", "properties": {"sku": "S1"},
                 "context": {"traits": {"email": "b@example.com", "name": "x"}}}""", "track");
        assertThat(m.identities()).containsExactly(IdentityInput.of("email", "b@example.com"));
        assertThat(m.name()).isEqualTo("Product Viewed");
        assertThat(m.traits().displayName()).isNull();
        assertThat(m.context()).doesNotContain("b@example.com");
        assertThat(m.messageId()).as("generated when missing").startsWith("siyu-");
    }

    @Test
    void aSharedBatchContextServesEveryMessageAndIsLeftAsItCame() {
        JsonNode shared = json.readTree("""
                {"library": {"name": "x"}, "traits": {"email": "b@example.com", "plan": "gold"}}""");
        String before = shared.toString();
        Envelope envelope = new Envelope(shared, null);
        JsonNode props = json.readTree("{\"sku\": \"S1\"}");
        for (String id : List.of("u1", "u2")) {
            ObjectNode message = (ObjectNode) json.readTree("{\"type\": \"track\", \"event\": \"E\", \"userId\": \"" + id + "\"}");
            message.set("properties", props);
            TrackedMessage m = mapper.map(message, null, envelope, RECEIVED);
            // each message finds the email in the shared context, and none stores it
            assertThat(m.identities()).contains(IdentityInput.of("email", "b@example.com"));
            assertThat(m.context()).doesNotContain("b@example.com").contains("gold");
            assertThat(m.properties()).contains("S1");
        }
        assertThat(shared.toString()).isEqualTo(before);
        assertThat(props.toString()).isEqualTo("{\"sku\":\"S1\"}");
    }

    @Test
    void identifyTraitsAreStoredWithoutPersonalIdentifiersAndTheRequestIsLeftAlone() {
        JsonNode message = json.readTree("""
                {"type": "identify", "userId": "u", "traits": {"email": "c@example.com", "phone": "13800138000",
                 "name": "Li", "tier": 3}}""");
        String before = message.toString();
        TrackedMessage m = mapper.map(message, null, Envelope.NONE, RECEIVED);
        assertThat(m.properties()).contains("tier").doesNotContain("c@example.com").doesNotContain("13800138000");
        assertThat(message.toString()).isEqualTo(before);
    }

    @Test
    void correctsClockSkewWithBatchSentAt() {
        Envelope envelope = new Envelope(json.readTree("{\"library\": {\"name\": \"x\"}}"),
                OffsetDateTime.parse("2026-11-24T15:00:10Z"));
        TrackedMessage m = mapper.map(json.readTree("""
                {"type": "track", "event": "E", "userId": "u", "timestamp": "2026-11-24T15:00:00Z"}"""), null,
                envelope, RECEIVED);
        assertThat(m.occurredAt()).isEqualTo(RECEIVED.minusSeconds(10));
        assertThat(json.readTree(m.context()).at("/library/name").asString()).isEqualTo("x");
    }

    @Test
    void orderCompletedBecomesAnOrder() {
        TrackedMessage m = map("""
                {"userId": "u", "event": "Order Completed", "properties": {"order_id": "o-1", "total": "27.50",
                 "revenue": 25, "discount": 2.5, "coupon": "HAPPY", "currency": "cny",
                 "products": [{"product_id": "p1", "sku": "S1", "category": "Diapers", "name": "NB", "price": 12.75,
                               "quantity": 2}]}}""", "track");
        var order = ((Completed) m.commerce()).order();
        assertThat(order.orderId()).isEqualTo("o-1");
        assertThat(order.total()).isEqualByComparingTo("27.50");
        assertThat(order.currency()).isEqualTo("CNY");
        assertThat(order.lines()).containsExactly(new OrderLine("p1", "S1", "Diapers", "NB", new BigDecimal("12.75"), 2));
        assertThat(order.orderedAt()).isEqualTo(RECEIVED);
    }

    @Test
    void orderRefundedReadsTheAmountOrMeansAll() {
        var partial = (Refunded) map("""
                {"userId": "u", "event": "Order Refunded", "properties": {"order_id": "o-1", "total": -5}}""", "track")
                .commerce();
        assertThat(partial.amount()).isEqualByComparingTo("5");
        var full = (Refunded) map("""
                {"userId": "u", "event": "Order Refunded", "properties": {"order_id": "o-1"}}""", "track").commerce();
        assertThat(full.amount()).isNull();
    }

    @Test
    void rejectsWhatCannotBeStored() {
        assertThat(code(() -> map("{\"event\": \"E\"}", "track"))).isEqualTo("missing-identity");
        assertThat(code(() -> map("{\"userId\": \"u\"}", "track"))).isEqualTo("missing-event-name");
        assertThat(code(() -> map("{\"userId\": \"u\", \"type\": \"boom\"}", null))).isEqualTo("invalid-message-type");
        assertThat(code(() -> map("{\"userId\": \"u\", \"timestamp\": \"soon\"}", "page"))).isEqualTo("invalid-timestamp");
        assertThat(code(() -> map("{\"userId\": \"u\"}", "group"))).isEqualTo("missing-group-id");
        assertThat(code(() -> map("{\"userId\": \"u\"}", "alias"))).isEqualTo("missing-previous-id");
        assertThat(code(() -> map("""
                {"userId": "u", "event": "Order Completed", "properties": {"total": 3}}""", "track")))
                .isEqualTo("missing-order-id");
        assertThat(code(() -> map("""
                {"userId": "u", "event": "Order Completed", "properties": {"order_id": "o", "total": "lots"}}""",
                "track"))).isEqualTo("invalid-amount");
        assertThat(code(() -> map("""
                {"userId": "u", "event": "Order Completed", "properties": {"order_id": "o", "products": [{"quantity": 1.5}]}}""",
                "track"))).isEqualTo("invalid-quantity");
        assertThatThrownBy(() -> map("[1]", "track")).isInstanceOf(SiyuException.class);
    }

    @Test
    void aliasKeepsThePreviousIdAside() {
        TrackedMessage m = map("{\"userId\": \"u-9\", \"previousId\": \"anon-9\"}", "alias");
        assertThat(m.previousId()).isEqualTo("anon-9");
        assertThat(m.identities()).containsExactly(IdentityInput.of("external_id", "u-9"));
    }

    @Test
    void traitsNamedLikeDefinedAttributesBecomeTypedAttributes() {
        MessageMapper withSchema = new MessageMapper(json, List.of(
                new IdentityType("external_id", 1, 100, false, false, Format.TEXT)), ZoneId.of("Asia/Shanghai"),
                () -> java.util.Map.of("babyStage", "string", "spend", "number", "vip", "boolean",
                        "babyBirthday", "date"));
        TrackedMessage m = withSchema.map(json.readTree("""
                {"type": "identify", "userId": "u-9", "traits": {"babyStage": "孕期", "spend": 1280.5, "vip": true,
                 "babyBirthday": "2026-03-01", "favouriteColour": "red", "shoeSize": "forty"}}
                """), null, Envelope.NONE, RECEIVED);
        assertThat(m.traits().attributes()).containsOnlyKeys("babyStage", "spend", "vip", "babyBirthday");
        assertThat(m.traits().attributes().get("spend")).isEqualTo(new java.math.BigDecimal("1280.5"));
        TrackedMessage wrongTypes = withSchema.map(json.readTree("""
                {"type": "identify", "userId": "u-9", "traits": {"spend": "lots", "vip": "yes", "babyBirthday": "soon"}}
                """), null, Envelope.NONE, RECEIVED);
        assertThat(wrongTypes.traits().attributes()).isEmpty();
    }
}
