package io.siyu.customer.internal;

import io.siyu.customer.IdentityInput;
import io.siyu.customer.Resolution;
import io.siyu.platform.FieldProblem;
import io.siyu.platform.Page;
import io.siyu.platform.SiyuException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** The customers API: list, 360 view, create, identify, patch, erase, identities, merge. */
@RestController
@RequestMapping("/api/v1/customers")
@Tag(name = "Customers", description = "Customer profiles, identities, identity resolution and merges")
class CustomerController {

    private static final Set<String> CREATE_EXTRA = Set.of("identities", "attributes");

    private final CustomerService service;
    private final CustomerStore store;
    private final CustomerViews views;
    private final CustomerQuery query;
    private final AttributeSchema schema;
    private final MergeStore merges;

    CustomerController(CustomerService service, CustomerStore store, CustomerViews views, CustomerQuery query,
            AttributeSchema schema, MergeStore merges) {
        this.service = service;
        this.store = store;
        this.views = views;
        this.query = query;
        this.schema = schema;
        this.merges = merges;
    }

    @GetMapping
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "List customers", description = "Cursor-paged. Filters: status, createdFrom/createdTo, "
            + "updatedFrom/updatedTo, source, identityType+identityValue(+appId), attr.NAME=value, "
            + "attr.NAME.gt|gte|lt|lte=value, attr.NAME.exists=true|false. Sort: -createdAt (default), createdAt, "
            + "updatedAt, -updatedAt.")
    Page<CustomerView> list(@RequestParam MultiValueMap<String, String> params) {
        Page<CustomerRow> page = query.run(params);
        return new Page<>(views.list(page.items()), page.nextCursor());
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "The 360 view of a customer", description = "A merged id answers with its survivor "
            + "(resolvedFrom names the id asked for). An erased customer answers with its anonymised tombstone.")
    CustomerView get(@PathVariable String id) {
        long requested = parseId(id);
        CustomerRow row = store.find(requested).orElseThrow(() -> notFound(id));
        if (row.mergedInto() != null) {
            row = store.find(row.mergedInto()).orElseThrow(() -> notFound(id));
        }
        return views.detail(row, requested);
    }

    @GetMapping("/lookup")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "Find the customer holding an identity")
    CustomerView lookup(@RequestParam String type, @RequestParam String value,
            @RequestParam(required = false) String appId) {
        long id = service.lookup(new IdentityInput(type, value, appId))
                .orElseThrow(() -> SiyuException.notFound("identity-not-found", type));
        return views.detail(store.find(id).orElseThrow(), id);
    }

    @PostMapping
    @PreAuthorize("hasAuthority('customer:write')")
    @Operation(summary = "Create a customer", description = "All identities must be new (409 identity-taken "
            + "otherwise; use identify to link to an existing customer).")
    ResponseEntity<CustomerView> create(@RequestBody JsonNode body) {
        RequestBodies.object(body);
        List<IdentityInput> identities = RequestBodies.identities(body.get("identities"), "/identities", false);
        Map<String, Object> profile = ProfileFields.fromJson(body, CREATE_EXTRA, service.todayInBrandZone());
        List<AttributeSchema.Change> attrs = schema.changes(body.get("attributes"), "/attributes");
        long id = service.create(identities, profile, attrs);
        CustomerView view = views.detail(store.find(id).orElseThrow(), id);
        return ResponseEntity.created(URI.create("/api/v1/customers/" + id)).body(view);
    }

    /** The answer to an identification. */
    record IdentifyResponse(String customerId, boolean created, List<String> mergedCustomerIds,
            List<ConflictView> conflicts, List<Resolution.Ignored> ignored) {
    }

    record ConflictView(String id, String reason, String type, List<String> customerIds) {
    }

    @PostMapping("/identify")
    @PreAuthorize("hasAuthority('customer:write')")
    @Operation(summary = "Resolve identities to one customer", description = "Links the identities to one "
            + "customer, creating it or merging the customers they point to (oldest survives). Merges that would "
            + "break a per-type limit are refused and recorded as identity conflicts. Profile fields and "
            + "attributes in the body are written to the resolved customer.")
    IdentifyResponse identify(@RequestBody JsonNode body) {
        RequestBodies.object(body);
        List<IdentityInput> identities = RequestBodies.identities(body.get("identities"), "/identities", true);
        Map<String, Object> profile = ProfileFields.fromJson(body, CREATE_EXTRA, service.todayInBrandZone());
        profile.values().removeIf(java.util.Objects::isNull);
        List<AttributeSchema.Change> attrs = schema.changes(body.get("attributes"), "/attributes");
        Resolution r = service.identify(identities, profile, attrs, "/identities", null);
        return new IdentifyResponse(String.valueOf(r.customerId()), r.created(),
                r.mergedCustomerIds().stream().map(String::valueOf).toList(),
                r.conflicts().stream().map(c -> new ConflictView(String.valueOf(c.conflictId()), c.reason(), c.type(),
                        c.customerIds().stream().map(String::valueOf).toList())).toList(),
                r.ignored());
    }

    @PatchMapping(path = "/{id}", consumes = {"application/merge-patch+json", "application/json"})
    @PreAuthorize("hasAuthority('customer:write')")
    @Operation(summary = "Change a customer (JSON Merge Patch)", description = "Profile fields and attributes; "
            + "null clears a field or removes an attribute. Identities change through /identities.")
    CustomerView patch(@PathVariable String id, @RequestBody JsonNode body) {
        long customerId = parseId(id);
        RequestBodies.object(body);
        Map<String, Object> profile = ProfileFields.fromJson(body, Set.of("attributes"), service.todayInBrandZone());
        List<AttributeSchema.Change> attrs = schema.changes(body.get("attributes"), "/attributes");
        CustomerRow row = service.patch(customerId, profile, attrs);
        return views.detail(row, customerId);
    }

    @DeleteMapping("/{id}")
    @PreAuthorize("hasAuthority('customer:delete')")
    @Operation(summary = "Erase a customer", description = "Removes personal data, identities and attributes; "
            + "keeps an anonymised tombstone (id, dates, first channel).")
    ResponseEntity<Void> erase(@PathVariable String id) {
        service.erase(parseId(id));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}/identities")
    @PreAuthorize("hasAuthority('customer:write')")
    @Operation(summary = "Add an identity to a customer")
    CustomerView addIdentity(@PathVariable String id, @RequestBody JsonNode body) {
        long customerId = parseId(id);
        RequestBodies.object(body);
        IdentityInput input = RequestBodies.identities(wrap(body), "", true).getFirst();
        service.addIdentity(customerId, input);
        return views.detail(store.find(customerId).orElseThrow(), customerId);
    }

    private static JsonNode wrap(JsonNode body) {
        return tools.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add(body);
    }

    @DeleteMapping("/{id}/identities/{identityId}")
    @PreAuthorize("hasAuthority('customer:write')")
    @Operation(summary = "Remove an identity from a customer")
    ResponseEntity<Void> removeIdentity(@PathVariable String id, @PathVariable String identityId) {
        service.removeIdentity(parseId(id), parseIdOr404(identityId, "identity-not-found"));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}/merge")
    @PreAuthorize("hasAuthority('customer:merge')")
    @Operation(summary = "Merge another customer with this one", description = "Body: {\"otherCustomerId\", "
            + "\"reason\"}. The older customer survives. A merge that would break a per-type identity limit is "
            + "refused with 409 merge-conflict and recorded as an identity conflict.")
    CustomerView merge(@PathVariable String id, @RequestBody JsonNode body) {
        long customerId = parseId(id);
        RequestBodies.object(body);
        List<FieldProblem> problems = new java.util.ArrayList<>();
        String other = RequestBodies.text(body, "otherCustomerId", "", problems);
        if (!problems.isEmpty()) {
            throw SiyuException.invalid(problems);
        }
        if (other == null) {
            throw SiyuException.invalid(List.of(FieldProblem.of("/otherCustomerId", "missing-field", "otherCustomerId")));
        }
        String reason = RequestBodies.optionalText(body, "reason", 500);
        for (Map.Entry<String, JsonNode> e : body.properties()) {
            if (!Set.of("otherCustomerId", "reason").contains(e.getKey())) {
                throw SiyuException.invalid(List.of(FieldProblem.of("/" + e.getKey(), "unknown-field", e.getKey())));
            }
        }
        long otherId = parseIdOr404(other, "customer-not-found");
        return switch (service.merge(customerId, otherId, reason)) {
            case CustomerService.Merged m -> views.detail(store.find(m.survivorId()).orElseThrow(), m.survivorId());
            case CustomerService.Refused r -> throw SiyuException.conflict("merge-conflict", r.type())
                    .withProperty("conflictId", String.valueOf(r.conflictId()))
                    .withProperty("customerIds", r.customerIds().stream().map(String::valueOf).toList());
        };
    }

    @GetMapping("/{id}/merge-history")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "Every merge that formed this customer")
    List<CustomerView.MergeView> mergeHistory(@PathVariable String id) {
        long customerId = parseId(id);
        CustomerRow row = store.find(customerId).orElseThrow(() -> notFound(id));
        long survivor = row.mergedInto() != null ? row.mergedInto() : row.id();
        List<Long> involved = new java.util.ArrayList<>(store.mergedInto(survivor));
        involved.add(survivor);
        return merges.involving(involved).stream().map(views::mergeView).toList();
    }

    static long parseId(String id) {
        return parseIdOr404(id, "customer-not-found");
    }

    static long parseIdOr404(String id, String code) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw SiyuException.notFound(code, id);
        }
    }

    private static SiyuException notFound(String id) {
        return SiyuException.notFound("customer-not-found", id);
    }
}
