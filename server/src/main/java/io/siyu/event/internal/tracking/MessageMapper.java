package io.siyu.event.internal.tracking;

import io.siyu.customer.CustomerTraits;
import io.siyu.customer.IdentityInput;
import io.siyu.customer.IdentityType;
import io.siyu.event.internal.tracking.TrackedMessage.Commerce;
import io.siyu.platform.SiyuException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Maps one Segment message to a {@link TrackedMessage}, or rejects it with a 400 problem code.
 * Identities: {@code userId} → external_id, {@code anonymousId} → anonymous_id, {@code email} and
 * {@code phone} from the identify traits or {@code context.traits}, and {@code context.externalIds}
 * whose type names a Siyu identity type (others are meant for other tools and are skipped). The
 * standard profile traits are applied, and traits named like a defined custom attribute become that
 * attribute; other traits stay in the stored event only.
 */
final class MessageMapper {

    static final Set<String> TYPES = Set.of("identify", "track", "page", "screen", "group", "alias");
    static final int MAX_NAME = 200;
    static final int MAX_MESSAGE_ID = 200;
    static final int MAX_CONTEXT = 16_000;
    private static final Set<String> PII_TRAITS = Set.of("email", "phone");
    private static final Set<String> NOT_APP_IDS = Set.of("users", "accounts");

    private final ObjectMapper json;
    private final Map<String, IdentityType> identityTypes;
    private final ZoneId zone;
    private final java.util.function.Supplier<Map<String, String>> attributeTypes;

    MessageMapper(ObjectMapper json, Collection<IdentityType> identityTypes, ZoneId zone) {
        this(json, identityTypes, zone, Map::of);
    }

    /**
     * @param attributeTypes the attribute schema (name → string | number | boolean | date): identify
     *                       traits with these names are written to the customer's attributes
     */
    MessageMapper(ObjectMapper json, Collection<IdentityType> identityTypes, ZoneId zone,
            java.util.function.Supplier<Map<String, String>> attributeTypes) {
        this.attributeTypes = attributeTypes;
        this.json = json;
        this.identityTypes = identityTypes.stream().collect(Collectors.toMap(IdentityType::name, Function.identity()));
        this.zone = zone;
    }

    /**
     * @param impliedType the type the endpoint implies ({@code /v1/track}); null for batch members,
     *                    which name their own
     */
    TrackedMessage map(JsonNode message, String impliedType, Envelope envelope, OffsetDateTime receivedAt) {
        if (message == null || !message.isObject()) {
            throw SiyuException.badRequest("invalid-message");
        }
        String type = impliedType != null ? impliedType : text(message, "type");
        type = type == null ? null : type.trim().toLowerCase(Locale.ROOT);
        if (type == null || !TYPES.contains(type)) {
            throw SiyuException.badRequest("invalid-message-type", String.valueOf(type));
        }
        String messageId = text(message, "messageId");
        if (messageId == null || messageId.isBlank()) {
            messageId = "siyu-" + UUID.randomUUID();
        } else if (messageId.length() > MAX_MESSAGE_ID) {
            throw SiyuException.badRequest("invalid-message-id", MAX_MESSAGE_ID);
        }
        OffsetDateTime occurredAt = occurredAt(message, envelope, receivedAt);
        ObjectNode context = context(message, envelope);
        JsonNode traits = "identify".equals(type) ? object(message, "traits") : null;

        List<IdentityInput> identities = identities(message, traits, context);
        String previousId = null;
        if ("alias".equals(type)) {
            previousId = text(message, "previousId");
            if (previousId == null || previousId.isBlank()) {
                throw SiyuException.badRequest("missing-previous-id");
            }
            if (text(message, "userId") == null) {
                throw SiyuException.badRequest("missing-identity");
            }
        } else if (identities.isEmpty()) {
            throw SiyuException.badRequest("missing-identity");
        }

        String name = name(type, message);
        ObjectNode properties = properties(type, message, traits);
        Commerce commerce = "track".equals(type) ? OrderProperties.read(name, properties, occurredAt)
                : new TrackedMessage.NoOrder();
        return new TrackedMessage(type, name, messageId, identities, previousId, profile(traits), occurredAt,
                json.writeValueAsString(properties), contextText(context), commerce);
    }

