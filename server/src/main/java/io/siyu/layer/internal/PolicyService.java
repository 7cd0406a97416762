package io.siyu.layer.internal;

import io.siyu.compliance.AuditLog;
import io.siyu.platform.Actors;
import io.siyu.platform.BrandClock;
import io.siyu.platform.FieldProblem;
import io.siyu.platform.Job;
import io.siyu.platform.Jobs;
import io.siyu.platform.SiyuException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** Creating, changing and deleting layering policies; each write is audited and followed by an evaluation. */
@Service
class PolicyService {

    static final String JOB_KIND = "layer-evaluate";

    private final PolicyStore store;
    private final PolicyBody body;
    private final AssignmentStore assignments;
    private final LayerEvaluator evaluator;
    private final Jobs jobs;
    private final AuditLog audit;
    private final BrandClock clock;
    private final TransactionTemplate tx;

    PolicyService(PolicyStore store, PolicyBody body, AssignmentStore assignments, LayerEvaluator evaluator, Jobs jobs,
            AuditLog audit, BrandClock clock, TransactionTemplate tx) {
        this.store = store;
        this.body = body;
        this.assignments = assignments;
        this.evaluator = evaluator;
        this.jobs = jobs;
        this.audit = audit;
        this.clock = clock;
        this.tx = tx;
    }

    PolicyStore.Policy create(JsonNode json, String preset) {
        PolicyBody.Draft draft = body.read(json);
        for (PolicyStore.LayerRow l : draft.layers()) {
            if (l.id() != 0) {
                throw SiyuException.invalid(List.of(FieldProblem.of("/layers", "layer-id-unknown", l.id())));
            }
        }
        long id = unique(draft.name(), () -> tx.execute(s -> {
            if (store.nameTaken(draft.name(), 0)) {
                throw SiyuException.conflict("layer-policy-exists", draft.name());
            }
            var now = clock.now();
            long policyId = store.insert(draft.name(), draft.description(), preset, draft.active(), draft.priority(),
                    Actors.currentName(), now);
            store.replaceLayers(policyId, draft.layers(), now);
            Map<String, Object> details = new HashMap<>();
            details.put("name", draft.name());
            details.put("layers", draft.layers().size());
            if (preset != null) {
                details.put("preset", preset);
            }
            audit.record("layer-policy.create", "layer-policy", String.valueOf(policyId), details);
            return policyId;
        }));
        PolicyStore.Policy policy = store.find(id).orElseThrow();
        if (policy.row().active()) {
            startEvaluation(id, "created");
        }
        return policy;
    }

    /** Applies a JSON Merge Patch to the policy's document (layers are matched to the stored ones by id, then key). */
    PolicyStore.Policy patch(long id, JsonNode patch, Integer expectedVersion, JsonNode current) {
        if (patch == null || !patch.isObject()) {
            throw SiyuException.badRequest("expected-json-object");
        }
        JsonNode merged = MergePatch.apply(current, patch);
        PolicyBody.Draft draft = body.read(merged);
        boolean[] reevaluate = {false};
        unique(draft.name(), () -> {
            evaluator.exclusively(id, () -> tx.executeWithoutResult(s -> {
                PolicyStore.Policy before = store.find(id).orElseThrow(() -> SiyuException.notFound(
                        "layer-policy-not-found", id));
                if (expectedVersion != null && expectedVersion != before.row().version()) {
                    throw SiyuException.of(HttpStatus.PRECONDITION_FAILED, "layer-policy-stale", id);
                }
                if (store.nameTaken(draft.name(), id)) {
                    throw SiyuException.conflict("layer-policy-exists", draft.name());
                }
                var now = clock.now();
                List<PolicyStore.LayerRow> layers = matchIds(before, draft.layers());
                store.update(id, draft.name(), draft.description(), draft.active(), draft.priority(), now);
                store.replaceLayers(id, layers, now);
                if (before.row().active() && !draft.active()) {
                    assignments.clear(id, now, "deactivated");
                }
                reevaluate[0] = draft.active();
                audit.record("layer-policy.update", "layer-policy", String.valueOf(id),
                        Map.of("name", draft.name(), "active", draft.active(), "layers", layers.size()));
            }));
            return id;
        });
        evaluator.forget(id);
        if (reevaluate[0]) {
            startEvaluation(id, "edited");
        }
        return store.find(id).orElseThrow();
    }

    void delete(long id) {
        evaluator.exclusively(id, () -> tx.executeWithoutResult(s -> {
            PolicyStore.Policy p = store.find(id).orElseThrow(() -> SiyuException.notFound("layer-policy-not-found", id));
            store.delete(id);
            audit.record("layer-policy.delete", "layer-policy", String.valueOf(id), Map.of("name", p.row().name()));
        }));
        evaluator.forget(id);
    }

    Job startEvaluation(long id, String reason) {
        return jobs.start(JOB_KIND, context -> evaluator.evaluate(id, null, reason, context));
    }

    /** Keeps the ids of layers the draft names by id, else finds the stored layer with the same key. */
    private static List<PolicyStore.LayerRow> matchIds(PolicyStore.Policy before, List<PolicyStore.LayerRow> draft) {
        Map<Long, PolicyStore.LayerRow> byId = new HashMap<>();
        Map<String, Long> byKey = new HashMap<>();
        before.layers().forEach(l -> {
            byId.put(l.id(), l);
            byKey.put(l.key(), l.id());
        });
        List<PolicyStore.LayerRow> out = new ArrayList<>();
        java.util.Set<Long> used = new java.util.HashSet<>();
        for (int i = 0; i < draft.size(); i++) {
            PolicyStore.LayerRow l = draft.get(i);
            long id = l.id();
            if (id != 0 && !byId.containsKey(id)) {
                String at = i == draft.size() - 1 ? "/defaultLayer/id" : "/layers/" + i + "/id";
                throw SiyuException.invalid(List.of(FieldProblem.of(at, "layer-id-unknown", id)));
            }
            if (id == 0) {
                id = byKey.getOrDefault(l.key(), 0L);
            }
            if (id != 0 && !used.add(id)) {
                id = 0;
            }
            out.add(new PolicyStore.LayerRow(id, l.key(), l.name(), l.nameEn(), l.description(), l.colour(),
                    l.isDefault(), l.ruleJson(), l.contact(), l.benefits()));
        }
        return out;
    }

    private static long unique(String name, java.util.function.LongSupplier work) {
        try {
            return work.getAsLong();
        } catch (DuplicateKeyException e) {
            throw SiyuException.conflict("layer-policy-exists", name);
        }
    }
}
