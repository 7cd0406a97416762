package io.siyu.customer;

/** Published when a customer's personal data was erased, so other modules erase theirs. */
public record CustomerErased(long customerId) {
}
