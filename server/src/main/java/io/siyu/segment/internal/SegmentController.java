package io.siyu.segment.internal;

import static io.siyu.segment.internal.SegTables.*;

import io.siyu.compliance.AuditLog;
import io.siyu.customer.Customers;
import io.siyu.customer.CustomerListCsv;
import io.siyu.platform.Actors;
import io.siyu.platform.BrandClock;
import io.siyu.platform.Cursors;
import io.siyu.platform.FieldProblem;
import io.siyu.platform.Page;
import io.siyu.platform.SiyuException;
import io.siyu.segment.Rule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.roaringbitmap.RoaringBitmap;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpHeaders;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Segments: validate and preview rules, save dynamic and static segments, list and export members. */
@RestController
@Tag(name = "Segments", description = "The segment rule language, previews, saved segments and their members")
class SegmentController {

    private static final int SAMPLE_MAX = 100;
    private static final int UPLOAD_MAX_ROWS = 1_000_000;

    private final SegmentService service;
    private final SegmentStore store;
    private final SegmentEngine engine;
    private final MembershipMaintainer maintainer;
    private final Customers customers;
    private final AuditLog audit;
    private final BrandClock clock;
    private final TransactionTemplate tx;
    private final DSLContext db;
    private final ObjectMapper json;

    SegmentController(SegmentService service, SegmentStore store, SegmentEngine engine, MembershipMaintainer maintainer,
            Customers customers, AuditLog audit, BrandClock clock, TransactionTemplate tx, DSLContext db,
            ObjectMapper json) {
        this.service = service;
        this.store = store;
        this.engine = engine;
        this.maintainer = maintainer;
        this.customers = customers;
        this.audit = audit;
        this.clock = clock;
        this.tx = tx;
        this.db = db;
        this.json = json;
    }

    /** A saved segment as the API shows it. */
    record SegmentView(String id, String name, String description, String kind, Object rule, int memberCount,
            OffsetDateTime evaluatedAt, String createdBy, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    }

    /** Per-node counts of a rule: how many customers each condition alone matches. */
    record ExplainNode(String pointer, String kind, int count, List<ExplainNode> children) {
    }

    /** A member in a preview sample or a member list. */
    record MemberView(String customerId, String displayName, OffsetDateTime since) {
    }

    /** What a preview answers. */
    record Preview(int count, int total, List<MemberView> sample, ExplainNode explain, String engine, long tookMicros,
            OffsetDateTime asOf) {
    }

    private SegmentView view(SegmentStore.Row r) {
        Object rule = r.ruleJson() == null ? null : json.readTree(r.ruleJson());
        return new SegmentView(String.valueOf(r.id()), r.name(), r.description(), r.kind(), rule, r.memberCount(),
                r.evaluatedAt() == null ? null : clock.local(r.evaluatedAt()), r.createdBy(), clock.local(r.createdAt()),
                clock.local(r.updatedAt()));
    }

    // ---- rules

