package io.siyu.compliance.internal;

import io.siyu.platform.Cursors;
import io.siyu.platform.Page;
import io.siyu.platform.SiyuException;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reading and verifying the audit log, for holders of {@code audit:read}. Reading it is
 * deliberately not audited itself: that would make every look at the log grow it.
 */
@RestController
@RequestMapping("/api/v1/audit-log")
@PreAuthorize("hasAuthority('audit:read')")
class AuditLogController {

    private static final String SORT = "-id";

    /** One audit entry as the API shows it; times in the brand's time zone. */
    record AuditEntryView(String id, OffsetDateTime occurredAt, String actor, String action, String targetType,
            String targetId, String requestId, JsonNode details, String prevHash, String hash) {
    }

    private final AuditStore store;
    private final AuditVerifier verifier;
    private final ObjectMapper json;
    private final ZoneId zone;

    AuditLogController(AuditStore store, AuditVerifier verifier, ObjectMapper json,
            @Value("${siyu.time-zone:Asia/Shanghai}") ZoneId zone) {
        this.store = store;
        this.verifier = verifier;
        this.json = json;
        this.zone = zone;
    }

    @GetMapping
    public Page<AuditEntryView> list(@RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) String action,
            @RequestParam(required = false) String actor,
            @RequestParam(required = false) String targetType,
            @RequestParam(required = false) String targetId,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime to) {
        int size = Cursors.limit(limit);
        if (from != null && to != null && from.isAfter(to)) {
            throw SiyuException.badRequest("invalid-time-range", from.toString(), to.toString());
        }
        Long beforeId = cursor == null ? null : cursorId(cursor);
        var filter = new AuditStore.Filter(blankToNull(action), blankToNull(actor), blankToNull(targetType),
                blankToNull(targetId), from, to);
        List<AuditEntry> rows = store.page(filter, beforeId, size + 1);
        boolean more = rows.size() > size;
        List<AuditEntryView> items = new ArrayList<>();
        for (AuditEntry row : more ? rows.subList(0, size) : rows) {
            items.add(view(row));
        }
        String next = more ? Cursors.encode(SORT, List.of(items.getLast().id())) : null;
        return new Page<>(items, next);
    }

    @GetMapping("/verify")
    public AuditVerification verify(Locale locale) {
        return verifier.verify(locale);
    }

    private static Long cursorId(String cursor) {
        try {
            return Long.parseLong(Cursors.decode(cursor, SORT, 1).getFirst());
        } catch (NumberFormatException e) {
            throw SiyuException.badRequest("invalid-cursor");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private AuditEntryView view(AuditEntry e) {
        return new AuditEntryView(String.valueOf(e.id()), e.occurredAt().atZoneSameInstant(zone).toOffsetDateTime(),
                e.actor(), e.action(), e.targetType(), e.targetId(), e.requestId(), json.readTree(e.details()),
                e.prevHash(), e.hash());
    }
}
