package io.siyu.wecom.internal;

import java.util.function.Supplier;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DuplicateKeyException;

/**
 * Runs a whole transaction again when it lost a race (two callbacks creating the same customer, a
 * sync and a callback on the same group): the failed attempt was rolled back entirely, and the next
 * one sees the winner's rows.
 */
final class Races {

    private static final int ATTEMPTS = 3;

    private Races() {
    }

    static <T> T retry(Supplier<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (DuplicateKeyException | ConcurrencyFailureException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
