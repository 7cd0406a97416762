package io.siyu.security.internal;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.siyu.platform.Actors;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Security switches that administrators change at run time, kept in {@code system_setting}. They
 * are read on every request, so they are cached; a change applies at once on this instance and
 * within {@link #CACHE_TTL} on others.
 */
@Service
class SecuritySettings {

    static final String BASIC_AUTH_ENABLED = "security.basic-auth-enabled";
    static final Duration CACHE_TTL = Duration.ofSeconds(10);

    private final SettingStore store;
    private final SecurityAudit audit;
    private final Clock clock;
    private final LoadingCache<String, Boolean> flags;

    SecuritySettings(SettingStore store, SecurityAudit audit, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
        // HTTP Basic is on until an administrator turns it off: scripts written against a new
        // installation work before anyone has visited the settings.
        this.flags = Caffeine.newBuilder().expireAfterWrite(CACHE_TTL).build(this::readFlag);
    }

    private boolean readFlag(String name) {
        return store.find(name).map(Boolean::parseBoolean).orElse(true);
    }

    boolean basicAuthEnabled() {
        return flags.get(BASIC_AUTH_ENABLED);
    }

    @Transactional
    void setBasicAuthEnabled(boolean enabled) {
        boolean before = readFlag(BASIC_AUTH_ENABLED);
        store.put(BASIC_AUTH_ENABLED, String.valueOf(enabled), OffsetDateTime.now(clock), Actors.currentName());
        if (before != enabled) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("basicAuthEnabled", enabled);
            details.put("previous", before);
            audit.record("settings.security.change", "setting", BASIC_AUTH_ENABLED, details);
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                flags.invalidate(BASIC_AUTH_ENABLED);
            }
        });
    }
}
