package io.siyu.security.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.siyu.platform.Actors;
import io.siyu.platform.Cursors;
import io.siyu.platform.Page;
import io.siyu.platform.SiyuException;
import io.siyu.security.WriteKey;
import io.siyu.security.WriteKeys;
import io.siyu.security.internal.WriteKeyStore.StoredWriteKey;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Creates, lists and revokes write keys, and recognises them for the tracking API. Every tracked
 * batch presents a key, so answers are cached briefly (by hash, never by the key itself); a
 * revocation clears the cache of this instance at once and other instances within the TTL.
 */
@Service
class WriteKeyService implements WriteKeys {

    static final Duration CACHE_TTL = Duration.ofSeconds(30);
    private static final String SORT = "-id";

    private final WriteKeyStore keys;
    private final SecurityAudit audit;
    private final Clock clock;
    private final Cache<String, Optional<WriteKey>> byHash = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(CACHE_TTL).build();

    WriteKeyService(WriteKeyStore keys, SecurityAudit audit, Clock clock) {
        this.keys = keys;
        this.audit = audit;
        this.clock = clock;
    }

    /** A new key's metadata and the key, which is not kept and cannot be shown again. */
    record Created(StoredWriteKey key, String secret) {
    }

    @Override
    public Optional<WriteKey> authenticate(String presentedKey) {
        if (!Secrets.looksLike(Secrets.WRITE_KEY, presentedKey)) {
            return Optional.empty();
        }
        return byHash.get(Secrets.hash(presentedKey), hash -> keys.findActiveBySecretHash(hash)
                .map(k -> new WriteKey(k.id(), k.name())));
    }

    @Override
    @Transactional
    public WriteKey inProcess(String name, String description) {
        StoredWriteKey key = keys.findActiveByName(name).orElseGet(() -> create(name, description).key());
        return new WriteKey(key.id(), key.name());
    }

    @Transactional
    Created create(String requestedName, String requestedDescription) {
        Checks checks = new Checks();
        String name = checks.text("/name", requestedName, 100);
        String description = checks.optionalText("/description", requestedDescription, 500);
        checks.throwIfAny();
        if (keys.nameTaken(name)) {
            throw SiyuException.conflict("write-key-name-taken", name);
        }
        String secret = Secrets.generate(Secrets.WRITE_KEY);
        long id = keys.insert(name, description, Secrets.hash(secret),
                Secrets.displayPrefix(Secrets.WRITE_KEY, secret), now(), Actors.currentName());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", name);
        audit.record("write-key.create", "write-key", id, details);
        return new Created(keys.find(id).orElseThrow(), secret);
    }

    @Transactional(readOnly = true)
    Page<StoredWriteKey> list(Integer limit, String cursor) {
        int size = Cursors.limit(limit);
        return IdPaging.page(keys.page(IdPaging.start(cursor, SORT), size + 1), size, StoredWriteKey::id, SORT);
    }

    @Transactional(readOnly = true)
    StoredWriteKey get(long id) {
        return keys.find(id).orElseThrow(() -> SiyuException.notFound("write-key-not-found", String.valueOf(id)));
    }

    @Transactional
    StoredWriteKey revoke(long id) {
        StoredWriteKey key = get(id);
        if (keys.revoke(id, now(), Actors.currentName())) {
            audit.record("write-key.revoke", "write-key", id, Map.of("name", key.name()));
            // Cleared after commit: cleared earlier, a concurrent lookup could cache the key as active again.
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    byHash.invalidateAll();
                }
            });
        }
        return keys.find(id).orElseThrow();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MICROS);
    }
}
