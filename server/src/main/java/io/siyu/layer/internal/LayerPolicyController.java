package io.siyu.layer.internal;

import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.rowNumber;

import io.siyu.customer.Customers;
import io.siyu.layer.ContactPolicy;
import io.siyu.layer.CustomerLayer;
import io.siyu.layer.Layers;
import io.siyu.platform.BrandClock;
import io.siyu.platform.Cursors;
import io.siyu.platform.Job;
import io.siyu.platform.Page;
import io.siyu.platform.SiyuException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jooq.DSLContext;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Layering policies: CRUD, presets, evaluation, distribution, migration, and a customer's layers. */
@RestController
@Tag(name = "Layering", description = "Layering policies: ordered layers with rules, contact policies and benefits")
class LayerPolicyController {

    private final PolicyStore store;
    private final PolicyService service;
    private final Presets presets;
    private final Layers layers;
    private final Customers customers;
    private final DSLContext db;
    private final BrandClock clock;
    private final ObjectMapper json;

    LayerPolicyController(PolicyStore store, PolicyService service, Presets presets, Layers layers,
            Customers customers, DSLContext db, BrandClock clock, ObjectMapper json) {
        this.store = store;
        this.service = service;
        this.presets = presets;
        this.layers = layers;
        this.customers = customers;
        this.db = db;
        this.clock = clock;
        this.json = json;
    }

    // ---- views

    /** A contact policy as JSON. */
    record ContactView(int maxPerDay, int maxPerWeek, int maxPerMonth, List<String> preferredChannels,
            List<String> allowedHours) {

        static ContactView of(ContactPolicy c) {
            return new ContactView(c.maxPerDay(), c.maxPerWeek(), c.maxPerMonth(),
                    c.preferredChannels().stream().map(ch -> ch.name().toLowerCase(Locale.ROOT)).toList(),
                    c.allowedHours().stream().map(PolicyStore::hours).toList());
        }
    }

    /** A layer as JSON; {@code rule} is absent for the default layer. */
    record LayerView(String id, String key, String name, String nameEn, String description, String colour,
            Object rule, ContactView contactPolicy, List<String> benefits) {
    }

    /** A policy as JSON. */
    record PolicyView(String id, String name, String description, String preset, boolean active, int priority,
            int version, List<LayerView> layers, LayerView defaultLayer, OffsetDateTime evaluatedAt, String createdBy,
            OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    }

    private LayerView view(PolicyStore.LayerRow l) {
        return new LayerView(String.valueOf(l.id()), l.key(), l.name(), l.nameEn(), l.description(), l.colour(),
                l.ruleJson() == null ? null : json.readTree(l.ruleJson()), ContactView.of(l.contact()), l.benefits());
    }

    private PolicyView view(PolicyStore.Policy p) {
        PolicyStore.PolicyRow r = p.row();
        return new PolicyView(String.valueOf(r.id()), r.name(), r.description(), r.preset(), r.active(), r.priority(),
                r.version(), p.ruled().stream().map(this::view).toList(), view(p.defaultLayer()),
                r.evaluatedAt() == null ? null : clock.local(r.evaluatedAt()), r.createdBy(), clock.local(r.createdAt()),
                clock.local(r.updatedAt()));
    }

