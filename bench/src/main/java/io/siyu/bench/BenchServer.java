package io.siyu.bench;

import io.siyu.SiyuApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real Siyu server (application context and web server) inside the benchmark's JVM, on a free
 * loopback port, against the benchmark database; and the REST calls a benchmark makes as the
 * bootstrap administrator.
 */
final class BenchServer implements AutoCloseable {

    static final String ADMIN_PASSWORD = "bench-" + UUID.randomUUID();

    final ConfigurableApplicationContext context;
    final int port;
    private final String password;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private BenchServer(ConfigurableApplicationContext context, int port, String password) {
        this.context = context;
        this.port = port;
        this.password = password;
    }

    static BenchServer start(BenchDatabase db, Path dataDir) throws IOException {
        return start(db, dataDir, ADMIN_PASSWORD);
    }

    /**
     * Starts with the given bootstrap admin password (it only takes effect on a database without users,
     * so a benchmark reusing a database passes the one it was created with) and extra arguments.
     */
    static BenchServer start(BenchDatabase db, Path dataDir, String adminPassword, String... extraArgs)
            throws IOException {
        Files.createDirectories(dataDir);
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=" + db.url(),
                "--spring.datasource.username=" + db.user(),
                "--spring.datasource.password=" + db.password(),
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--siyu.data-dir=" + dataDir.toAbsolutePath(),
                "--siyu.demo.enabled=false",
                "--siyu.security.admin-password=" + adminPassword,
                "--logging.level.root=WARN",
                "--logging.level.io.siyu=WARN"));
        args.addAll(List.of(extraArgs));
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SiyuApplication.class)
                .web(WebApplicationType.SERVLET)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .run(args.toArray(String[]::new));
        int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
        return new BenchServer(context, port, adminPassword);
    }

    /** Creates a write key through {@code POST /api/v1/write-keys}; returns the key. */
    String createWriteKey(String name) throws IOException, InterruptedException {
        HttpResponse<String> r = admin("POST", "/api/v1/write-keys", "{\"name\":\"" + name + "\",\"description\":\"benchmark\"}");
        if (r.statusCode() != 201) {
            throw new IllegalStateException("creating a write key answered " + r.statusCode() + ": " + r.body());
        }
        return field(r.body(), "key");
    }

    private volatile String bearer;

    /**
     * From now on, {@link #admin} calls authenticate with a new admin API token instead of the password:
     * Basic authentication checks the password hash on every request (tens of milliseconds), which a
     * benchmark timing requests from the client side must not measure.
     */
    void useApiToken() throws IOException, InterruptedException {
        HttpResponse<String> r = admin("POST", "/api/v1/api-tokens", "{\"name\":\"bench-" + UUID.randomUUID()
                + "\",\"role\":\"admin\"}");
        if (r.statusCode() != 201) {
            throw new IllegalStateException("creating an API token answered " + r.statusCode() + ": " + r.body());
        }
        bearer = field(r.body(), "token");
    }

    HttpResponse<String> admin(String method, String path, String body) throws IOException, InterruptedException {
        String token = bearer;
        if (token == null) {
            return admin(http, port, password, method, path, body);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.method(method, HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> admin(HttpClient http, int port, String method, String path, String body)
            throws IOException, InterruptedException {
        return admin(http, port, ADMIN_PASSWORD, method, path, body);
    }

    static HttpResponse<String> admin(HttpClient http, int port, String password, String method, String path,
            String body) throws IOException, InterruptedException {
        String auth = Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Basic " + auth).header("Content-Type", "application/json");
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.method(method, HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A top-level string field of a small JSON answer. */
    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    @Override
    public void close() {
        context.close();
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }
}
