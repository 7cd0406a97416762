package io.siyu.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class WriteKeyIT extends SecurityApiTest {

    @Autowired
    WriteKeys writeKeys;

    @Test
    void writeKeyIsCreatedRecognisedAndRevoked() {
        String name = unique("mini-program");
        var created = admin().post("/api/v1/write-keys", Map.of("name", name, "description", "WeChat mini program"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String key = created.str("/key");
        assertThat(key).matches("siyu_wk_[A-Za-z0-9_-]{32,}");
        assertThat(created.str("/description")).isEqualTo("WeChat mini program");
        assertThat(created.str("/status")).isEqualTo("active");
        long id = Long.parseLong(created.str("/id"));

        assertThat(writeKeys.authenticate(key)).contains(new WriteKey(id, name));

        var list = admin().get("/api/v1/write-keys?limit=500");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.text()).doesNotContain(key.substring(12));
        assertThat(ApiTokenIT.find(list.body().get("items"), String.valueOf(id)).get("prefix").asString())
                .isEqualTo(key.substring(0, 12));

        var revoked = admin().post("/api/v1/write-keys/" + id + "/revoke", null);
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.str("/status")).isEqualTo("revoked");
        assertThat(writeKeys.authenticate(key)).as("revocation applies at once").isEmpty();
    }

    @Test
    void unknownAndMalformedKeysAreNotRecognised() {
        assertThat(writeKeys.authenticate("siyu_wk_" + "B".repeat(43))).isEmpty();
        assertThat(writeKeys.authenticate("siyu_wk_short")).isEmpty();
        assertThat(writeKeys.authenticate("")).isEmpty();
        assertThat(writeKeys.authenticate(null)).isEmpty();
        String apiToken = tokenWithRole("analyst");
        assertThat(writeKeys.authenticate(apiToken)).as("an API token is no write key").isEmpty();
    }

    @Test
    void onlyAdministratorsManageWriteKeys() {
        String operator = tokenWithRole("operator");
        var denied = api().bearer(operator).post("/api/v1/write-keys", Map.of("name", unique("nope")));
        assertThat(denied.status()).isEqualTo(403);

        String name = unique("server");
        assertThat(admin().post("/api/v1/write-keys", Map.of("name", name)).status()).isEqualTo(201);
        var duplicate = admin().post("/api/v1/write-keys", Map.of("name", name));
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.str("/code")).isEqualTo("write-key-name-taken");
        assertThat(admin().post("/api/v1/write-keys", Map.of("name", " ")).str("/code")).isEqualTo("field-required");
        assertThat(admin().post("/api/v1/write-keys/999999999/revoke", null).str("/code"))
                .isEqualTo("write-key-not-found");
    }
}
