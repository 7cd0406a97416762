package io.siyu.staff.internal;

import io.siyu.customer.CustomerErased;
import io.siyu.customer.CustomersMerged;
import io.siyu.platform.BrandClock;
import io.siyu.staff.StaffDirectory;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Staff and ownership. Listens to customer merges and erasures in the same transaction, so an
 * owner is never left pointing at a merged or erased customer.
 */
@Service
class StaffService implements StaffDirectory {

    private final StaffStore store;
    private final BrandClock clock;

    StaffService(StaffStore store, BrandClock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    @Transactional
    public long add(String name, String title, String wecomUserId) {
        return store.insert(name, title, wecomUserId, clock.now());
    }

    @Override
    @Transactional
    public void assignOwner(long customerId, long staffId, OffsetDateTime since) {
        store.setOwner(customerId, staffId, since);
    }

    @Override
    public Optional<Long> ownerOf(long customerId) {
        return store.owner(customerId);
    }

    @Override
    @Transactional
    public long forWecomUser(String wecomUserId) {
        return store.byWecomUserId(wecomUserId).orElseGet(() -> {
            store.insertIfAbsent(wecomUserId, wecomUserId, clock.now());
            return store.byWecomUserId(wecomUserId).orElseThrow();
        });
    }

    @Override
    public Optional<String> wecomUserIdOf(long staffId) {
        return store.find(staffId).map(StaffStore.StaffRow::wecomUserId);
    }

    /** The survivor keeps its owner; if it had none, it takes the longer-standing relationship of the merged one. */
    @EventListener
    void on(CustomersMerged merged) {
        Optional<Long> theirs = store.owner(merged.mergedId());
        if (theirs.isPresent() && store.owner(merged.survivorId()).isEmpty()) {
            store.setOwner(merged.survivorId(), theirs.get(), store.ownedSince(merged.mergedId()).orElse(clock.now()));
        }
        store.removeOwner(merged.mergedId());
    }

    @EventListener
    void on(CustomerErased erased) {
        store.removeOwner(erased.customerId());
    }
}