    private OffsetDateTime occurredAt(JsonNode message, Envelope envelope, OffsetDateTime receivedAt) {
        String original = text(message, "timestamp");
        String field = "timestamp";
        if (original == null) {
            original = text(message, "originalTimestamp");
            field = "originalTimestamp";
        }
        String sent = text(message, "sentAt");
        OffsetDateTime sentAt = sent != null ? Timestamps.parse(sent, "sentAt") : envelope.sentAt();
        return ClockSkew.correct(original == null ? null : Timestamps.parse(original, field), sentAt, receivedAt);
    }

    /**
     * The batch's context with the message's own over it. Shallow: the values are the request's own
     * nodes, shared with other messages of the batch, so nothing below the top level may be changed
     * (see {@link #contextText}).
     */
    private ObjectNode context(JsonNode message, Envelope envelope) {
        ObjectNode merged = json.createObjectNode();
        if (envelope.context() != null && envelope.context().isObject()) {
            merged.setAll((ObjectNode) envelope.context());
        }
        JsonNode own = message.get("context");
        if (own != null && !own.isNull()) {
            if (!own.isObject()) {
                throw SiyuException.badRequest("invalid-context");
            }
            merged.setAll((ObjectNode) own);
        }
        return merged;
    }

    private List<IdentityInput> identities(JsonNode message, JsonNode traits, ObjectNode context) {
        Set<IdentityInput> ids = new LinkedHashSet<>();
        add(ids, "external_id", text(message, "userId"), "");
        add(ids, "anonymous_id", text(message, "anonymousId"), "");
        for (JsonNode source : new JsonNode[] {traits, context.get("traits")}) {
            if (source != null && source.isObject()) {
                add(ids, "phone", text(source, "phone"), "");
                add(ids, "email", text(source, "email"), "");
            }
        }
        JsonNode external = context.get("externalIds");
        if (external != null && external.isArray()) {
            for (JsonNode e : external) {
                String type = text(e, "type");
                IdentityType known = type == null ? null : identityTypes.get(type);
                if (known == null) {
                    continue;
                }
                String appId = "";
                if (known.perApp()) {
                    appId = text(e, "appId");
                    if (appId == null) {
                        String collection = text(e, "collection");
                        appId = collection == null || NOT_APP_IDS.contains(collection) ? "" : collection;
                    }
                }
                add(ids, type, text(e, "id"), appId);
            }
        }
        return new ArrayList<>(ids);
    }

    private static void add(Set<IdentityInput> ids, String type, String value, String appId) {
        if (value != null && !value.isBlank()) {
            ids.add(new IdentityInput(type, value.trim(), appId));
        }
    }

    private static String name(String type, JsonNode message) {
        String name = switch (type) {
            case "track" -> text(message, "event");
            case "page", "screen" -> text(message, "name");
            default -> null;
        };
        if ("track".equals(type) && (name == null || name.isBlank())) {
            throw SiyuException.badRequest("missing-event-name");
        }
        if (name != null && name.length() > MAX_NAME) {
            throw SiyuException.badRequest("invalid-event-name", MAX_NAME);
        }
        return name == null || name.isBlank() ? null : name.trim();
    }

    private ObjectNode properties(String type, JsonNode message, JsonNode traits) {
        ObjectNode p = json.createObjectNode();
        switch (type) {
            case "identify" -> {
                if (traits != null) {
                    // a shallow copy: only top-level keys are removed
                    p.setAll((ObjectNode) traits);
                    p.remove(PII_TRAITS);
                }
            }
            case "group" -> {
                String groupId = text(message, "groupId");
                if (groupId == null || groupId.isBlank()) {
                    throw SiyuException.badRequest("missing-group-id");
                }
                p.put("groupId", groupId);
                JsonNode groupTraits = object(message, "traits");
                if (groupTraits != null) {
                    p.set("traits", groupTraits);
                }
            }
            case "alias" -> p.put("previousId", text(message, "previousId"));
            default -> {
                JsonNode own = object(message, "properties");
                if (own != null) {
                    p.setAll((ObjectNode) own);
                }
                if ("page".equals(type) && text(message, "category") != null && !p.has("category")) {
                    p.put("category", text(message, "category"));
                }
            }
        }
        return p;
    }

