package io.siyu.layer;

import java.util.List;
import java.util.Optional;

/**
 * Which layers a customer is in, for messaging (how often and how to reach them) and loyalty (what
 * they are entitled to). Each active layering policy puts every active customer in exactly one of
 * its layers; layers follow behaviour as events arrive and are re-evaluated daily.
 */
public interface Layers {

    /** The customer's layer in each active policy, the primary policy (lowest priority number) first. */
    List<CustomerLayer> layersOf(long customerId);

    /**
     * The contact policy of the customer's layer in the primary active policy (lowest priority
     * number, then oldest); empty when no active policy has placed the customer yet.
     */
    Optional<ContactPolicy> contactPolicyOf(long customerId);
}
