package io.siyu.segment;

import java.util.Map;
import org.roaringbitmap.RoaringBitmap;
import tools.jackson.databind.JsonNode;

/**
 * The segment rule language for other modules (layering policies, rule-based tags, journeys):
 * parse and validate a rule, turn it back into JSON, and evaluate it.
 */
public interface SegmentRules {

    /**
     * Parses and validates a rule document ({@code {"version": 1, "rule": {...}}}) or a bare rule
     * node. Invalid rules fail with a 400 problem {@code invalid-rule} whose errors point at the
     * offending nodes (JSON pointers relative to {@code pointerPrefix}).
     */
    Rule parse(JsonNode json, String pointerPrefix);

    /** The rule as the JSON the language documents (a bare rule node, without the version wrapper). */
    Map<String, Object> toJson(Rule rule);

    /** The ids of all active customers the rule matches now (the bitmap engine when ready, else SQL). */
    RoaringBitmap members(Rule rule);

    /** Which of {@code candidates} the rule matches now. */
    RoaringBitmap members(Rule rule, RoaringBitmap candidates);

    /** The current members of a saved segment, or empty when there is no such segment. */
    java.util.Optional<RoaringBitmap> savedMembers(long segmentId);

    /**
     * Calls {@code listener} (on the engine's thread) with the customers whose facts the bitmap
     * engine has just re-read — after events, profile changes, a new RFM run, or a full reload (then
     * with everyone). Evaluating {@link #members(Rule, RoaringBitmap)} for them inside the call sees
     * the new facts. The listener must not throw and should be quick.
     */
    void onCustomersChanged(java.util.function.Consumer<RoaringBitmap> listener);
}
