package io.siyu.event.internal.tracking;

import io.siyu.platform.ProblemRenderer;
import io.siyu.platform.SiyuException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Segment's HTTP tracking API. Every call answers only after its events committed. A single call
 * whose message is rejected answers 400 with the problem; a batch stores its valid messages (together,
 * see {@link TrackingIngest}) and answers 200 {@code {"success": true}}, listing rejected messages under
 * {@code rejected} by index, code and message — Segment's clients read only {@code success}, and
 * a 4xx would make some of them drop or re-send the whole batch. A repeated message id is
 * acknowledged and not stored again.
 */
@RestController
@Tag(name = "Tracking", description = "Segment-compatible tracking API, authenticated by write key")
class TrackingController {

    private static final Map<String, Object> SUCCESS = Map.of("success", true);

    private final TrackingIngest ingest;
    private final TrackingBatches batches;
    private final TrackingMetrics metrics;
    private final ProblemRenderer problems;
    private final MessageMapper mapper;

    TrackingController(TrackingIngest ingest, TrackingBatches batches, TrackingMetrics metrics,
            ProblemRenderer problems) {
        this.ingest = ingest;
        this.batches = batches;
        this.metrics = metrics;
        this.problems = problems;
        this.mapper = batches.mapper();
    }

    @PostMapping({"/v1/identify", "/v1/i"})
    @Operation(summary = "Identify a user and set profile traits")
    Map<String, Object> identify(HttpServletRequest request) {
        return single(request, "identify");
    }

    @PostMapping({"/v1/track", "/v1/t"})
    @Operation(summary = "Record an action (e-commerce events Order Completed / Order Refunded update orders)")
    Map<String, Object> track(HttpServletRequest request) {
        return single(request, "track");
    }

    @PostMapping({"/v1/page", "/v1/p"})
    @Operation(summary = "Record a page view")
    Map<String, Object> page(HttpServletRequest request) {
        return single(request, "page");
    }

    @PostMapping({"/v1/screen", "/v1/s"})
    @Operation(summary = "Record an app screen view")
    Map<String, Object> screen(HttpServletRequest request) {
        return single(request, "screen");
    }

    @PostMapping({"/v1/group", "/v1/g"})
    @Operation(summary = "Associate a user with a group")
    Map<String, Object> group(HttpServletRequest request) {
        return single(request, "group");
    }

    @PostMapping({"/v1/alias", "/v1/a"})
    @Operation(summary = "Link a previous id to a user id (may merge customers)")
    Map<String, Object> alias(HttpServletRequest request) {
        return single(request, "alias");
    }

    @PostMapping({"/v1/batch", "/v1/batch/", "/v1/import", "/v1/import/"})
    @Operation(summary = "Send many messages at once (at most 500 KB, 32 KB each)")
    Map<String, Object> batch(HttpServletRequest request) {
        TrackingRequest call = TrackingRequest.of(request);
        Map<Integer, SiyuException> refused = new TreeMap<>();
        try {
            batches.batch(call.key(), call.body(), call.receivedAt(), refused);
        } catch (SiyuException e) {
            throw reject(e);
        }
        List<Map<String, Object>> rejected = new ArrayList<>();
        refused.forEach((i, e) -> {
            metrics.rejected(e.code());
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("index", i);
            item.put("code", e.code());
            item.put("message", problems.message(e.code(), e.args(), problems.currentLocale()));
            rejected.add(item);
        });
        if (rejected.isEmpty()) {
            return SUCCESS;
        }
        return Map.of("success", true, "rejected", rejected);
    }

    private Map<String, Object> single(HttpServletRequest request, String type) {
        TrackingRequest call = TrackingRequest.of(request);
        try {
            ingest.ingest(mapper.map(call.body(), type, Envelope.NONE, call.receivedAt()), call.key(), call.receivedAt());
        } catch (SiyuException e) {
            throw reject(e);
        }
        return SUCCESS;
    }

    private SiyuException reject(SiyuException e) {
        metrics.rejected(e.code());
        return e;
    }
}
