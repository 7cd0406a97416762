package io.siyu.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class TrackingWorkloadTest {

    private static final Pattern UUID_V4 = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void bodiesAreSegmentBatchesOfTheMix() {
        TrackingWorkload w = new TrackingWorkload(7, TrackingWorkload.sharedPeople(), 0.2, 100, 10, "r1");
        Set<String> seen = new HashSet<>();
        int messages = 0;
        for (int n = 0; n < 50; n++) {
            List<String> ids = new ArrayList<>();
            Instant before = Instant.now();
            JsonNode body = json.readTree(w.nextBatch(ids));
            Instant sentAt = Instant.parse(body.get("sentAt").asString());
            assertTrue(!sentAt.isBefore(before.minusMillis(1)) && !sentAt.isAfter(Instant.now()), "sentAt is now");
            assertEquals("siyu-bench", body.get("context").get("library").get("name").asString());
            JsonNode batch = body.get("batch");
            assertEquals(100, batch.size());
            assertEquals(100, ids.size());
            for (int i = 0; i < batch.size(); i++) {
                JsonNode m = batch.get(i);
                String id = m.get("messageId").asString();
                assertEquals(ids.get(i), id);
                assertTrue(id.startsWith("r1-") && UUID_V4.matcher(id.substring(3)).matches(), id);
                assertTrue(seen.add(id), "message ids are unique");
                Instant at = Instant.parse(m.get("timestamp").asString());
                assertTrue(!at.isAfter(sentAt) && Duration.between(at, sentAt).toMillis() <= 70, "a session before sentAt");
                assertTrue(UUID_V4.matcher(m.get("anonymousId").asString()).matches());
                if (i % 10 == 0) {
                    assertEquals("identify", m.get("type").asString());
                    assertTrue(m.get("traits").get("name").asString().startsWith("用户"));
                } else if ("Order Completed".equals(m.path("event").asString(null))) {
                    assertEquals("商品", m.get("properties").get("products").get(0).get("name").asString());
                }
                messages++;
            }
        }
        assertEquals(messages, w.identifies + w.pages + w.tracks + w.orders);
        assertEquals(500, w.newPeople + w.knownPeople);
        assertTrue(w.newPeople >= 60 && w.newPeople <= 150, "about a fifth new: " + w.newPeople);
        assertTrue(w.orders > 0 && w.pages > 0 && w.tracks > 0);
    }
}