    /** The context as stored: personal identifiers are kept as identities (encrypted), not here. */
    private String contextText(ObjectNode context) {
        if (context.get("traits") instanceof ObjectNode traits && PII_TRAITS.stream().anyMatch(traits::has)) {
            // the traits node is the request's, maybe shared by the batch's messages: replaced, not changed
            ObjectNode kept = json.createObjectNode();
            kept.setAll(traits);
            kept.remove(PII_TRAITS);
            context.set("traits", kept);
        }
        String text = json.writeValueAsString(context);
        if (text.length() <= MAX_CONTEXT) {
            return text;
        }
        // the column is bounded; the event is worth more than a context too large to keep
        ObjectNode kept = json.createObjectNode();
        for (String key : List.of("library", "ip", "userAgent", "locale", "timezone", "app", "os", "device")) {
            if (context.has(key)) {
                kept.set(key, context.get(key));
            }
        }
        kept.put("truncated", true);
        String small = json.writeValueAsString(kept);
        return small.length() <= MAX_CONTEXT ? small : "{\"truncated\":true}";
    }

    /** The standard profile traits Siyu keeps on the customer; junk values are skipped, not refused. */
    CustomerTraits profile(JsonNode traits) {
        if (traits == null) {
            return CustomerTraits.NONE;
        }
        String name = text(traits, "name");
        if (name == null) {
            String first = text(traits, "firstName");
            String last = text(traits, "lastName");
            if (first != null || last != null) {
                name = joinName(first, last);
            }
        }
        JsonNode address = object(traits, "address");
        String city = address == null ? null : text(address, "city");
        String province = address == null ? null : text(address, "state");
        String avatar = text(traits, "avatar");
        if (avatar != null && !(avatar.startsWith("https://") || avatar.startsWith("http://"))) {
            avatar = null;
        }
        return new CustomerTraits(clip(name, 200), clip(text(traits, "username"), 200), null,
                gender(text(traits, "gender")), birthday(text(traits, "birthday")), clip(province, 64),
                clip(city, 64), avatar == null || avatar.length() > 1000 ? null : avatar, "tracking",
                attributes(traits));
    }

    /**
     * Traits named like a defined custom attribute, converted to its type; a value of the wrong type
     * is left out (it stays in the stored event) rather than failing the message, as for profile traits.
     */
    Map<String, Object> attributes(JsonNode traits) {
        Map<String, String> types = attributeTypes.get();
        if (types.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : traits.properties()) {
            String type = types.get(e.getKey());
            JsonNode v = e.getValue();
            if (type == null || v == null || v.isNull()) {
                continue;
            }
            Object value = switch (type) {
                case "string" -> v.isString() && v.asString().length() <= 2000 ? v.asString()
                        : v.isNumber() || v.isBoolean() ? v.asString() : null;
                case "number" -> v.isNumber() ? v.decimalValue() : null;
                case "boolean" -> v.isBoolean() ? v.booleanValue() : null;
                case "date" -> v.isString() && isDate(v.asString()) ? v.asString() : null;
                default -> null;
            };
            if (value != null) {
                out.put(e.getKey(), value);
            }
        }
        return out;
    }

    private static boolean isDate(String text) {
        try {
            LocalDate.parse(text);
            return true;
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    /** Chinese names put the family name first; Latin ones last. */
    private static String joinName(String first, String last) {
        if (first == null) {
            return last;
        }
        if (last == null) {
            return first;
        }
        boolean han = (first + last).codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
        return han ? last + first : first + " " + last;
    }

    private static String gender(String g) {
        if (g == null) {
            return null;
        }
        return switch (g.trim().toLowerCase(Locale.ROOT)) {
            case "male", "m", "man", "男" -> "male";
            case "female", "f", "woman", "女" -> "female";
            default -> null;
        };
    }

    private LocalDate birthday(String text) {
        if (text == null || text.length() < 10) {
            return null;
        }
        LocalDate d;
        try {
            d = text.length() == 10 ? LocalDate.parse(text)
                    : Timestamps.parse(text, "birthday").atZoneSameInstant(zone).toLocalDate();
        } catch (RuntimeException unreadable) {
            return null;
        }
        return d.isBefore(LocalDate.of(1900, 1, 1)) || d.isAfter(LocalDate.now(zone)) ? null : d;
    }

    private static JsonNode object(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw SiyuException.badRequest("invalid-message-field", field);
        }
        return v;
    }

    /** A scalar field as text (ids are often numbers); null when absent or not a scalar. */
    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && (v.isString() || v.isNumber() || v.isBoolean()) ? v.asString() : null;
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
