package io.siyu.layer;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * The layer a customer is in under one active layering policy, with what the layer grants: its
 * contact policy and its benefits.
 */
public record CustomerLayer(long policyId, String policyName, int policyPriority, long layerId, String key, String name,
        String nameEn, String colour, boolean defaultLayer, OffsetDateTime since, ContactPolicy contactPolicy,
        List<String> benefits) {

    public CustomerLayer {
        benefits = List.copyOf(benefits);
    }
}
