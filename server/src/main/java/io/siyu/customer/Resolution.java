package io.siyu.customer;

import java.util.List;

/**
 * The outcome of resolving a set of identities: the one customer they now belong to, whether it was
 * created, which customers were merged into it, and what was refused or ignored.
 */
public record Resolution(long customerId, boolean created, List<Long> mergedCustomerIds, List<Conflict> conflicts,
        List<Ignored> ignored) {

    public Resolution {
        mergedCustomerIds = List.copyOf(mergedCustomerIds);
        conflicts = List.copyOf(conflicts);
        ignored = List.copyOf(ignored);
    }

    /** A link or merge that was refused and recorded for review. */
    public record Conflict(long conflictId, String reason, String type, List<Long> customerIds) {
        public Conflict {
            customerIds = List.copyOf(customerIds);
        }
    }

    /** An identity dropped because its value is junk ({@code null}, {@code 0}, {@code anonymous}, ...). */
    public record Ignored(String type, String reason) {
    }
}