    @PostMapping("/api/v1/segments/validate")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "Validate a rule", description = "Body: {version: 1, rule: {...}} (see docs/segments.md). "
            + "200 with the normalised rule, or 400 invalid-rule with one error per offending node (JSON pointer).")
    Map<String, Object> validate(@RequestBody JsonNode body) {
        Rule rule = service.parse(body, "");
        return Map.of("valid", true, "rule", Map.of("version", RuleParser.VERSION, "rule", service.toJson(rule)));
    }

    @PostMapping("/api/v1/segments/preview")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "Preview a rule while editing", description = "Body: {version: 1, rule: {...}, sampleSize?: "
            + "0-100 (default 10)}. Answers the member count, the number of active customers, a sample of members "
            + "(lowest ids first) and per-condition counts (explain), from the in-memory bitmap engine; before the "
            + "engine has loaded (just after start) from SQL, as `engine` says.")
    Preview preview(@RequestBody JsonNode body) {
        if (body == null || !body.isObject()) {
            throw SiyuException.badRequest("expected-json-object");
        }
        int sampleSize = 10;
        JsonNode s = body.get("sampleSize");
        if (s != null) {
            if (!s.isIntegralNumber() || s.asInt() < 0 || s.asInt() > SAMPLE_MAX) {
                throw SiyuException.invalid(List.of(FieldProblem.of("/sampleSize", "invalid-range", "sampleSize", 0,
                        SAMPLE_MAX)));
            }
            sampleSize = s.asInt();
        }
        Map<String, JsonNode> doc = new LinkedHashMap<>();
        body.properties().forEach(e -> {
            if (!e.getKey().equals("sampleSize")) {
                doc.put(e.getKey(), e.getValue());
            }
        });
        Rule rule = service.parse(json.valueToTree(doc), "");
        long started = System.nanoTime();
        EvalTime time = engine.time();
        engine.catchUp();
        Optional<SegmentEngine.Explanation> fromEngine = engine.explain(rule, time, service::dynamicRule);
        RoaringBitmap members;
        int total;
        ExplainNode explain;
        if (fromEngine.isPresent()) {
            members = fromEngine.get().members();
            total = fromEngine.get().total();
            explain = explainNode(rule, "/rule", fromEngine.get().root());
        } else {
            members = service.sqlMembers(rule, null, time);
            total = activeCount();
            explain = explain(rule, "/rule", time);
        }
        long took = (System.nanoTime() - started) / 1000;
        return new Preview(members.getCardinality(), total, sample(members, sampleSize), explain,
                fromEngine.isPresent() ? "bitmap" : "sql", took, clock.local(clock.now()));
    }

    /** The engine's per-node counts as the API's tree, with each node's pointer and kind. */
    private static ExplainNode explainNode(Rule rule, String pointer, BitmapEvaluator.Explained counted) {
        List<ExplainNode> children = new ArrayList<>();
        switch (rule) {
            case Rule.And a -> {
                for (int i = 0; i < a.rules().size(); i++) {
                    children.add(explainNode(a.rules().get(i), pointer + "/and/" + i, counted.children().get(i)));
                }
            }
            case Rule.Or o -> {
                for (int i = 0; i < o.rules().size(); i++) {
                    children.add(explainNode(o.rules().get(i), pointer + "/or/" + i, counted.children().get(i)));
                }
            }
            case Rule.Not n -> children.add(explainNode(n.rule(), pointer + "/not", counted.children().getFirst()));
            default -> {
            }
        }
        return new ExplainNode(pointer, kind(rule), counted.count(), children);
    }

    private int activeCount() {
        return db.fetchCount(db.select(ID).from(CUSTOMER).where(STATUS.eq("active")));
    }

    /** Per-node counts from SQL, one query per node (only before the engine has loaded). */
    private ExplainNode explain(Rule rule, String pointer, EvalTime time) {
        int count = service.sqlCount(rule, time);
        List<ExplainNode> children = new ArrayList<>();
        switch (rule) {
            case Rule.And a -> {
                for (int i = 0; i < a.rules().size(); i++) {
                    children.add(explain(a.rules().get(i), pointer + "/and/" + i, time));
                }
            }
            case Rule.Or o -> {
                for (int i = 0; i < o.rules().size(); i++) {
                    children.add(explain(o.rules().get(i), pointer + "/or/" + i, time));
                }
            }
            case Rule.Not n -> children.add(explain(n.rule(), pointer + "/not", time));
            default -> {
            }
        }
        return new ExplainNode(pointer, kind(rule), count, children);
    }

    private static String kind(Rule rule) {
        return switch (rule) {
            case Rule.And a -> "and";
            case Rule.Or o -> "or";
            case Rule.Not n -> "not";
            case Rule.Attribute a -> "attribute";
            case Rule.Tags t -> "tags";
            case Rule.Event e -> "event";
            case Rule.Purchase p -> "purchase";
            case Rule.Bought b -> "bought";
            case Rule.Rfm r -> "rfm";
            case Rule.Reach r -> "channel";
            case Rule.HasIdentity h -> "channel";
            case Rule.Layer l -> "layers";
            case Rule.InSegment s -> "segment";
            case Rule.Bucket b -> "bucket";
        };
    }

    private List<MemberView> sample(RoaringBitmap members, int size) {
        List<Long> ids = new ArrayList<>();
        for (int id : members) {
            if (ids.size() == size) {
                break;
            }
            ids.add((long) id);
        }
        return views(ids, Map.of());
    }

    private List<MemberView> views(List<Long> ids, Map<Long, OffsetDateTime> since) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<Long, String> names = new LinkedHashMap<>();
        db.select(ID, org.jooq.impl.DSL.field(org.jooq.impl.DSL.name("display_name"), String.class)).from(CUSTOMER)
                .where(ID.in(ids)).fetch().forEach(r -> names.put(r.value1(), r.value2()));
        return ids.stream().map(id -> new MemberView(String.valueOf(id), names.get(id),
                since.get(id) == null ? null : clock.local(since.get(id)))).toList();
    }

    // ---- saved segments

    @GetMapping("/api/v1/segments")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "Saved segments", description = "Cursor-paged by id.")
    Page<SegmentView> list(@RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        int n = Cursors.limit(limit);
        Long after = cursor == null ? null : Cursors.decodeLong(cursor, "id");
        List<SegmentStore.Row> rows = store.page(after, n + 1);
        List<SegmentStore.Row> page = rows.size() > n ? rows.subList(0, n) : rows;
        String next = rows.size() > n ? Cursors.encode("id", List.of(String.valueOf(page.getLast().id()))) : null;
        return new Page<>(page.stream().map(this::view).toList(), next);
    }

    @GetMapping("/api/v1/segments/{id}")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "One saved segment")
    SegmentView get(@PathVariable String id) {
        return view(find(id));
    }

    @PostMapping("/api/v1/segments")
    @PreAuthorize("hasAuthority('segment:write')")
    @Operation(summary = "Save a segment", description = "Body: {name, description?, kind: dynamic|static, rule: "
            + "{version: 1, rule: {...}}}. A dynamic segment keeps its members current as events arrive and as "
            + "time passes, appending Segment Entered / Segment Exited events for every change after its first "
            + "population. A static segment is a snapshot of the rule's members now, evaluated exactly in SQL. "
            + "For a static list of identities use POST /api/v1/segments/upload.")
    ResponseEntity<SegmentView> create(@RequestBody JsonNode body) {
        Fields f = fields(body, true, null);
        String actor = Actors.currentName();
        OffsetDateTime now = clock.now();
        long id;
        try {
            id = tx.execute(s -> {
                long newId = store.insert(f.name, f.description, f.kind, service.toJsonText(f.rule), actor, now);
                if (f.kind.equals("static")) {
                    RoaringBitmap members = service.sqlMembers(f.rule, null, engine.time());
                    store.addMembers(newId, members, now);
                    store.setCount(newId, members.getCardinality(), now);
                }
                audit.record("segment.create", "segment", String.valueOf(newId), Map.of("name", f.name, "kind", f.kind));
                return newId;
            });
        } catch (DuplicateKeyException e) {
            throw SiyuException.conflict("segment-exists", f.name);
        }
        service.forget(id);
        if (f.kind.equals("static")) {
            engine.reloadStatic(id, true);
            maintainer.evaluateAll();
        } else {
            maintainer.evaluateNow(id, false);
        }
        return ResponseEntity.created(URI.create("/api/v1/segments/" + id)).body(view(store.find(id).orElseThrow()));
    }

    @PatchMapping(path = "/api/v1/segments/{id}", consumes = {"application/merge-patch+json", "application/json"})
    @PreAuthorize("hasAuthority('segment:write')")
    @Operation(summary = "Change a segment", description = "name, description, and (dynamic segments) rule. A new rule "
            + "is applied at once; customers it adds or removes get Segment Entered / Exited events.")
    SegmentView patch(@PathVariable String id, @RequestBody JsonNode body) {
        SegmentStore.Row row = find(id);
        Fields f = fields(body, false, row);
        if (!row.dynamic() && body.has("rule")) {
            throw SiyuException.invalid(List.of(FieldProblem.of("/rule", "segment-static-rule")));
        }
        try {
            tx.executeWithoutResult(s -> {
                store.update(row.id(), f.name, f.description, f.rule == null ? row.ruleJson() : service.toJsonText(f.rule),
                        clock.now());
                audit.record("segment.update", "segment", id, Map.of("name", f.name));
            });
        } catch (DuplicateKeyException e) {
            throw SiyuException.conflict("segment-exists", f.name);
        }
        service.forget(row.id());
        if (f.rule != null) {
            maintainer.evaluateAll();
        }
        return view(store.find(row.id()).orElseThrow());
    }

    @DeleteMapping("/api/v1/segments/{id}")
    @PreAuthorize("hasAuthority('segment:write')")
    @Operation(summary = "Delete a segment", description = "409 segment-in-use while another segment's rule refers to it.")
    ResponseEntity<Void> delete(@PathVariable String id) {
        SegmentStore.Row row = find(id);
        for (SegmentStore.Row other : store.all()) {
            if (other.id() != row.id() && other.dynamic() && other.ruleJson() != null
                    && refersTo(json.readTree(other.ruleJson()), row.id())) {
                throw SiyuException.conflict("segment-in-use", row.name(), other.name());
            }
        }
        tx.executeWithoutResult(s -> {
            store.delete(row.id());
            audit.record("segment.delete", "segment", id, Map.of("name", row.name()));
        });
        service.forget(row.id());
        maintainer.forget(row.id());
        engine.reloadStatic(row.id(), false);
        return ResponseEntity.noContent().build();
    }

    private static boolean refersTo(JsonNode node, long segmentId) {
        if (node == null) {
            return false;
        }
        if (node.isObject()) {
            JsonNode s = node.get("segment");
            if (s != null && (s.isString() || s.isIntegralNumber()) && s.asString().equals(String.valueOf(segmentId))) {
                return true;
            }
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (refersTo(e.getValue(), segmentId)) {
                    return true;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                if (refersTo(child, segmentId)) {
                    return true;
                }
            }
        }
        return false;
    }

    @PostMapping(path = "/api/v1/segments/upload", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @PreAuthorize("hasAuthority('segment:write')")
    @Operation(summary = "Save a static segment from a CSV of identities", description = "Part file (CSV, UTF-8, "
            + "header row); parameters name, description?. Columns: customer_id, or identity_type and identity_value "
            + "(phone, email, external_id, wecom_external_userid, ...; app_id optional). Rows naming no active "
            + "customer are counted as unmatched and skipped; the answer gives the counts.")
    ResponseEntity<Map<String, Object>> upload(@RequestPart(name = "file", required = false) MultipartFile file,
            @RequestParam(name = "name", required = false) String name,
            @RequestParam(name = "description", required = false) String description) throws IOException {
        List<FieldProblem> problems = new ArrayList<>();
        if (file == null || file.isEmpty()) {
            problems.add(FieldProblem.of("file", "segment-upload-file-missing"));
        }
        if (name == null || name.isBlank() || name.trim().length() > 100) {
            problems.add(FieldProblem.of("name", "field-required", "name"));
        }
        if (!problems.isEmpty()) {
            throw SiyuException.invalid(problems);
        }
        CustomerListCsv.Result list = CustomerListCsv.read(file.getInputStream(), customers, UPLOAD_MAX_ROWS,
                "segment-upload-columns");
        RoaringBitmap members = new RoaringBitmap();
        list.customers().forEach(id -> members.add(id.intValue()));
        int rows = list.rows();
        int unmatched = list.unmatched();
        String actor = Actors.currentName();
        OffsetDateTime now = clock.now();
        String trimmed = name.trim();
        long id;
        try {
            id = tx.execute(s -> {
                long newId = store.insert(trimmed, description, "static", null, actor, now);
                store.addMembers(newId, members, now);
                store.setCount(newId, members.getCardinality(), now);
                audit.record("segment.create", "segment", String.valueOf(newId), Map.of("name", trimmed, "kind", "static",
                        "uploadedRows", members.getCardinality()));
                return newId;
            });
        } catch (DuplicateKeyException e) {
            throw SiyuException.conflict("segment-exists", trimmed);
        }
        engine.reloadStatic(id, true);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("segment", view(store.find(id).orElseThrow()));
        answer.put("rows", rows);
        answer.put("matched", members.getCardinality());
        answer.put("unmatched", unmatched);
        return ResponseEntity.created(URI.create("/api/v1/segments/" + id)).body(answer);
    }

    // ---- members

    @GetMapping("/api/v1/segments/{id}/members")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "A segment's current members", description = "Cursor-paged by customer id, with the time "
            + "each entered.")
    Page<MemberView> members(@PathVariable String id, @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer limit) {
        SegmentStore.Row row = find(id);
        int n = Cursors.limit(limit);
        Long after = cursor == null ? null : Cursors.decodeLong(cursor, "customer");
        var rows = store.memberPage(row.id(), after, n + 1);
        var page = rows.size() > n ? rows.subList(0, n) : rows;
        Map<Long, OffsetDateTime> since = new LinkedHashMap<>();
        page.forEach(r -> since.put(r.value1(), r.value2()));
        String next = rows.size() > n ? Cursors.encode("customer", List.of(String.valueOf(page.getLast().value1()))) : null;
        return new Page<>(views(new ArrayList<>(since.keySet()), since), next);
    }

    @GetMapping("/api/v1/segments/{id}/count")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "Count a segment's rule now", description = "engine=bitmap (default) or sql (exact, "
            + "auditable, slower). Static segments answer their stored member count.")
    Map<String, Object> count(@PathVariable String id, @RequestParam(defaultValue = "bitmap") String engine) {
        SegmentStore.Row row = find(id);
        if (!engine.equals("bitmap") && !engine.equals("sql")) {
            throw SiyuException.invalid(List.of(FieldProblem.of("engine", "invalid-value", engine)));
        }
        long started = System.nanoTime();
        int count;
        String used = engine;
        if (!row.dynamic()) {
            count = row.memberCount();
            used = "stored";
        } else {
            Rule rule = service.dynamicRule(row.id()).orElseThrow();
            if (engine.equals("sql") || !this.engine.ready()) {
                count = service.sqlCount(rule, this.engine.time());
                used = "sql";
            } else {
                count = service.members(rule).getCardinality();
            }
        }
        return Map.of("count", count, "engine", used, "tookMicros", (System.nanoTime() - started) / 1000);
    }

    @GetMapping(path = "/api/v1/segments/{id}/export", produces = "text/csv")
    @PreAuthorize("hasAuthority('segment:export')")
    @Operation(summary = "Download a segment's members as CSV", description = "Columns customer_id, display_name, "
            + "gender, province, city, member_since. UTF-8 with a byte order mark (Excel). Needs segment:export; "
            + "every export is written to the audit log.")
    void export(@PathVariable String id, HttpServletResponse response) throws IOException {
        SegmentStore.Row row = find(id);
        RoaringBitmap members = store.members(row.id());
        audit.record("segment.export", "segment", id, Map.of("name", row.name(), "members", members.getCardinality()));
        response.setStatus(200);
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"segment-" + row.id() + ".csv\"");
        Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        out.write('\uFEFF');
        var displayName = org.jooq.impl.DSL.field(org.jooq.impl.DSL.name("c", "display_name"), String.class);
        var gender = org.jooq.impl.DSL.field(org.jooq.impl.DSL.name("c", "gender"), String.class);
        var province = org.jooq.impl.DSL.field(org.jooq.impl.DSL.name("c", "province"), String.class);
        var city = org.jooq.impl.DSL.field(org.jooq.impl.DSL.name("c", "city"), String.class);
        var memberCustomer = org.jooq.impl.DSL.field(org.jooq.impl.DSL.name("m", "customer_id"), Long.class);
        var memberSince = org.jooq.impl.DSL.field(org.jooq.impl.DSL.name("m", "since"), OffsetDateTime.class);
        var memberSegment = org.jooq.impl.DSL.field(org.jooq.impl.DSL.name("m", "segment_id"), Long.class);
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180)) {
            csv.printRecord("customer_id", "display_name", "gender", "province", "city", "member_since");
            tx.executeWithoutResult(s -> {
                try (var cursor = db.select(memberCustomer, displayName, gender, province, city, memberSince)
                        .from(MEMBER.as("m")).join(C).on(C_ID.eq(memberCustomer)).where(memberSegment.eq(row.id()))
                        .orderBy(memberCustomer).fetchSize(5000).fetchLazy()) {
                    for (Record r : cursor) {
                        csv.printRecord(r.get(memberCustomer), r.get(displayName), r.get(gender), r.get(province),
                                r.get(city), clock.local(r.get(memberSince)));
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }

    @GetMapping("/api/v1/customers/{id}/segments")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "The segments a customer is in now")
    Map<String, Object> segmentsOf(@PathVariable String id) {
        long customerId;
        try {
            customerId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw SiyuException.notFound("customer-not-found", id);
        }
        long resolved = customers.resolveId(customerId).orElseThrow(() -> SiyuException.notFound("customer-not-found", id));
        List<Map<String, Object>> items = new ArrayList<>();
        for (long segmentId : store.segmentsOf(resolved)) {
            store.find(segmentId).ifPresent(r -> items.add(Map.of("id", String.valueOf(r.id()), "name", r.name(),
                    "kind", r.kind())));
        }
        return Map.of("items", items);
    }

    // ---- helpers

    private SegmentStore.Row find(String id) {
        try {
            return store.find(Long.parseLong(id)).orElseThrow(() -> SiyuException.notFound("segment-not-found", id));
        } catch (NumberFormatException e) {
            throw SiyuException.notFound("segment-not-found", id);
        }
    }

    /** The fields of a create or patch body. */
    private record Fields(String name, String description, String kind, Rule rule) {
    }

    private Fields fields(JsonNode body, boolean create, SegmentStore.Row existing) {
        if (body == null || !body.isObject()) {
            throw SiyuException.badRequest("expected-json-object");
        }
        List<FieldProblem> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : body.properties()) {
            if (!Set.of("name", "description", "kind", "rule").contains(e.getKey())) {
                problems.add(FieldProblem.of("/" + e.getKey(), "unknown-field", e.getKey()));
            }
        }
        String name = existing == null ? null : existing.name();
        if (create || body.has("name")) {
            JsonNode n = body.get("name");
            if (n == null || !n.isString() || n.asString().isBlank() || n.asString().trim().length() > 100) {
                problems.add(FieldProblem.of("/name", "field-required", "name"));
            } else {
                name = n.asString().trim();
            }
        }
        String description = existing == null ? null : existing.description();
        if (body.has("description")) {
            JsonNode d = body.get("description");
            if (d.isNull()) {
                description = null;
            } else if (!d.isString() || d.asString().length() > 500) {
                problems.add(FieldProblem.of("/description", "field-too-long", "description", 500));
            } else {
                description = d.asString();
            }
        }
        String kind = existing == null ? "dynamic" : existing.kind();
        if (create && body.has("kind")) {
            JsonNode k = body.get("kind");
            if (k == null || !k.isString() || !Set.of("dynamic", "static").contains(k.asString())) {
                problems.add(FieldProblem.of("/kind", "invalid-value", k == null ? "" : k.toString()));
            } else {
                kind = k.asString();
            }
        } else if (!create && body.has("kind")) {
            problems.add(FieldProblem.of("/kind", "segment-kind-fixed"));
        }
        if (create && !body.has("rule")) {
            problems.add(FieldProblem.of("/rule", "field-required", "rule"));
        }
        if (!problems.isEmpty()) {
            throw SiyuException.invalid(problems);
        }
        Rule rule = body.has("rule") ? service.parse(body.get("rule"), "/rule", existing == null ? null : existing.id())
                : null;
        return new Fields(name, description, kind, rule);
    }
}
