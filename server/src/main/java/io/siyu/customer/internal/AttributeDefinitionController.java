package io.siyu.customer.internal;

import io.siyu.compliance.AuditLog;
import io.siyu.platform.BrandClock;
import io.siyu.platform.FieldProblem;
import io.siyu.platform.SiyuException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** The custom attribute schema: admins define typed attributes before customers can carry them. */
@RestController
@RequestMapping("/api/v1/attribute-definitions")
@Tag(name = "Attribute definitions", description = "Typed custom attributes of customers")
class AttributeDefinitionController {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_]{0,63}");
    private static final Set<String> FIELDS = Set.of("name", "type", "labelZh", "labelEn", "description", "mergeStrategy");

    private final AttributeStore store;
    private final AuditLog audit;
    private final BrandClock clock;

    AttributeDefinitionController(AttributeStore store, AuditLog audit, BrandClock clock) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    /** An attribute definition as the API shows it. */
    record DefinitionView(String name, String type, String labelZh, String labelEn, String description,
            String mergeStrategy, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    }

    private DefinitionView view(AttributeDefinition d) {
        return new DefinitionView(d.name(), d.dataType().id(), d.labelZh(), d.labelEn(), d.description(),
                d.mergeStrategy().id(), clock.local(d.createdAt()), clock.local(d.updatedAt()));
    }

    @GetMapping
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "List attribute definitions")
    Map<String, List<DefinitionView>> list() {
        return Map.of("items", store.definitions().stream().map(this::view).toList());
    }

    @GetMapping("/{name}")
    @PreAuthorize("hasAuthority('customer:read')")
    DefinitionView get(@PathVariable String name) {
        return view(find(name));
    }

    @PostMapping
    @PreAuthorize("hasAuthority('schema:write')")
    @Transactional
    @Operation(summary = "Define an attribute", description = "type: string | number | boolean | date; "
            + "mergeStrategy: newest (default) | oldest | survivor | max | min.")
    ResponseEntity<DefinitionView> create(@RequestBody JsonNode body) {
        RequestBodies.object(body);
        checkFields(body);
        List<FieldProblem> problems = new ArrayList<>();
        String name = RequestBodies.text(body, "name", "", problems);
        String type = RequestBodies.text(body, "type", "", problems);
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add(FieldProblem.of("/name", "invalid-attribute-name", String.valueOf(name)));
        }
        var dataType = AttributeDefinition.DataType.fromId(String.valueOf(type));
        if (dataType.isEmpty()) {
            problems.add(FieldProblem.of("/type", "invalid-attribute-data-type", String.valueOf(type)));
        }
        String strategyText = RequestBodies.text(body, "mergeStrategy", "", problems);
        var strategy = AttributeDefinition.MergeStrategy.fromId(strategyText == null ? "newest" : strategyText);
        if (strategy.isEmpty()) {
            problems.add(FieldProblem.of("/mergeStrategy", "invalid-merge-strategy", strategyText));
        }
        if (!problems.isEmpty()) {
            throw SiyuException.invalid(problems);
        }
        if (store.definition(name).isPresent()) {
            throw SiyuException.conflict("attribute-exists", name);
        }
        OffsetDateTime now = clock.now();
        AttributeDefinition d = new AttributeDefinition(name, dataType.get(),
                RequestBodies.optionalText(body, "labelZh", 100), RequestBodies.optionalText(body, "labelEn", 100),
                RequestBodies.optionalText(body, "description", 1000), strategy.get(), now, now);
        store.insert(d);
        audit.record("attribute-definition.create", "attribute-definition", name, Map.of("type", d.dataType().id()));
        return ResponseEntity.created(URI.create("/api/v1/attribute-definitions/" + name)).body(view(d));
    }

    @PatchMapping(path = "/{name}", consumes = {"application/merge-patch+json", "application/json"})
    @PreAuthorize("hasAuthority('schema:write')")
    @Transactional
    @Operation(summary = "Change labels, description or merge strategy", description = "The type can change only "
            + "while no customer has a value for the attribute.")
    DefinitionView patch(@PathVariable String name, @RequestBody JsonNode body) {
        RequestBodies.object(body);
        checkFields(body);
        AttributeDefinition d = find(name);
        List<FieldProblem> problems = new ArrayList<>();
        if (body.has("name") && !name.equals(RequestBodies.text(body, "name", "", problems))) {
            problems.add(FieldProblem.of("/name", "attribute-name-immutable", name));
        }
        var dataType = d.dataType();
        if (body.has("type")) {
            var t = AttributeDefinition.DataType.fromId(String.valueOf(RequestBodies.text(body, "type", "", problems)));
            if (t.isEmpty()) {
                problems.add(FieldProblem.of("/type", "invalid-attribute-data-type", body.get("type").asString()));
            } else {
                dataType = t.get();
            }
        }
        var strategy = d.mergeStrategy();
        if (body.has("mergeStrategy")) {
            var s = AttributeDefinition.MergeStrategy.fromId(String.valueOf(RequestBodies.text(body, "mergeStrategy", "", problems)));
            if (s.isEmpty()) {
                problems.add(FieldProblem.of("/mergeStrategy", "invalid-merge-strategy", body.get("mergeStrategy").asString()));
            } else {
                strategy = s.get();
            }
        }
        if (!problems.isEmpty()) {
            throw SiyuException.invalid(problems);
        }
        if (dataType != d.dataType() && store.inUse(name)) {
            throw SiyuException.conflict("attribute-in-use", name);
        }
        AttributeDefinition next = new AttributeDefinition(name, dataType,
                body.has("labelZh") ? RequestBodies.optionalText(body, "labelZh", 100) : d.labelZh(),
                body.has("labelEn") ? RequestBodies.optionalText(body, "labelEn", 100) : d.labelEn(),
                body.has("description") ? RequestBodies.optionalText(body, "description", 1000) : d.description(),
                strategy, d.createdAt(), clock.now());
        store.update(next);
        audit.record("attribute-definition.update", "attribute-definition", name, Map.of());
        return view(next);
    }

    @DeleteMapping("/{name}")
    @PreAuthorize("hasAuthority('schema:write')")
    @Transactional
    @Operation(summary = "Remove an attribute definition", description = "Refused (409) while customers have values.")
    ResponseEntity<Void> delete(@PathVariable String name) {
        find(name);
        if (store.inUse(name)) {
            throw SiyuException.conflict("attribute-in-use", name);
        }
        store.deleteDefinition(name);
        audit.record("attribute-definition.delete", "attribute-definition", name, Map.of());
        return ResponseEntity.noContent().build();
    }

    private AttributeDefinition find(String name) {
        return store.definition(name).orElseThrow(() -> SiyuException.notFound("attribute-not-found", name));
    }

    private static void checkFields(JsonNode body) {
        List<FieldProblem> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : body.properties()) {
            if (!FIELDS.contains(e.getKey())) {
                problems.add(FieldProblem.of("/" + e.getKey(), "unknown-field", e.getKey()));
            }
        }
        if (!problems.isEmpty()) {
            throw SiyuException.invalid(problems);
        }
    }
}
