package io.siyu.tag.internal;

import io.siyu.compliance.AuditLog;
import io.siyu.customer.Customers;
import io.siyu.customer.CustomerListCsv;
import io.siyu.platform.Actors;
import io.siyu.platform.BrandClock;
import io.siyu.platform.FieldProblem;
import io.siyu.platform.Job;
import io.siyu.platform.Jobs;
import io.siyu.platform.SiyuException;
import io.siyu.segment.Rule;
import io.siyu.segment.SegmentRules;
import io.siyu.tag.TagSource;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.roaringbitmap.RoaringBitmap;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Rule-based tagging, and giving a tag to a whole segment or to a CSV list of customers. */
@RestController
@Tag(name = "Tags", description = "Tag groups, tags and their assignment to customers")
class TagRuleController {

    private static final int CSV_MAX_ROWS = 100_000;

    private final TagRules tagRules;
    private final TagStore store;
    private final TagService service;
    private final SegmentRules rules;
    private final Customers customers;
    private final Jobs jobs;
    private final AuditLog audit;
    private final BrandClock clock;
    private final TransactionTemplate tx;
    private final ObjectMapper json;

    TagRuleController(TagRules tagRules, TagStore store, TagService service, SegmentRules rules, Customers customers,
            Jobs jobs, AuditLog audit, BrandClock clock, TransactionTemplate tx, ObjectMapper json) {
        this.tagRules = tagRules;
        this.store = store;
        this.service = service;
        this.rules = rules;
        this.customers = customers;
        this.jobs = jobs;
        this.audit = audit;
        this.clock = clock;
        this.tx = tx;
        this.json = json;
    }

    /** A tag rule as the API shows it. */
    record RuleView(String id, String tagId, String name, Object rule, boolean removeWhenUnmatched, Integer ttlDays,
            boolean active, String createdBy, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    }

    private RuleView view(TagRules.Row r) {
        return new RuleView(String.valueOf(r.id()), String.valueOf(r.tagId()), r.name(), json.readTree(r.ruleJson()),
                r.removeWhenUnmatched(), r.ttlDays(), r.active(), r.createdBy(), clock.local(r.createdAt()),
                clock.local(r.updatedAt()));
    }

