package io.siyu.tag.internal;

import io.siyu.compliance.AuditLog;
import io.siyu.customer.Customers;
import io.siyu.platform.BrandClock;
import io.siyu.platform.Cursors;
import io.siyu.platform.FieldProblem;
import io.siyu.platform.Page;
import io.siyu.platform.SiyuException;
import io.siyu.tag.TagSource;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Tag groups, tags, and the tags of customers. */
@RestController
@Tag(name = "Tags", description = "Tag groups, tags and their assignment to customers")
class TagController {

    private static final Pattern COLOUR = Pattern.compile("#[0-9A-Fa-f]{6}");
    private static final String DEFAULT_COLOUR = "#1677FF";
    private static final int BULK_MAX = 10_000;

    private final TagStore store;
    private final TagService service;
    private final Customers customers;
    private final AuditLog audit;
    private final BrandClock clock;

    TagController(TagStore store, TagService service, Customers customers, AuditLog audit, BrandClock clock) {
        this.store = store;
        this.service = service;
        this.customers = customers;
        this.audit = audit;
        this.clock = clock;
    }

    /** A tag as the API shows it. */
    record TagView(String id, String groupId, String name, String colour, String description, int sortOrder,
            Integer defaultTtlDays, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    }

    /** A group with its tags. */
    record GroupView(String id, String name, String description, int sortOrder, boolean exclusive, List<TagView> tags,
            OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    }

    private TagView view(TagStore.TagRow t) {
        return new TagView(String.valueOf(t.id()), String.valueOf(t.groupId()), t.name(), t.colour(), t.description(),
                t.sortOrder(), t.ttlDays(), clock.local(t.createdAt()), clock.local(t.updatedAt()));
    }

    private GroupView view(TagStore.Group g, List<TagStore.TagRow> tags) {
        return new GroupView(String.valueOf(g.id()), g.name(), g.description(), g.sortOrder(), g.exclusive(),
                tags.stream().filter(t -> t.groupId() == g.id()).map(this::view).toList(), clock.local(g.createdAt()),
                clock.local(g.updatedAt()));
    }

