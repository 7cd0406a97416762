package io.siyu.customer;

/**
 * Published after {@code mergedId} was merged into {@code survivorId} (same transaction), so that
 * modules holding per-customer data (tags, events, points) move it to the survivor.
 */
public record CustomersMerged(long survivorId, long mergedId) {
}
