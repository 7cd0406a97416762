package io.siyu.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** A small immutable HTTP client for integration tests: real requests, JSON in and out. */
public final class Api {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String base;
    private final ObjectMapper json;
    private final Map<String, String> headers;

    Api(String base, ObjectMapper json) {
        this(base, json, Map.of());
    }

    private Api(String base, ObjectMapper json, Map<String, String> headers) {
        this.base = base;
        this.json = json;
        this.headers = headers;
    }

    public Api header(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Api(base, json, more);
    }

    public Api basic(String user, String password) {
        return header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    public Api bearer(String token) {
        return header("Authorization", "Bearer " + token);
    }

    public Api lang(String language) {
        return header("Accept-Language", language);
    }

    public Res get(String path) {
        return send("GET", path, null, null);
    }

    public Res delete(String path) {
        return send("DELETE", path, null, null);
    }

    public Res post(String path, Object body) {
        return send("POST", path, body, "application/json");
    }

    public Res put(String path, Object body) {
        return send("PUT", path, body, "application/json");
    }

    public Res patch(String path, Object body) {
        return send("PATCH", path, body, "application/merge-patch+json");
    }

    /** Sends a raw body with the given content type, for malformed or oversize input. */
    public Res raw(String method, String path, String body, String contentType) {
        return send(method, path, body, contentType);
    }

    /**
     * POSTs one file as multipart/form-data in the part {@code part}, as a browser's file upload
     * sends it.
     */
    public Res upload(String path, String part, String fileName, byte[] content, String contentType) {
        String boundary = "----siyu-test-" + java.util.UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part + "\"; filename=\""
                + fileName + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + content.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(content, 0, body, head.length, content.length);
        System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
        return sendBytes("POST", path, body, "multipart/form-data; boundary=" + boundary);
    }

    private Res sendBytes(String method, String path, byte[] body, String contentType) {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path));
        headers.forEach(req::header);
        req.header("Content-Type", contentType);
        req.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        return exchange(req);
    }

    private Res send(String method, String path, Object body, String contentType) {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path));
        headers.forEach(req::header);
        if (body == null) {
            req.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            String text = body instanceof String s ? s : json.writeValueAsString(body);
            req.header("Content-Type", contentType);
            req.method(method, HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8));
        }
        return exchange(req);
    }

    private Res exchange(HttpRequest.Builder req) {
        try {
            HttpResponse<String> res = HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            JsonNode node = res.body() == null || res.body().isBlank() ? json.nullNode() : parse(res.body());
            return new Res(res.statusCode(), node, res.body(), res.headers().map());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (RuntimeException notJson) {
            return json.getNodeFactory().textNode(text);
        }
    }

    /** A response: status, parsed JSON body (or a text node), raw text and headers. */
    public record Res(int status, JsonNode body, String text, Map<String, java.util.List<String>> headers) {

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }

        public String str(String pointer) {
            JsonNode node = body.at(pointer);
            return node.isMissingNode() || node.isNull() ? null : node.asString();
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }
}
