package io.siyu.staff.internal;

import io.siyu.customer.Customers;
import io.siyu.platform.BrandClock;
import io.siyu.platform.Cursors;
import io.siyu.platform.FieldProblem;
import io.siyu.platform.Page;
import io.siyu.platform.SiyuException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Staff directory and customer ownership API. */
@RestController
@Tag(name = "Staff", description = "Staff members and the customers they own")
class StaffController {

    private final StaffService service;
    private final StaffStore store;
    private final Customers customers;
    private final BrandClock clock;

    StaffController(StaffService service, StaffStore store, Customers customers, BrandClock clock) {
        this.service = service;
        this.store = store;
        this.customers = customers;
        this.clock = clock;
    }

    /** A staff member as the API shows it. */
    record StaffView(String id, String name, String title, String wecomUserId, boolean active, OffsetDateTime createdAt) {
    }

    /** Who owns a customer. */
    record OwnerView(String customerId, String staffId, OffsetDateTime since) {
    }

    private StaffView view(StaffStore.StaffRow r) {
        return new StaffView(String.valueOf(r.id()), r.name(), r.title(), r.wecomUserId(), r.active(),
                clock.local(r.createdAt()));
    }

    @GetMapping("/api/v1/staff")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "List staff members")
    Map<String, List<StaffView>> list() {
        return Map.of("items", store.all().stream().map(this::view).toList());
    }

    @PostMapping("/api/v1/staff")
    @PreAuthorize("hasAuthority('user:admin')")
    @Operation(summary = "Add a staff member", description = "Body: {name, title?, wecomUserId?}")
    ResponseEntity<StaffView> create(@RequestBody JsonNode body) {
        if (body == null || !body.isObject()) {
            throw SiyuException.badRequest("expected-json-object");
        }
        List<FieldProblem> problems = new ArrayList<>();
        for (var e : body.properties()) {
            if (!List.of("name", "title", "wecomUserId").contains(e.getKey())) {
                problems.add(FieldProblem.of("/" + e.getKey(), "unknown-field", e.getKey()));
            } else if (!e.getValue().isNull() && (!e.getValue().isString() || e.getValue().asString().length() > 100)) {
                problems.add(FieldProblem.of("/" + e.getKey(), "invalid-value", e.getValue().toString()));
            }
        }
        String name = body.path("name").isString() ? body.get("name").asString().trim() : "";
        if (name.isEmpty()) {
            problems.add(FieldProblem.of("/name", "missing-field", "name"));
        }
        if (!problems.isEmpty()) {
            throw SiyuException.invalid(problems);
        }
        String wecom = body.path("wecomUserId").isString() ? body.get("wecomUserId").asString() : null;
        try {
            long id = service.add(name, body.path("title").isString() ? body.get("title").asString() : null, wecom);
            return ResponseEntity.created(URI.create("/api/v1/staff/" + id)).body(view(store.find(id).orElseThrow()));
        } catch (org.springframework.dao.DuplicateKeyException e) {
            throw SiyuException.conflict("wecom-userid-taken", wecom);
        }
    }

    @GetMapping("/api/v1/staff/{id}/customers")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "Customers owned by a staff member (ids, cursor-paged)")
    Page<String> customersOf(@PathVariable String id, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        long staffId = staffId(id);
        int n = Cursors.limit(limit);
        long after = cursor == null ? 0 : Cursors.decodeLong(cursor, "customerId");
        return Cursors.idPage(store.customersOf(staffId, after, n + 1), n, "customerId");
    }

    @GetMapping("/api/v1/customers/{id}/owner")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "The staff member owning a customer")
    OwnerView owner(@PathVariable String id) {
        long customerId = customerId(id);
        long staffId = store.owner(customerId).orElseThrow(() -> SiyuException.notFound("owner-not-found", id));
        return new OwnerView(String.valueOf(customerId), String.valueOf(staffId),
                clock.local(store.ownedSince(customerId).orElseThrow()));
    }

    @PutMapping("/api/v1/customers/{id}/owner")
    @PreAuthorize("hasAuthority('customer:write')")
    @Operation(summary = "Assign the owning staff member", description = "Body: {staffId}")
    OwnerView assign(@PathVariable String id, @RequestBody JsonNode body) {
        long customerId = customerId(id);
        String staff = body != null && body.path("staffId").isString() ? body.get("staffId").asString() : null;
        if (staff == null) {
            throw SiyuException.invalid(List.of(FieldProblem.of("/staffId", "missing-field", "staffId")));
        }
        long staffId = staffId(staff);
        service.assignOwner(customerId, staffId, clock.now());
        return owner(String.valueOf(customerId));
    }

    private long customerId(String id) {
        try {
            long requested = Long.parseLong(id);
            return customers.resolveId(requested).orElseThrow(() -> SiyuException.notFound("customer-not-found", id));
        } catch (NumberFormatException e) {
            throw SiyuException.notFound("customer-not-found", id);
        }
    }

    private long staffId(String id) {
        try {
            long staffId = Long.parseLong(id);
            store.find(staffId).orElseThrow(() -> SiyuException.notFound("staff-not-found", id));
            return staffId;
        } catch (NumberFormatException e) {
            throw SiyuException.notFound("staff-not-found", id);
        }
    }
}
