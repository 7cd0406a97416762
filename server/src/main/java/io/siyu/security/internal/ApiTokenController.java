package io.siyu.security.internal;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.siyu.platform.Page;
import io.siyu.security.internal.ApiTokenStore.StoredToken;
import java.net.URI;
import java.time.Clock;
import java.time.OffsetDateTime;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** API tokens for scripts: {@code Authorization: Bearer siyu_at_…}. Administrators only. */
@RestController
@RequestMapping("/api/v1/api-tokens")
@PreAuthorize("hasAuthority('token:admin')")
class ApiTokenController {

    private final ApiTokenService service;
    private final Clock clock;

    ApiTokenController(ApiTokenService service, Clock clock) {
        this.service = service;
        this.clock = clock;
    }

    record NewApiToken(String name, String role, OffsetDateTime expiresAt) {
    }

    /** A token as listed: never its secret, only the first characters to recognise it by. */
    record ApiTokenView(String id, String name, String role, String prefix, String status, OffsetDateTime createdAt,
            String createdBy, OffsetDateTime expiresAt, OffsetDateTime lastUsedAt, OffsetDateTime revokedAt,
            String revokedBy) {
    }

    /** The answer to a creation: the metadata and, this once, the secret. */
    record CreatedApiToken(@JsonUnwrapped ApiTokenView metadata, String token) {
    }

    @PostMapping
    ResponseEntity<CreatedApiToken> create(@RequestBody NewApiToken body) {
        ApiTokenService.Created created = service.create(body.name(), body.role(), body.expiresAt());
        ApiTokenView view = view(created.token());
        return ResponseEntity.created(URI.create("/api/v1/api-tokens/" + view.id()))
                .body(new CreatedApiToken(view, created.secret()));
    }

    @GetMapping
    Page<ApiTokenView> list(@RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        return service.list(limit, cursor).map(this::view);
    }

    @GetMapping("/{id}")
    ApiTokenView get(@PathVariable long id) {
        return view(service.get(id));
    }

    @PostMapping("/{id}/revoke")
    ApiTokenView revoke(@PathVariable long id) {
        return view(service.revoke(id));
    }

    private ApiTokenView view(StoredToken t) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        String status = t.revokedAt() != null ? "revoked" : t.activeAt(now) ? "active" : "expired";
        return new ApiTokenView(String.valueOf(t.id()), t.name(), t.role(), t.prefix(), status, t.createdAt(),
                t.createdBy(), t.expiresAt(), t.lastUsedAt(), t.revokedAt(), t.revokedBy());
    }
}