    @GetMapping("/api/v1/tag-rules")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "Rules that tag customers automatically")
    Map<String, List<RuleView>> list() {
        return Map.of("items", tagRules.all().stream().map(this::view).toList());
    }

    @GetMapping("/api/v1/tag-rules/{id}")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "One tag rule")
    RuleView get(@PathVariable String id) {
        return view(find(id));
    }

    @PostMapping("/api/v1/tag-rules")
    @PreAuthorize("hasAuthority('schema:write')")
    @Operation(summary = "Tag customers automatically while a rule holds", description = "Body: {name, tagId, rule: "
            + "{version: 1, rule: {...}} (the segment language, docs/segments.md), removeWhenUnmatched? (default "
            + "false: the tag stays once given), ttlDays? (assignments expire; default the tag's lifetime), active? "
            + "(default true)}. The rule is applied to everyone at once (in the background) and then to every "
            + "customer whose events, profile or scores change. Assignments have source `rule`.")
    ResponseEntity<RuleView> create(@RequestBody JsonNode body) {
        Body b = Body.of(body, Set.of("name", "tagId", "rule", "removeWhenUnmatched", "ttlDays", "active"));
        String name = b.required("name", 100);
        long tagId = b.id("tagId");
        boolean remove = b.bool("removeWhenUnmatched").orElse(false);
        Integer ttl = b.integer("ttlDays", 1, 3650).orElse(null);
        boolean active = b.bool("active").orElse(true);
        if (!b.has("rule")) {
            b.check();
            throw SiyuException.invalid(List.of(FieldProblem.of("/rule", "field-required", "rule")));
        }
        b.check();
        store.tag(tagId).orElseThrow(() -> SiyuException.invalid(List.of(FieldProblem.of("/tagId", "tag-not-found",
                String.valueOf(tagId)))));
        Rule rule = rules.parse(body.get("rule"), "/rule");
        String ruleJson = json.writeValueAsString(Map.of("version", 1, "rule", rules.toJson(rule)));
        long id;
        try {
            id = tx.execute(s -> {
                long newId = tagRules.insert(tagId, name, ruleJson, remove, ttl, active, Actors.currentName());
                audit.record("tag-rule.create", "tag-rule", String.valueOf(newId), Map.of("name", name, "tagId", tagId));
                return newId;
            });
        } catch (DuplicateKeyException e) {
            throw SiyuException.conflict("tag-rule-exists", name);
        }
        tagRules.applyLater(id);
        return ResponseEntity.created(URI.create("/api/v1/tag-rules/" + id)).body(view(tagRules.find(id).orElseThrow()));
    }

    @PatchMapping(path = "/api/v1/tag-rules/{id}", consumes = {"application/merge-patch+json", "application/json"})
    @PreAuthorize("hasAuthority('schema:write')")
    @Operation(summary = "Change a tag rule", description = "name, rule, removeWhenUnmatched, ttlDays, active. A changed "
            + "rule is applied to everyone again.")
    RuleView patch(@PathVariable String id, @RequestBody JsonNode body) {
        TagRules.Row r = find(id);
        Body b = Body.of(body, Set.of("name", "rule", "removeWhenUnmatched", "ttlDays", "active"));
        String name = b.has("name") ? b.required("name", 100) : r.name();
        boolean remove = b.bool("removeWhenUnmatched").orElse(r.removeWhenUnmatched());
        Integer ttl = b.has("ttlDays") ? b.integer("ttlDays", 1, 3650).orElse(null) : r.ttlDays();
        boolean active = b.bool("active").orElse(r.active());
        b.check();
        String ruleJson = r.ruleJson();
        if (body.has("rule")) {
            Rule rule = rules.parse(body.get("rule"), "/rule");
            ruleJson = json.writeValueAsString(Map.of("version", 1, "rule", rules.toJson(rule)));
        }
        TagRules.Row next = new TagRules.Row(r.id(), r.tagId(), name, ruleJson, remove, ttl, active, r.createdBy(),
                r.createdAt(), r.updatedAt());
        try {
            tx.executeWithoutResult(s -> {
                tagRules.update(next);
                audit.record("tag-rule.update", "tag-rule", id, Map.of("name", name));
            });
        } catch (DuplicateKeyException e) {
            throw SiyuException.conflict("tag-rule-exists", name);
        }
        tagRules.applyLater(r.id());
        return view(tagRules.find(r.id()).orElseThrow());
    }

    @DeleteMapping("/api/v1/tag-rules/{id}")
    @PreAuthorize("hasAuthority('schema:write')")
    @Operation(summary = "Delete a tag rule", description = "Tags it gave stay; remove them with /api/v1/tags/{id}/unassign.")
    ResponseEntity<Void> delete(@PathVariable String id) {
        TagRules.Row r = find(id);
        tx.executeWithoutResult(s -> {
            tagRules.delete(r.id());
            audit.record("tag-rule.delete", "tag-rule", id, Map.of("name", r.name()));
        });
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/api/v1/tag-rules/{id}/apply")
    @PreAuthorize("hasAuthority('schema:write')")
    @Operation(summary = "Apply a tag rule to everyone now (a job)", description = "Result: {added, removed}.")
    ResponseEntity<Job> apply(@PathVariable String id) {
        TagRules.Row r = find(id);
        Job job = jobs.start("tag-rule-apply", ctx -> {
            int[] changed = tagRules.apply(r, null);
            return Map.of("added", changed[0], "removed", changed[1]);
        });
        return ResponseEntity.accepted().location(URI.create("/api/v1/jobs/" + job.id())).body(job);
    }

    @PostMapping("/api/v1/tags/{id}/assign-segment")
    @PreAuthorize("hasAuthority('customer:write')")
    @Operation(summary = "Give a tag to every member of a segment (a job)", description = "Body: {segmentId, "
            + "expiresAt?}. The members at the time the job runs get the tag (source manual). Result: {added, "
            + "unchanged}.")
    ResponseEntity<Job> assignSegment(@PathVariable String id, @RequestBody JsonNode body) {
        TagStore.TagRow t = tag(id);
        Body b = Body.of(body, Set.of("segmentId", "expiresAt"));
        long segmentId = b.id("segmentId");
        OffsetDateTime expiresAt = b.time("expiresAt").orElse(null);
        b.check();
        if (expiresAt != null && !expiresAt.isAfter(clock.now())) {
            throw SiyuException.invalid(List.of(FieldProblem.of("/expiresAt", "tag-expiry-in-past")));
        }
        if (rules.savedMembers(segmentId).isEmpty()) {
            throw SiyuException.invalid(List.of(FieldProblem.of("/segmentId", "segment-not-found",
                    String.valueOf(segmentId))));
        }
        audit.record("tag.assign-segment", "tag", id, Map.of("segmentId", segmentId));
        Job job = jobs.start("tag-assign-segment", ctx -> {
            RoaringBitmap members = rules.savedMembers(segmentId).orElseGet(RoaringBitmap::new);
            ctx.total(members.getCardinality());
            int[] counts = {0, 0};
            int[] all = members.toArray();
            for (int i = 0; i < all.length; i += 1000) {
                int from = i;
                tx.executeWithoutResult(s -> {
                    for (int k = from; k < Math.min(all.length, from + 1000); k++) {
                        counts[service.assign(all[k], t.id(), TagSource.MANUAL, expiresAt) ? 0 : 1]++;
                    }
                });
                if (!ctx.proceed(Math.min(all.length, i + 1000))) {
                    break;
                }
            }
            return Map.of("added", counts[0], "unchanged", counts[1]);
        });
        return ResponseEntity.accepted().location(URI.create("/api/v1/jobs/" + job.id())).body(job);
    }

    @PostMapping(path = "/api/v1/tags/{id}/assign-csv", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @PreAuthorize("hasAuthority('customer:write')")
    @Operation(summary = "Give a tag to the customers listed in a CSV", description = "Part file: CSV (UTF-8, header "
            + "row) with a customer_id column, or identity_type and identity_value columns (app_id optional); at "
            + "most 100,000 rows. Source import. Answers {rows, added, unchanged, unmatched}; unmatched rows name no "
            + "active customer.")
    Map<String, Object> assignCsv(@PathVariable String id,
            @RequestPart(name = "file", required = false) MultipartFile file) throws IOException {
        TagStore.TagRow t = tag(id);
        if (file == null || file.isEmpty()) {
            throw SiyuException.invalid(List.of(FieldProblem.of("file", "tag-csv-file-missing")));
        }
        CustomerListCsv.Result list = CustomerListCsv.read(file.getInputStream(), customers, CSV_MAX_ROWS,
                "tag-csv-columns");
        int rows = list.rows();
        int unmatched = list.unmatched();
        List<Long> distinct = List.copyOf(list.customers());
        int[] counts = {0, 0};
        for (int i = 0; i < distinct.size(); i += 1000) {
            List<Long> chunk = distinct.subList(i, Math.min(distinct.size(), i + 1000));
            tx.executeWithoutResult(s -> chunk.forEach(c -> counts[service.assign(c, t.id(), TagSource.IMPORT, null)
                    ? 0 : 1]++));
        }
        audit.record("tag.assign-csv", "tag", id, Map.of("rows", rows, "added", counts[0]));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("rows", rows);
        answer.put("added", counts[0]);
        answer.put("unchanged", counts[1]);
        answer.put("unmatched", unmatched);
        return answer;
    }

    private TagRules.Row find(String id) {
        try {
            return tagRules.find(Long.parseLong(id)).orElseThrow(() -> SiyuException.notFound("tag-rule-not-found", id));
        } catch (NumberFormatException e) {
            throw SiyuException.notFound("tag-rule-not-found", id);
        }
    }

    private TagStore.TagRow tag(String id) {
        try {
            return store.tag(Long.parseLong(id)).orElseThrow(() -> SiyuException.notFound("tag-not-found", id));
        } catch (NumberFormatException e) {
            throw SiyuException.notFound("tag-not-found", id);
        }
    }
}
