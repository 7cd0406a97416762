package io.siyu.platform.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Decides what a request with an {@code Idempotency-Key} may do: run (it holds the claim), be
 * answered from the record, or be refused because the key is busy or belongs to another request.
 * Records live for {@code siyu.api.idempotency-retention}; a claim left behind by a request that
 * never finished (a crash) is given up after {@code siyu.api.idempotency-abandon-after}.
 */
@Service
class IdempotencyLedger {

    /** What a request may do with its key. */
    sealed interface Claim {
    }

    /** This request holds the key and runs; {@code token} identifies its claim. */
    record Owned(String actor, String key, OffsetDateTime token) implements Claim {
    }

    /** The same request already completed: answer with its response. */
    record Replay(RecordedResponse response) implements Claim {
    }

    /** The key was used for a different request. */
    record Reused() implements Claim {
    }

    /** The same key is held by a request still running. */
    record InProgress() implements Claim {
    }

    /** Claims are re-read when they vanish or are replaced under us; a few rounds settle any race. */
    private static final int ATTEMPTS = 4;

    private final IdempotencyStore store;
    private final Clock clock;
    private final Duration retention;
    private final Duration abandonAfter;

    IdempotencyLedger(IdempotencyStore store, Clock clock,
            @Value("${siyu.api.idempotency-retention:24h}") Duration retention,
            @Value("${siyu.api.idempotency-abandon-after:10m}") Duration abandonAfter) {
        this.store = store;
        this.clock = clock;
        this.retention = retention;
        this.abandonAfter = abandonAfter;
    }

    Claim claim(String actor, String key, String requestHash) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            OffsetDateTime now = now();
            if (store.insertClaim(actor, key, requestHash, now)) {
                return new Owned(actor, key, now);
            }
            Optional<IdempotencyStore.Stored> found = store.find(actor, key);
            if (found.isEmpty()) {
                continue;
            }
            IdempotencyStore.Stored stored = found.get();
            if (isStale(stored, now)) {
                if (store.replace(actor, key, stored.createdAt(), requestHash, now)) {
                    return new Owned(actor, key, now);
                }
                continue;
            }
            if (!stored.requestHash().equals(requestHash)) {
                return new Reused();
            }
            return stored.response().<Claim>map(Replay::new).orElseGet(InProgress::new);
        }
        return new InProgress();
    }

    /** Records the final answer of an owned claim; false if the claim was meanwhile given up. */
    boolean complete(Owned claim, RecordedResponse response) {
        return store.complete(claim.actor(), claim.key(), claim.token(), response);
    }

    void release(Owned claim) {
        store.release(claim.actor(), claim.key(), claim.token());
    }

    /** Deletes records older than the retention; returns how many went. */
    int deleteExpired() {
        return store.deleteOlderThan(now().minus(retention));
    }

    private boolean isStale(IdempotencyStore.Stored stored, OffsetDateTime now) {
        Duration lifetime = stored.response().isPresent() ? retention : abandonAfter;
        return stored.createdAt().plus(lifetime).isBefore(now);
    }

    /**
     * Millisecond precision, which both databases store exactly: the value written is the token
     * later matched with {@code =}.
     */
    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MILLIS);
    }
}
