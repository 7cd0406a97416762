package io.siyu.layer.internal;

import io.siyu.layer.internal.LayerAssignment.Move;
import io.siyu.layer.internal.LayerAssignment.Step;
import io.siyu.platform.BrandClock;
import io.siyu.platform.JobContext;
import io.siyu.segment.Rule;
import io.siyu.segment.SegmentRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.roaringbitmap.RoaringBitmap;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Puts customers into a policy's layers: for everyone (on demand, daily, after an edit or an RFM
 * run) or for the customers whose facts just changed. Either way it computes where the customers
 * in scope belong now, compares with where they are, and writes only the moves. One evaluation of
 * a policy runs at a time, so a full pass and an incremental one never interleave their writes.
 */
@Service
class LayerEvaluator {

    private static final int CHUNK = 2000;
    private static final Rule EVERYONE = new Rule.And(List.of());

    private final PolicyStore policies;
    private final AssignmentStore assignments;
    private final SegmentRules rules;
    private final TransactionTemplate tx;
    private final BrandClock clock;
    private final ObjectMapper json;
    private final Map<Long, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Map<Long, Parsed> parsed = new ConcurrentHashMap<>();

    LayerEvaluator(PolicyStore policies, AssignmentStore assignments, SegmentRules rules, TransactionTemplate tx,
            BrandClock clock, ObjectMapper json) {
        this.policies = policies;
        this.assignments = assignments;
        this.rules = rules;
        this.tx = tx;
        this.clock = clock;
        this.json = json;
    }

    /** A policy's rules, parsed once per version. */
    private record Parsed(int version, List<Rule> rules) {
    }

    /** What an evaluation did: how many customers it looked at, and how many moved into each layer. */
    record Result(String policyId, int customers, int moved, Map<String, Integer> movedInto, long millis) {
    }

    /** Every active customer (null scope) or the customers in {@code scope}; reason goes to the transitions. */
    Result evaluate(long policyId, RoaringBitmap scope, String reason, JobContext job) {
        long started = System.nanoTime();
        ReentrantLock lock = locks.computeIfAbsent(policyId, k -> new ReentrantLock());
        lock.lock();
        try {
            var found = policies.find(policyId);
            if (found.isEmpty() || !found.get().row().active()) {
                return new Result(String.valueOf(policyId), 0, 0, Map.of(), 0);
            }
            PolicyStore.Policy policy = found.get();
            List<Rule> layerRules = rules(policy);
            RoaringBitmap universe = scope == null ? rules.members(EVERYONE) : rules.members(EVERYONE, scope);
            List<Step> steps = new ArrayList<>();
            for (int i = 0; i < layerRules.size(); i++) {
                Rule rule = layerRules.get(i);
                // everyone at once is one query (or bitmap pass); a few customers are looked up by id
                steps.add(new Step(policy.ruled().get(i).id(), scope == null
                        ? candidates -> RoaringBitmap.and(rules.members(rule), candidates)
                        : candidates -> rules.members(rule, candidates)));
            }
            Map<Long, RoaringBitmap> target = LayerAssignment.firstMatch(universe, steps, policy.defaultLayer().id());
            Map<Long, RoaringBitmap> current = assignments.current(policyId, scope);
            List<Move> moves = LayerAssignment.diff(current, target);
            int moved = write(policy, moves, reason, job);
            if (scope == null) {
                policies.evaluated(policyId, clock.now());
            }
            Map<String, Integer> into = new LinkedHashMap<>();
            Map<Long, String> keys = keys(policy);
            for (Move m : moves) {
                if (m.to() != null) {
                    into.merge(keys.get(m.to()), m.customers().getCardinality(), Integer::sum);
                }
            }
            return new Result(String.valueOf(policyId), universe.getCardinality(), moved, into,
                    (System.nanoTime() - started) / 1_000_000);
        } finally {
            lock.unlock();
        }
    }

    private int write(PolicyStore.Policy policy, List<Move> moves, String reason, JobContext job) {
        long total = moves.stream().mapToLong(m -> m.customers().getLongCardinality()).sum();
        if (job != null) {
            job.total(total);
        }
        Map<Long, String> keys = keys(policy);
        int done = 0;
        for (Move move : moves) {
            for (List<Long> chunk : AssignmentStore.chunks(move.customers(), CHUNK)) {
                var at = clock.now();
                tx.executeWithoutResult(s -> assignments.apply(policy.row().id(), move, chunk, keys, reason, at));
                done += chunk.size();
                if (job != null && !job.proceed(done)) {
                    return done;
                }
            }
        }
        return done;
    }

    private static Map<Long, String> keys(PolicyStore.Policy policy) {
        Map<Long, String> keys = new HashMap<>();
        policy.layers().forEach(l -> keys.put(l.id(), l.key()));
        return keys;
    }

    private List<Rule> rules(PolicyStore.Policy policy) {
        Parsed p = parsed.get(policy.row().id());
        if (p == null || p.version() != policy.row().version()) {
            List<Rule> list = new ArrayList<>();
            for (int i = 0; i < policy.ruled().size(); i++) {
                list.add(rules.parse(json.readTree(policy.ruled().get(i).ruleJson()), "/layers/" + i + "/rule"));
            }
            p = new Parsed(policy.row().version(), list);
            parsed.put(policy.row().id(), p);
        }
        return p.rules();
    }

    /** Forgets a policy's parsed rules (after an edit that did not change its version, or a delete). */
    void forget(long policyId) {
        parsed.remove(policyId);
    }

    /** Runs {@code work} while no evaluation of the policy is running. */
    void exclusively(long policyId, Runnable work) {
        ReentrantLock lock = locks.computeIfAbsent(policyId, k -> new ReentrantLock());
        lock.lock();
        try {
            work.run();
        } finally {
            lock.unlock();
        }
    }
}
