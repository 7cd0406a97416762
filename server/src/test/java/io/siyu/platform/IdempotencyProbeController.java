package io.siyu.platform;

import java.net.URI;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * Test-only endpoints that "create" something and count how often they ran, per probe name, so
 * that tests can tell a replayed answer from a second run. Lives in src/test only.
 */
@RestController
@RequestMapping("/api/v1/test-probes")
public class IdempotencyProbeController {

    private static final Map<String, AtomicInteger> INVOCATIONS = new ConcurrentHashMap<>();

    /** How often any probe endpoint ran for {@code name}. */
    public static int invocations(String name) {
        AtomicInteger count = INVOCATIONS.get(name);
        return count == null ? 0 : count.get();
    }

    public record ProbeRequest(String name, Long delayMs) {
    }

    @PostMapping
    ResponseEntity<Map<String, Object>> create(@RequestBody ProbeRequest request) throws InterruptedException {
        int n = count(request.name());
        if (request.delayMs() != null) {
            Thread.sleep(request.delayMs());
        }
        return created(n);
    }

    @PostMapping("/failing")
    ResponseEntity<Map<String, Object>> failing(@RequestBody ProbeRequest request) {
        count(request.name());
        throw new IllegalStateException("probe failure for " + request.name());
    }

    @PostMapping("/async")
    Callable<ResponseEntity<Map<String, Object>>> async(@RequestBody ProbeRequest request) {
        return () -> created(count(request.name()));
    }

    @PostMapping("/uploads")
    ResponseEntity<Map<String, Object>> upload(@RequestParam("name") String name,
            @RequestPart("file") MultipartFile file) {
        if (file.isEmpty()) {
            return ResponseEntity.status(HttpStatus.BAD_REQUEST).build();
        }
        return created(count(name));
    }

    private static int count(String name) {
        return INVOCATIONS.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
    }

    private static ResponseEntity<Map<String, Object>> created(int n) {
        String id = UUID.randomUUID().toString();
        return ResponseEntity.created(URI.create("/api/v1/test-probes/" + id)).body(Map.of("id", id, "n", n));
    }
}
