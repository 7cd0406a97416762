package io.siyu.security.internal;

import io.siyu.platform.Actors;
import io.siyu.platform.Cursors;
import io.siyu.platform.FieldProblem;
import io.siyu.platform.Page;
import io.siyu.platform.SiyuException;
import io.siyu.security.Role;
import io.siyu.security.internal.ApiTokenStore.StoredToken;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates, lists and revokes API tokens, and recognises a presented token. */
@Service
class ApiTokenService {

    /** How stale {@code last_used_at} may get: an update per minute at most, not one per request. */
    static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);

    private static final String SORT = "-id";

    private final ApiTokenStore tokens;
    private final SecurityAudit audit;
    private final Clock clock;

    ApiTokenService(ApiTokenStore tokens, SecurityAudit audit, Clock clock) {
        this.tokens = tokens;
        this.audit = audit;
        this.clock = clock;
    }

    /** A new token's metadata and its secret, which is not kept and cannot be shown again. */
    record Created(StoredToken token, String secret) {
    }

    @Transactional
    Created create(String requestedName, String requestedRole, OffsetDateTime expiresAt) {
        OffsetDateTime now = now();
        Checks checks = new Checks();
        String name = checks.text("/name", requestedName, 100);
        Role role = checks.role("/role", requestedRole);
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            checks.add(FieldProblem.of("/expiresAt", "expiry-not-in-future"));
        }
        checks.throwIfAny();
        if (tokens.nameTaken(name)) {
            throw SiyuException.conflict("api-token-name-taken", name);
        }
        String secret = Secrets.generate(Secrets.API_TOKEN);
        OffsetDateTime expiry = expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.MICROS);
        long id = tokens.insert(name, role.id(), Secrets.hash(secret), Secrets.displayPrefix(Secrets.API_TOKEN, secret),
                expiry, now, Actors.currentName());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", name);
        details.put("role", role.id());
        if (expiry != null) {
            details.put("expiresAt", expiry.toString());
        }
        audit.record("api-token.create", "api-token", id, details);
        return new Created(tokens.find(id).orElseThrow(), secret);
    }

    @Transactional(readOnly = true)
    Page<StoredToken> list(Integer limit, String cursor) {
        int size = Cursors.limit(limit);
        return IdPaging.page(tokens.page(IdPaging.start(cursor, SORT), size + 1), size, StoredToken::id, SORT);
    }

    @Transactional(readOnly = true)
    StoredToken get(long id) {
        return tokens.find(id).orElseThrow(() -> SiyuException.notFound("api-token-not-found", String.valueOf(id)));
    }

    @Transactional
    StoredToken revoke(long id) {
        StoredToken token = get(id);
        if (tokens.revoke(id, now(), Actors.currentName())) {
            audit.record("api-token.revoke", "api-token", id, Map.of("name", token.name()));
        }
        return tokens.find(id).orElseThrow();
    }

    /** The caller a presented secret stands for; empty when it is unknown, revoked or expired. */
    Optional<ApiTokenAuthentication> authenticate(String presented) {
        if (!Secrets.looksLike(Secrets.API_TOKEN, presented)) {
            return Optional.empty();
        }
        OffsetDateTime now = now();
        Optional<StoredToken> found = tokens.findBySecretHash(Secrets.hash(presented)).filter(t -> t.activeAt(now));
        Optional<Role> role = found.flatMap(t -> Role.fromId(t.role()));
        if (role.isEmpty()) {
            return Optional.empty();
        }
        StoredToken token = found.get();
        OffsetDateTime staleBefore = now.minus(LAST_USED_PRECISION);
        if (token.lastUsedAt() == null || token.lastUsedAt().isBefore(staleBefore)) {
            tokens.touch(token.id(), now, staleBefore);
        }
        return Optional.of(new ApiTokenAuthentication(token.id(), token.name(), role.get()));
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MICROS);
    }
}