    /** The writable part of a policy, the document a merge patch applies to. */
    private JsonNode document(PolicyStore.Policy p) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", p.row().name());
        if (p.row().description() != null) {
            doc.put("description", p.row().description());
        }
        doc.put("active", p.row().active());
        doc.put("priority", p.row().priority());
        doc.put("layers", p.ruled().stream().map(this::layerDocument).toList());
        doc.put("defaultLayer", layerDocument(p.defaultLayer()));
        return json.valueToTree(doc);
    }

    private Map<String, Object> layerDocument(PolicyStore.LayerRow l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", String.valueOf(l.id()));
        m.put("key", l.key());
        m.put("name", l.name());
        if (l.nameEn() != null) {
            m.put("nameEn", l.nameEn());
        }
        if (l.description() != null) {
            m.put("description", l.description());
        }
        m.put("colour", l.colour());
        if (l.ruleJson() != null) {
            m.put("rule", json.readTree(l.ruleJson()));
        }
        m.put("contactPolicy", ContactView.of(l.contact()));
        m.put("benefits", l.benefits());
        return m;
    }

    private ResponseEntity<PolicyView> withTag(ResponseEntity.BodyBuilder builder, PolicyStore.Policy p) {
        return builder.eTag("\"" + p.row().version() + "\"").body(view(p));
    }

    private PolicyStore.Policy policy(String id) {
        try {
            return store.find(Long.parseLong(id)).orElseThrow(() -> SiyuException.notFound("layer-policy-not-found", id));
        } catch (NumberFormatException e) {
            throw SiyuException.notFound("layer-policy-not-found", id);
        }
    }

    // ---- CRUD

    @GetMapping("/api/v1/layer-policies")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "Layering policies (cursor-paged, oldest first)")
    Page<PolicyView> list(@RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        int n = Cursors.limit(limit);
        long after = cursor == null ? 0 : Cursors.decodeLong(cursor, "id");
        List<PolicyStore.Policy> rows = store.page(after, n + 1);
        List<PolicyStore.Policy> page = rows.size() > n ? rows.subList(0, n) : rows;
        String next = rows.size() > n ? Cursors.encode("id", List.of(String.valueOf(page.getLast().row().id()))) : null;
        return new Page<>(page.stream().map(this::view).toList(), next);
    }

    @PostMapping("/api/v1/layer-policies")
    @PreAuthorize("hasAuthority('schema:write')")
    @Operation(summary = "Create a layering policy", description = "Body: {name, description?, active? (true), "
            + "priority? (100; the active policy with the lowest number decides contact), layers: [{key, name, nameEn?, "
            + "description?, colour?, rule (segment language; no `layers` conditions), contactPolicy? {maxPerDay, "
            + "maxPerWeek, maxPerMonth, preferredChannels [wecom|sms|official_account|mini_program|email|"
            + "wechat_group], allowedHours [\"07:00-09:00\", ...]}, benefits? [text]}], defaultLayer: {same, no "
            + "rule}}. First match wins; everyone else is in the default layer. Starts an evaluation job.")
    ResponseEntity<PolicyView> create(@RequestBody JsonNode body) {
        PolicyStore.Policy p = service.create(body, null);
        return withTag(ResponseEntity.created(URI.create("/api/v1/layer-policies/" + p.row().id())), p);
    }

    @GetMapping("/api/v1/layer-policies/{id}")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "A layering policy", description = "With an ETag for If-Match on PATCH.")
    ResponseEntity<PolicyView> get(@PathVariable String id) {
        return withTag(ResponseEntity.ok(), policy(id));
    }

    @PatchMapping(path = "/api/v1/layer-policies/{id}", consumes = {"application/merge-patch+json", "application/json"})
    @PreAuthorize("hasAuthority('schema:write')")
    @Operation(summary = "Change a layering policy (JSON Merge Patch)", description = "`layers` replaces the list "
            + "(layers keep their ids when named by id or key); `defaultLayer` merges. If-Match with the ETag "
            + "gives 412 layer-policy-stale when someone changed it first. Re-evaluates everyone (a job).")
    ResponseEntity<PolicyView> patch(@PathVariable String id, @RequestBody JsonNode body,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        PolicyStore.Policy p = policy(id);
        PolicyStore.Policy next = service.patch(p.row().id(), body, version(ifMatch), document(p));
        return withTag(ResponseEntity.ok(), next);
    }

    @PatchMapping(path = "/api/v1/layer-policies/{id}/layers/{layerId}",
            consumes = {"application/merge-patch+json", "application/json"})
    @PreAuthorize("hasAuthority('schema:write')")
    @Operation(summary = "Change one layer (JSON Merge Patch)", description = "E.g. {\"rule\": {...}} to change a "
            + "threshold, or {\"contactPolicy\": {\"maxPerWeek\": 2}}. Pointers in problems are relative to the "
            + "policy document (/layers/{index}/... or /defaultLayer/...). Re-evaluates everyone (a job).")
    ResponseEntity<PolicyView> patchLayer(@PathVariable String id, @PathVariable String layerId,
            @RequestBody JsonNode body, @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        PolicyStore.Policy p = policy(id);
        if (body == null || !body.isObject()) {
            throw SiyuException.badRequest("expected-json-object");
        }
        JsonNode doc = document(p);
        var layersNode = (tools.jackson.databind.node.ArrayNode) doc.get("layers");
        boolean found = false;
        for (int i = 0; i < layersNode.size(); i++) {
            if (layersNode.get(i).get("id").asString().equals(layerId)) {
                layersNode.set(i, MergePatch.apply(layersNode.get(i), body));
                found = true;
            }
        }
        var root = (tools.jackson.databind.node.ObjectNode) doc;
        if (doc.get("defaultLayer").get("id").asString().equals(layerId)) {
            root.set("defaultLayer", MergePatch.apply(doc.get("defaultLayer"), body));
            found = true;
        }
        if (!found) {
            throw SiyuException.notFound("layer-not-found", layerId);
        }
        return withTag(ResponseEntity.ok(), service.patch(p.row().id(), doc, version(ifMatch), document(p)));
    }

    private static Integer version(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return null;
        }
        try {
            return Integer.parseInt(ifMatch.trim().replace("W/", "").replace("\"", ""));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @DeleteMapping("/api/v1/layer-policies/{id}")
    @PreAuthorize("hasAuthority('schema:write')")
    @Operation(summary = "Delete a layering policy", description = "Its layers, assignments and history go with it.")
    ResponseEntity<Void> delete(@PathVariable String id) {
        service.delete(policy(id).row().id());
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/api/v1/layer-policies/{id}/evaluate")
    @PreAuthorize("hasAuthority('schema:write')")
    @Operation(summary = "Re-evaluate everyone now (a job)", description = "202 with the job; its result says how "
            + "many customers were looked at and moved. Also runs daily, after RFM runs and after edits; single "
            + "customers follow their events within seconds.")
    ResponseEntity<Job> evaluate(@PathVariable String id) {
        PolicyStore.Policy p = policy(id);
        if (!p.row().active()) {
            throw SiyuException.conflict("layer-policy-inactive", id);
        }
        Job job = service.startEvaluation(p.row().id(), "manual");
        return ResponseEntity.accepted().location(URI.create("/api/v1/jobs/" + job.id())).body(job);
    }

    // ---- presets

    @GetMapping("/api/v1/layer-policies/presets")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "The layering presets from the source documents", description = "seed-000 (three layers by "
            + "30-day interaction and purchase), seed-001 (four classes by RFM and behaviour), seed-002 (five layers by "
            + "RFM and engagement); `policyId` when loaded.")
    Map<String, List<Presets.PresetView>> presets(Locale locale) {
        return Map.of("items", presets.list(locale));
    }

    @PostMapping("/api/v1/layer-policies/presets/{preset}")
    @PreAuthorize("hasAuthority('schema:write')")
    @Operation(summary = "Load a preset as a new policy", description = "409 layer-preset-loaded when it is already "
            + "loaded. The policy is evaluated at once (a job); edit its thresholds with PATCH.")
    ResponseEntity<PolicyView> loadPreset(@PathVariable String preset) {
        JsonNode document = presets.document(preset);
        store.byPreset(preset).ifPresent(existing -> {
            throw SiyuException.conflict("layer-preset-loaded", preset, existing);
        });
        PolicyStore.Policy p;
        try {
            p = service.create(document, preset);
        } catch (SiyuException e) {
            if (e.code().equals("layer-policy-exists") && store.byPreset(preset).isPresent()) {
                throw SiyuException.conflict("layer-preset-loaded", preset, store.byPreset(preset).get());
            }
            throw e;
        }
        return withTag(ResponseEntity.created(URI.create("/api/v1/layer-policies/" + p.row().id())), p);
    }

    // ---- reports

    /** Customers in one layer. */
    record LayerShare(String layerId, String key, String name, String nameEn, String colour, boolean defaultLayer,
            int customers, BigDecimal share) {
    }

    /** How the policy's customers fall into its layers now. */
    record Distribution(String policyId, int customers, OffsetDateTime evaluatedAt, List<LayerShare> layers) {
    }

    @GetMapping("/api/v1/layer-policies/{id}/distribution")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "Customers per layer now, with shares")
    Distribution distribution(@PathVariable String id) {
        PolicyStore.Policy p = policy(id);
        Map<Long, Integer> counts = new HashMap<>();
        db.select(AssignmentStore.LAYER_ID, count()).from(AssignmentStore.CUSTOMER_LAYER)
                .where(AssignmentStore.POLICY_ID.eq(p.row().id())).groupBy(AssignmentStore.LAYER_ID)
                .forEach(r -> counts.put(r.value1(), r.value2()));
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        List<LayerShare> out = new ArrayList<>();
        for (PolicyStore.LayerRow l : p.layers()) {
            int n = counts.getOrDefault(l.id(), 0);
            out.add(new LayerShare(String.valueOf(l.id()), l.key(), l.name(), l.nameEn(), l.colour(), l.isDefault(), n,
                    ratio(n, total)));
        }
        return new Distribution(String.valueOf(p.row().id()), total,
                p.row().evaluatedAt() == null ? null : clock.local(p.row().evaluatedAt()), out);
    }

    /** A layer named in the migration matrix ({@code none}: not in the policy at that time). */
    record MatrixLayer(String layerId, String key, String name, String nameEn, boolean removed) {
    }

    /** How many customers were in {@code from} at the first date and in {@code to} at the second. */
    record MatrixCell(String fromLayerId, String toLayerId, String fromKey, String toKey, int customers) {
    }

    /** From-layer × to-layer counts between two dates. */
    record Migration(String policyId, LocalDate from, LocalDate to, List<MatrixLayer> layers, List<MatrixCell> cells) {
    }

    @GetMapping("/api/v1/layer-policies/{id}/migration")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "Migration matrix between two dates", description = "from, to: YYYY-MM-DD (brand time zone; "
            + "each customer's layer at the end of that day, from the transition history). Cells with zero customers "
            + "are left out; a null layer id means not in the policy (new, merged away, or the policy inactive).")
    Migration migration(@PathVariable String id, @RequestParam String from, @RequestParam String to) {
        PolicyStore.Policy p = policy(id);
        LocalDate fromDay = day(from, "from");
        LocalDate toDay = day(to, "to");
        if (fromDay.isAfter(toDay)) {
            throw SiyuException.badRequest("invalid-date-range");
        }
        OffsetDateTime fromEnd = fromDay.plusDays(1).atStartOfDay(clock.zone()).toOffsetDateTime();
        OffsetDateTime toEnd = toDay.plusDays(1).atStartOfDay(clock.zone()).toOffsetDateTime();
        long policyId = p.row().id();
        var atTo = latest(policyId, toEnd, "t");
        var atFrom = latest(policyId, fromEnd, "f");
        var tCustomer = atTo.field("customer_id", Long.class);
        var tLayer = atTo.field("layer", Long.class);
        var tRank = atTo.field("rn", Integer.class);
        var fCustomer = atFrom.field("customer_id", Long.class);
        var fLayer = atFrom.field("layer", Long.class);
        var fRank = atFrom.field("rn", Integer.class);
        Map<Long, String[]> names = store.allLayerNames(policyId);
        List<MatrixCell> cells = new ArrayList<>();
        // everyone with a transition before `from` also has one before `to`, so `to` drives the join
        db.select(fLayer, tLayer, count()).from(atTo)
                .leftJoin(atFrom).on(fCustomer.eq(tCustomer)).and(fRank.eq(1))
                .where(tRank.eq(1))
                .groupBy(fLayer, tLayer)
                .forEach(r -> {
                    if (r.value1() == null && r.value2() == null) {
                        return;
                    }
                    cells.add(new MatrixCell(str(r.value1()), str(r.value2()), key(names, r.value1()),
                            key(names, r.value2()), r.value3()));
                });
        cells.sort(java.util.Comparator.comparing((MatrixCell c) -> String.valueOf(c.fromLayerId()))
                .thenComparing(c -> String.valueOf(c.toLayerId())));
        java.util.Set<Long> current = new java.util.HashSet<>();
        p.layers().forEach(l -> current.add(l.id()));
        List<MatrixLayer> layerList = new ArrayList<>();
        names.forEach((lid, n) -> layerList.add(new MatrixLayer(String.valueOf(lid), n[0], n[1], n[2],
                !current.contains(lid))));
        layerList.sort(java.util.Comparator.comparing(l -> Long.parseLong(l.layerId())));
        return new Migration(String.valueOf(policyId), fromDay, toDay, layerList, cells);
    }

    /** Each customer's transitions before {@code before}, newest ranked 1. */
    private org.jooq.Table<?> latest(long policyId, OffsetDateTime before, String alias) {
        return db.select(AssignmentStore.CUSTOMER_ID, AssignmentStore.TO.as("layer"),
                        rowNumber().over().partitionBy(AssignmentStore.CUSTOMER_ID)
                                .orderBy(AssignmentStore.CHANGED_AT.desc(), AssignmentStore.T_ID.desc()).as("rn"))
                .from(AssignmentStore.TRANSITION)
                .where(AssignmentStore.POLICY_ID.eq(policyId)).and(AssignmentStore.CHANGED_AT.lt(before))
                .asTable(alias);
    }

    private static String str(Long id) {
        return id == null ? null : String.valueOf(id);
    }

    private static String key(Map<Long, String[]> names, Long id) {
        return id == null || !names.containsKey(id) ? null : names.get(id)[0];
    }

    private static LocalDate day(String text, String param) {
        try {
            return LocalDate.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw SiyuException.badRequest("invalid-date", param);
        }
    }

    private static BigDecimal ratio(int n, int total) {
        return total == 0 ? BigDecimal.ZERO
                : BigDecimal.valueOf(n).divide(BigDecimal.valueOf(total), 4, RoundingMode.HALF_UP);
    }

    // ---- a customer's layers

    /** A customer's layer in one policy. */
    record CustomerLayerView(String policyId, String policyName, String layerId, String key, String name,
            String nameEn, String colour, boolean defaultLayer, OffsetDateTime since, ContactView contactPolicy,
            List<String> benefits) {
    }

    @GetMapping("/api/v1/customers/{id}/layers")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "The customer's layer in each active policy", description = "Primary policy first, with "
            + "each layer's contact policy and benefits.")
    Map<String, List<CustomerLayerView>> customerLayers(@PathVariable String id) {
        long customerId;
        try {
            customerId = customers.resolveId(Long.parseLong(id))
                    .orElseThrow(() -> SiyuException.notFound("customer-not-found", id));
        } catch (NumberFormatException e) {
            throw SiyuException.notFound("customer-not-found", id);
        }
        List<CustomerLayerView> out = new ArrayList<>();
        for (CustomerLayer l : layers.layersOf(customerId)) {
            out.add(new CustomerLayerView(String.valueOf(l.policyId()), l.policyName(), String.valueOf(l.layerId()),
                    l.key(), l.name(), l.nameEn(), l.colour(), l.defaultLayer(), clock.local(l.since()),
                    ContactView.of(l.contactPolicy()), l.benefits()));
        }
        return Map.of("items", out);
    }
}
