package io.siyu.tag.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.testing.ApiTest;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class TagExpiryIT extends ApiTest {

    @Autowired
    TagExpiry expiry;

    @Test
    void expiredTagsAreTakenAwayAndRecorded() throws Exception {
        String g = admin().post("/api/v1/tag-groups", Map.of("name", "临时-" + UUID.randomUUID())).str("/id");
        String t = admin().post("/api/v1/tags", Map.of("groupId", g, "name", "7天试用", "defaultTtlDays", 7)).str("/id");
        String c = admin().post("/api/v1/customers/identify", Map.of("identities",
                List.of(Map.of("type", "anonymous_id", "value", UUID.randomUUID().toString())))).str("/customerId");
        String lasting = admin().post("/api/v1/customers/identify", Map.of("identities",
                List.of(Map.of("type", "anonymous_id", "value", UUID.randomUUID().toString())))).str("/customerId");

        var res = admin().post("/api/v1/customers/" + c + "/tags",
                Map.of("tagId", t, "expiresAt", OffsetDateTime.now().plusSeconds(1).toString()));
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        // without an explicit expiry the tag's default lifetime applies
        var defaulted = admin().post("/api/v1/customers/" + lasting + "/tags", Map.of("tagId", t));
        assertThat(OffsetDateTime.parse(defaulted.str("/items/0/expiresAt"))).isAfter(OffsetDateTime.now().plusDays(6));

        Thread.sleep(1200);
        expiry.run();
        assertThat(admin().get("/api/v1/customers/" + c + "/tags").body().at("/items").size()).isZero();
        assertThat(admin().get("/api/v1/customers/" + c + "/tag-history").str("/items/0/kind")).isEqualTo("expired");
        assertThat(admin().get("/api/v1/customers/" + lasting + "/tags").body().at("/items").size()).isEqualTo(1);
        assertThat(admin().post("/api/v1/customers/" + c + "/tags", Map.of("tagId", t, "expiresAt",
                OffsetDateTime.now().minusDays(1).toString())).str("/code")).isEqualTo("tag-expiry-in-past");
    }
}
