package io.siyu.testing;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.ObjectMapper;

/**
 * Base of the integration tests: the whole service on a random port, on H2 or PostgreSQL as
 * {@link TestDatabase} says, driven over real HTTP. One Spring context is shared by all of them.
 */
@ExtendWith(TestDatabase.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ApiTest {

    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "it-admin-Pa55word";

    @LocalServerPort
    protected int port;

    @Autowired
    protected ObjectMapper json;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", TestDatabase::url);
        registry.add("spring.datasource.username", TestDatabase::user);
        registry.add("spring.datasource.password", () -> "");
        registry.add("siyu.security.admin-password", () -> ADMIN_PASSWORD);
        // small enough that an oversize upload is refused before Tomcat gives up swallowing the body
        registry.add("siyu.imports.max-file-size", () -> "1536KB");
        // WeCom: a local fake of its API, and the callback's token and key
        registry.add("siyu.wecom.corp-id", () -> FakeWecom.CORP_ID);
        registry.add("siyu.wecom.secret", () -> FakeWecom.SECRET);
        registry.add("siyu.wecom.token", () -> FakeWecom.TOKEN);
        registry.add("siyu.wecom.aes-key", () -> FakeWecom.AES_KEY);
        registry.add("siyu.wecom.base-url", FakeWecom::url);
        registry.add("siyu.wechat.official-accounts[0].app-id", () -> FakeWecom.OA_APP_ID);
        registry.add("siyu.wechat.official-accounts[0].token", () -> FakeWecom.TOKEN);
        registry.add("siyu.wechat.official-accounts[0].aes-key", () -> FakeWecom.AES_KEY);
        registry.add("siyu.wechat.official-accounts[1].app-id", () -> FakeWecom.OA_PLAIN_APP_ID);
        registry.add("siyu.wechat.official-accounts[1].token", () -> FakeWecom.TOKEN);
        registry.add("siyu.data-dir", () -> System.getProperty("java.io.tmpdir") + "/siyu-it-" + ProcessHandle.current().pid());
    }

    /** A client acting as the bootstrap admin over HTTP Basic. */
    protected Api admin() {
        return api().basic(ADMIN, ADMIN_PASSWORD);
    }

    /** A client with no credentials. */
    protected Api api() {
        return new Api("http://127.0.0.1:" + port, json);
    }
}
