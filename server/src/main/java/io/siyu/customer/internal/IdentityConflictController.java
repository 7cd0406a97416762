package io.siyu.customer.internal;

import static io.siyu.customer.internal.Tables.X;

import io.siyu.customer.IdentityType;
import io.siyu.platform.BrandClock;
import io.siyu.platform.Cursors;
import io.siyu.platform.FieldProblem;
import io.siyu.platform.Page;
import io.siyu.platform.SiyuException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.Condition;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Refused links and merges, for an operator to review, and the configured identity types. */
@RestController
@Tag(name = "Identity conflicts", description = "Links and merges refused by identity limits, for review")
class IdentityConflictController {

    private static final Set<String> STATUSES = Set.of("open", "dismissed", "resolved");

    private final ConflictStore conflicts;
    private final CustomerService service;
    private final BrandClock clock;

    IdentityConflictController(ConflictStore conflicts, CustomerService service, BrandClock clock) {
        this.conflicts = conflicts;
        this.service = service;
        this.clock = clock;
    }

    /** A conflict as the API shows it; the value is masked. */
    record ConflictView(String id, String status, String reason, List<String> customerIds, String type, String appId,
            String maskedValue, String actor, String requestId, OffsetDateTime createdAt, OffsetDateTime closedAt,
            String closedBy) {
    }

    @GetMapping("/api/v1/identity-conflicts")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "List identity conflicts", description = "Newest first; status open (default), dismissed, "
            + "resolved.")
    Page<ConflictView> list(@RequestParam(defaultValue = "open") String status, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        if (!STATUSES.contains(status)) {
            throw SiyuException.invalid(List.of(FieldProblem.of("status", "invalid-parameter", "status", status)));
        }
        int n = Cursors.limit(limit);
        Condition where = X.STATUS.eq(status);
        if (cursor != null) {
            where = where.and(X.ID.lt(Cursors.decodeLong(cursor, "-id")));
        }
        List<ConflictStore.ConflictRow> rows = conflicts.page(where, n + 1);
        String next = null;
        if (rows.size() > n) {
            rows = rows.subList(0, n);
            next = Cursors.encode("-id", List.of(String.valueOf(rows.getLast().id())));
        }
        return new Page<>(rows.stream().map(this::view).toList(), next);
    }

    @PostMapping("/api/v1/identity-conflicts/{id}/dismiss")
    @PreAuthorize("hasAuthority('customer:merge')")
    @Operation(summary = "Dismiss a conflict: the customers stay apart")
    ConflictView dismiss(@PathVariable String id) {
        return close(id, "dismissed");
    }

    @PostMapping("/api/v1/identity-conflicts/{id}/resolve")
    @PreAuthorize("hasAuthority('customer:merge')")
    @Operation(summary = "Mark a conflict resolved (after fixing identities or merging by hand)")
    ConflictView resolve(@PathVariable String id) {
        return close(id, "resolved");
    }

    private ConflictView close(String id, String status) {
        long conflictId = CustomerController.parseIdOr404(id, "conflict-not-found");
        service.closeConflict(conflictId, status);
        return view(conflicts.find(conflictId).orElseThrow());
    }

    /** An identity type as the API shows it. */
    record TypeView(String name, int maxPerCustomer, int priority, boolean pii, boolean perApp, String format) {
    }

    @GetMapping("/api/v1/identity-types")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "The configured identity types", description = "maxPerCustomer 0 means unlimited.")
    Map<String, List<TypeView>> types() {
        return Map.of("items", service.identityTypes().stream().map(IdentityConflictController::typeView).toList());
    }

    private static TypeView typeView(IdentityType t) {
        return new TypeView(t.name(), t.maxPerCustomer(), t.priority(), t.pii(), t.perApp(),
                t.format().name().toLowerCase(java.util.Locale.ROOT));
    }

    private ConflictView view(ConflictStore.ConflictRow r) {
        return new ConflictView(String.valueOf(r.id()), r.status(), r.reason(),
                r.customerIds().stream().map(String::valueOf).toList(), r.type(), r.appId(), r.maskedValue(), r.actor(),
                r.requestId(), clock.local(r.createdAt()), clock.local(r.closedAt()), r.closedBy());
    }
}
