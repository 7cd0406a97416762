package io.siyu.event.internal.tracking;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.siyu.customer.Customers;
import io.siyu.event.Tracking;
import io.siyu.platform.BrandClock;
import io.siyu.platform.SiyuException;
import io.siyu.security.WriteKey;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * One batch of Segment messages, from body to stored events: the envelope is read, each message
 * checked against the per-message size limit and mapped, and the valid ones stored together by
 * {@link TrackingIngest}. The HTTP endpoint and in-process senders both come through here.
 */
@Service
class TrackingBatches implements Tracking {

    private final TrackingIngest ingest;
    private final TrackingMetrics metrics;
    private final MessageMapper mapper;
    private final ObjectMapper json;
    private final BrandClock clock;

    TrackingBatches(TrackingIngest ingest, TrackingMetrics metrics, Customers customers, BrandClock clock,
            ObjectMapper json) {
        this.ingest = ingest;
        this.metrics = metrics;
        this.json = json;
        this.clock = clock;
        // the schema changes rarely and every identify needs it: a few seconds of staleness is fine
        LoadingCache<String, Map<String, String>> schema = Caffeine.newBuilder()
                .expireAfterWrite(Duration.ofSeconds(5)).build(key -> customers.attributeTypes());
        this.mapper = new MessageMapper(json, customers.identityTypes(), clock.zone(), () -> schema.get("schema"));
    }

    MessageMapper mapper() {
        return mapper;
    }

    @Override
    public BatchResult batch(WriteKey key, JsonNode body) {
        OffsetDateTime receivedAt = clock.now();
        Map<Integer, SiyuException> refused = new TreeMap<>();
        Map<Integer, TrackingIngest.Outcome> outcomes = batch(key, body, receivedAt, refused);
        refused.values().forEach(e -> metrics.rejected(e.code()));
        int stored = (int) outcomes.values().stream().filter(o -> o == TrackingIngest.Outcome.STORED).count();
        List<Rejected> rejected = new ArrayList<>();
        refused.forEach((i, e) -> rejected.add(new Rejected(i, e)));
        return new BatchResult(stored, outcomes.size() - stored, rejected);
    }

    /**
     * Maps and stores a batch received at {@code receivedAt}; refused messages go into {@code refused}
     * by index (not yet counted in metrics), the outcomes of the others are returned by index.
     */
    Map<Integer, TrackingIngest.Outcome> batch(WriteKey key, JsonNode body, OffsetDateTime receivedAt,
            Map<Integer, SiyuException> refused) {
        JsonNode messages = body == null ? null : body.get("batch");
        if (messages == null || !messages.isArray()) {
            throw SiyuException.badRequest("invalid-batch");
        }
        Envelope envelope = envelope(body);
        List<TrackingIngest.Item> items = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            try {
                if (sizeBound(message) > TrackingAuthenticationFilter.CALL_LIMIT
                        && json.writeValueAsBytes(message).length > TrackingAuthenticationFilter.CALL_LIMIT) {
                    throw SiyuException.badRequest("message-too-large", TrackingAuthenticationFilter.CALL_LIMIT / 1024);
                }
                items.add(new TrackingIngest.Item(i, mapper.map(message, null, envelope, receivedAt)));
            } catch (SiyuException e) {
                refused.put(i, e);
            }
        }
        return ingest.ingest(items, key, receivedAt, refused);
    }

    /**
     * At least as many bytes as the message takes as compact JSON (every character of a text counted
     * as its longest escape), found without writing it: only a message this bound puts over the limit
     * is serialised to measure it exactly.
     */
    static long sizeBound(JsonNode node) {
        if (node.isObject()) {
            long n = 2;
            for (var field : node.properties()) {
                n += 6L * field.getKey().length() + 4 + sizeBound(field.getValue());
            }
            return n;
        }
        if (node.isArray()) {
            long n = 2;
            for (JsonNode item : node) {
                n += 1 + sizeBound(item);
            }
            return n;
        }
        if (node.isString()) {
            return 2 + 6L * node.asString().length();
        }
        return 8 + node.asString().length();
    }

    private static Envelope envelope(JsonNode body) {
        JsonNode context = body.get("context");
        if (context != null && !context.isNull() && !context.isObject()) {
            throw SiyuException.badRequest("invalid-context");
        }
        String sent = MessageMapper.text(body, "sentAt");
        OffsetDateTime sentAt = sent == null ? null : Timestamps.parse(sent, "sentAt");
        return new Envelope(context == null || context.isNull() ? null : context, sentAt);
    }
}
