package io.siyu.security.internal;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.siyu.platform.Page;
import io.siyu.security.internal.WriteKeyStore.StoredWriteKey;
import java.net.URI;
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

/** Write keys for tracking clients (one per source: web site, mini program, server). Administrators only. */
@RestController
@RequestMapping("/api/v1/write-keys")
@PreAuthorize("hasAuthority('token:admin')")
class WriteKeyController {

    private final WriteKeyService service;

    WriteKeyController(WriteKeyService service) {
        this.service = service;
    }

    record NewWriteKey(String name, String description) {
    }

    /** A write key as listed: never the key, only its first characters to recognise it by. */
    record WriteKeyView(String id, String name, String description, String prefix, String status,
            OffsetDateTime createdAt, String createdBy, OffsetDateTime revokedAt, String revokedBy) {
    }

    /** The answer to a creation: the metadata and, this once, the key. */
    record CreatedWriteKey(@JsonUnwrapped WriteKeyView metadata, String key) {
    }

    @PostMapping
    ResponseEntity<CreatedWriteKey> create(@RequestBody NewWriteKey body) {
        WriteKeyService.Created created = service.create(body.name(), body.description());
        WriteKeyView view = view(created.key());
        return ResponseEntity.created(URI.create("/api/v1/write-keys/" + view.id()))
                .body(new CreatedWriteKey(view, created.secret()));
    }

    @GetMapping
    Page<WriteKeyView> list(@RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        return service.list(limit, cursor).map(WriteKeyController::view);
    }

    @GetMapping("/{id}")
    WriteKeyView get(@PathVariable long id) {
        return view(service.get(id));
    }

    @PostMapping("/{id}/revoke")
    WriteKeyView revoke(@PathVariable long id) {
        return view(service.revoke(id));
    }

    private static WriteKeyView view(StoredWriteKey k) {
        return new WriteKeyView(String.valueOf(k.id()), k.name(), k.description(), k.prefix(),
                k.revokedAt() == null ? "active" : "revoked", k.createdAt(), k.createdBy(), k.revokedAt(),
                k.revokedBy());
    }
}
