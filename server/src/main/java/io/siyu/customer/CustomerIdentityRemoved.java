package io.siyu.customer;

/**
 * Published when an identity was taken off a customer by hand, so that caches mapping identities
 * to customers drop what they remember about that customer.
 */
public record CustomerIdentityRemoved(long customerId) {
}