    @GetMapping("/api/v1/tag-groups")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "All tag groups with their tags")
    Map<String, List<GroupView>> groups() {
        List<TagStore.TagRow> tags = store.tags();
        return Map.of("items", store.groups().stream().map(g -> view(g, tags)).toList());
    }

    @PostMapping("/api/v1/tag-groups")
    @PreAuthorize("hasAuthority('schema:write')")
    @Transactional
    @Operation(summary = "Create a tag group", description = "Body: {name, description?, sortOrder?, exclusive?}. "
            + "In an exclusive group a customer holds at most one tag; a new one replaces the old.")
    ResponseEntity<GroupView> createGroup(@RequestBody JsonNode json) {
        Body body = Body.of(json, Set.of("name", "description", "sortOrder", "exclusive"));
        String name = body.required("name", 100);
        String description = body.text("description", 500).orElse(null);
        int order = body.integer("sortOrder", 0, 100_000).orElse(0);
        boolean exclusive = body.bool("exclusive").orElse(false);
        body.check();
        long id = insertUnique(() -> store.insertGroup(name, description, order, exclusive, clock.now()),
                "tag-group-exists", name);
        audit.record("tag-group.create", "tag-group", String.valueOf(id), Map.of("name", name));
        return ResponseEntity.created(URI.create("/api/v1/tag-groups/" + id)).body(view(group(id), List.of()));
    }

    @PatchMapping(path = "/api/v1/tag-groups/{id}", consumes = {"application/merge-patch+json", "application/json"})
    @PreAuthorize("hasAuthority('schema:write')")
    @Transactional
    @Operation(summary = "Change a tag group")
    GroupView patchGroup(@PathVariable String id, @RequestBody JsonNode json) {
        TagStore.Group g = group(parse(id, "tag-group-not-found"));
        Body body = Body.of(json, Set.of("name", "description", "sortOrder", "exclusive"));
        String name = body.has("name") ? body.required("name", 100) : g.name();
        String description = body.has("description") ? body.text("description", 500).orElse(null) : g.description();
        int order = body.integer("sortOrder", 0, 100_000).orElse(g.sortOrder());
        boolean exclusive = body.bool("exclusive").orElse(g.exclusive());
        body.check();
        TagStore.Group next = new TagStore.Group(g.id(), name, description, order, exclusive, g.createdAt(), clock.now());
        insertUnique(() -> {
            store.updateGroup(next);
            return next.id();
        }, "tag-group-exists", name);
        audit.record("tag-group.update", "tag-group", id, Map.of());
        return view(next, store.tags());
    }

    @DeleteMapping("/api/v1/tag-groups/{id}")
    @PreAuthorize("hasAuthority('schema:write')")
    @Transactional
    @Operation(summary = "Delete an empty tag group")
    ResponseEntity<Void> deleteGroup(@PathVariable String id) {
        TagStore.Group g = group(parse(id, "tag-group-not-found"));
        if (store.groupHasTags(g.id())) {
            throw SiyuException.conflict("tag-group-not-empty", g.name());
        }
        store.deleteGroup(g.id());
        audit.record("tag-group.delete", "tag-group", id, Map.of("name", g.name()));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/api/v1/tags")
    @PreAuthorize("hasAuthority('schema:write')")
    @Transactional
    @Operation(summary = "Create a tag", description = "Body: {groupId, name, colour? (#RRGGBB), description?, "
            + "sortOrder?, defaultTtlDays? (assignments expire after so many days unless given an expiry)}")
    ResponseEntity<TagView> createTag(@RequestBody JsonNode json) {
        Body body = Body.of(json, Set.of("groupId", "name", "colour", "description", "sortOrder", "defaultTtlDays"));
        long groupId = body.id("groupId");
        String name = body.required("name", 100);
        String colour = colour(body, DEFAULT_COLOUR);
        String description = body.text("description", 500).orElse(null);
        int order = body.integer("sortOrder", 0, 100_000).orElse(0);
        Integer ttl = body.integer("defaultTtlDays", 1, 3650).orElse(null);
        body.check();
        group(groupId);
        long id = insertUnique(() -> store.insertTag(groupId, name, colour, description, order, ttl, clock.now()),
                "tag-exists", name);
        audit.record("tag.create", "tag", String.valueOf(id), Map.of("name", name));
        return ResponseEntity.created(URI.create("/api/v1/tags/" + id)).body(view(tag(id)));
    }

    /** A tag with how many customers hold it. */
    record TagDetail(TagView tag, int holders) {
    }

    @GetMapping("/api/v1/tags/{id}")
    @PreAuthorize("hasAuthority('customer:read')")
    TagDetail getTag(@PathVariable String id) {
        TagStore.TagRow t = tag(parse(id, "tag-not-found"));
        return new TagDetail(view(t), store.holders(t.id()));
    }

    @PatchMapping(path = "/api/v1/tags/{id}", consumes = {"application/merge-patch+json", "application/json"})
    @PreAuthorize("hasAuthority('schema:write')")
    @Transactional
    @Operation(summary = "Change a tag's name, colour, description, order or default lifetime")
    TagView patchTag(@PathVariable String id, @RequestBody JsonNode json) {
        TagStore.TagRow t = tag(parse(id, "tag-not-found"));
        Body body = Body.of(json, Set.of("name", "colour", "description", "sortOrder", "defaultTtlDays"));
        String name = body.has("name") ? body.required("name", 100) : t.name();
        String colour = colour(body, t.colour());
        String description = body.has("description") ? body.text("description", 500).orElse(null) : t.description();
        int order = body.integer("sortOrder", 0, 100_000).orElse(t.sortOrder());
        Integer ttl = body.has("defaultTtlDays") ? body.integer("defaultTtlDays", 1, 3650).orElse(null) : t.ttlDays();
        body.check();
        TagStore.TagRow next = new TagStore.TagRow(t.id(), t.groupId(), name, colour, description, order, ttl,
                t.createdAt(), clock.now());
        insertUnique(() -> {
            store.updateTag(next);
            return next.id();
        }, "tag-exists", name);
        audit.record("tag.update", "tag", id, Map.of());
        return view(next);
    }

    @DeleteMapping("/api/v1/tags/{id}")
    @PreAuthorize("hasAuthority('schema:write')")
    @Transactional
    @Operation(summary = "Delete a tag nobody holds", description = "409 tag-in-use while customers hold it, tag-has-rules while a tag rule gives it.")
    ResponseEntity<Void> deleteTag(@PathVariable String id) {
        TagStore.TagRow t = tag(parse(id, "tag-not-found"));
        int holders = store.holders(t.id());
        if (holders > 0) {
            throw SiyuException.conflict("tag-in-use", t.name(), holders);
        }
        if (store.hasRules(t.id())) {
            throw SiyuException.conflict("tag-has-rules", t.name());
        }
        store.deleteTag(t.id());
        audit.record("tag.delete", "tag", id, Map.of("name", t.name()));
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/api/v1/tags/{id}/customers")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "Ids of the customers holding a tag (cursor-paged)")
    Page<String> holders(@PathVariable String id, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        TagStore.TagRow t = tag(parse(id, "tag-not-found"));
        int n = Cursors.limit(limit);
        long after = cursor == null ? 0 : Cursors.decodeLong(cursor, "customerId");
        return Cursors.idPage(store.holdersPage(t.id(), after, n + 1), n, "customerId");
    }

    @PostMapping("/api/v1/tags/{id}/assign")
    @PreAuthorize("hasAuthority('customer:write')")
    @Operation(summary = "Give a tag to many customers", description = "Body: {customerIds: [...] (at most 10,000), "
            + "expiresAt?}. Ids of merged customers count for their survivor; unknown ids are listed in notFound.")
    TagService.BulkResult assign(@PathVariable String id, @RequestBody JsonNode json) {
        TagStore.TagRow t = tag(parse(id, "tag-not-found"));
        Body body = Body.of(json, Set.of("customerIds", "expiresAt"));
        List<Long> requested = body.ids("customerIds", BULK_MAX);
        OffsetDateTime expiresAt = body.time("expiresAt").orElse(null);
        body.check();
        Map<Long, Long> active = customers.resolveActiveIds(requested);
        List<String> notFound = requested.stream().filter(c -> !active.containsKey(c)).distinct().map(String::valueOf)
                .toList();
        List<Long> resolved = requested.stream().filter(active::containsKey).map(active::get).distinct().toList();
        TagService.BulkResult result = service.assignAll(t.id(), resolved, expiresAt, notFound);
        audit.record("tag.assign", "tag", id, Map.of("customers", resolved.size(), "added", result.changed()));
        return result;
    }

    @PostMapping("/api/v1/tags/{id}/unassign")
    @PreAuthorize("hasAuthority('customer:write')")
    @Operation(summary = "Take a tag away from many customers", description = "Body: {customerIds: [...]}")
    TagService.BulkResult unassign(@PathVariable String id, @RequestBody JsonNode json) {
        TagStore.TagRow t = tag(parse(id, "tag-not-found"));
        Body body = Body.of(json, Set.of("customerIds"));
        List<Long> requested = body.ids("customerIds", BULK_MAX);
        body.check();
        Map<Long, Long> active = customers.resolveActiveIds(requested);
        List<Long> resolved = requested.stream().filter(active::containsKey).map(active::get).distinct().toList();
        TagService.BulkResult result = service.removeAll(t.id(), resolved);
        audit.record("tag.unassign", "tag", id, Map.of("customers", resolved.size(), "removed", result.changed()));
        return result;
    }

    /** One tag a customer holds. */
    record HeldTag(String tagId, String name, String colour, String groupId, String group, String source,
            OffsetDateTime assignedAt, String assignedBy, OffsetDateTime expiresAt) {
    }

    @GetMapping("/api/v1/customers/{id}/tags")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "The tags a customer holds")
    Map<String, List<HeldTag>> customerTags(@PathVariable String id) {
        return Map.of("items", held(customer(id)));
    }

    private List<HeldTag> held(long customerId) {
        Map<Long, TagStore.TagRow> tags = store.tags().stream().collect(Collectors.toMap(TagStore.TagRow::id, t -> t));
        Map<Long, TagStore.Group> groups = store.groups().stream().collect(Collectors.toMap(TagStore.Group::id, g -> g));
        return store.assignments(customerId).stream().map(a -> {
            TagStore.TagRow t = tags.get(a.tagId());
            TagStore.Group g = groups.get(t.groupId());
            return new HeldTag(String.valueOf(t.id()), t.name(), t.colour(), String.valueOf(g.id()), g.name(), a.source(),
                    clock.local(a.assignedAt()), a.assignedBy(), clock.local(a.expiresAt()));
        }).sorted(Comparator.comparing(HeldTag::group).thenComparing(HeldTag::name)).toList();
    }

    @PostMapping("/api/v1/customers/{id}/tags")
    @PreAuthorize("hasAuthority('customer:write')")
    @Operation(summary = "Give a customer a tag", description = "Body: {tagId, expiresAt?}. Answers the customer's tags.")
    Map<String, List<HeldTag>> tagCustomer(@PathVariable String id, @RequestBody JsonNode json) {
        long customerId = customer(id);
        Body body = Body.of(json, Set.of("tagId", "expiresAt"));
        long tagId = body.id("tagId");
        OffsetDateTime expiresAt = body.time("expiresAt").orElse(null);
        body.check();
        tag(tagId);
        service.assign(customerId, tagId, TagSource.MANUAL, expiresAt);
        return Map.of("items", held(customerId));
    }

    @DeleteMapping("/api/v1/customers/{id}/tags/{tagId}")
    @PreAuthorize("hasAuthority('customer:write')")
    @Operation(summary = "Take a tag away from a customer")
    ResponseEntity<Void> untagCustomer(@PathVariable String id, @PathVariable String tagId) {
        long customerId = customer(id);
        long tag = tag(parse(tagId, "tag-not-found")).id();
        if (!service.remove(customerId, tag, TagSource.MANUAL)) {
            throw SiyuException.notFound("tag-not-held", tagId);
        }
        return ResponseEntity.noContent().build();
    }

    /** One change of a customer's tags. */
    record ChangeView(String id, String tagId, String tag, String kind, String source, String actor, OffsetDateTime at) {
    }

    @GetMapping("/api/v1/customers/{id}/tag-history")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "Every change of a customer's tags, newest first (cursor-paged)")
    Page<ChangeView> history(@PathVariable String id, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        long customerId = customer(id);
        int n = Cursors.limit(limit);
        long before = cursor == null ? Long.MAX_VALUE : Cursors.decodeLong(cursor, "-id");
        Map<Long, String> names = store.tags().stream().collect(Collectors.toMap(TagStore.TagRow::id, TagStore.TagRow::name));
        List<TagStore.Change> rows = store.history(customerId, before, n + 1);
        String next = null;
        if (rows.size() > n) {
            rows = rows.subList(0, n);
            next = Cursors.encode("-id", List.of(String.valueOf(rows.getLast().id())));
        }
        return new Page<>(rows.stream().map(c -> new ChangeView(String.valueOf(c.id()), String.valueOf(c.tagId()),
                names.get(c.tagId()), c.kind(), c.source(), c.actor(), clock.local(c.at()))).toList(), next);
    }

    private static String colour(Body body, String fallback) {
        var colour = body.text("colour", 7);
        if (colour.isPresent() && !COLOUR.matcher(colour.get()).matches()) {
            body.problem(FieldProblem.of("/colour", "invalid-colour", colour.get()));
        }
        return colour.orElse(fallback);
    }

    private long insertUnique(java.util.function.LongSupplier write, String code, String name) {
        try {
            return write.getAsLong();
        } catch (org.springframework.dao.DuplicateKeyException e) {
            throw SiyuException.conflict(code, name);
        }
    }

    private TagStore.Group group(long id) {
        return store.group(id).orElseThrow(() -> SiyuException.notFound("tag-group-not-found", String.valueOf(id)));
    }

    private TagStore.TagRow tag(long id) {
        return store.tag(id).orElseThrow(() -> SiyuException.notFound("tag-not-found", String.valueOf(id)));
    }

    private long customer(String id) {
        long requested = parse(id, "customer-not-found");
        long resolved = customers.resolveId(requested)
                .orElseThrow(() -> SiyuException.notFound("customer-not-found", id));
        if (!customers.resolveActiveIds(List.of(requested)).containsKey(requested)) {
            throw SiyuException.conflict("customer-not-active", id, "erased");
        }
        return resolved;
    }

    private static long parse(String id, String code) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw SiyuException.notFound(code, id);
        }
    }
}
