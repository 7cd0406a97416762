package io.siyu.security.internal;

import io.siyu.platform.Page;
import io.siyu.security.internal.UserStore.StoredUser;
import java.net.URI;
import java.time.OffsetDateTime;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Console users and their roles. Changed with JSON merge patches; never deleted, only disabled. */
@RestController
@RequestMapping("/api/v1/users")
@PreAuthorize("hasAuthority('user:admin')")
class UserController {

    private final UserService service;

    UserController(UserService service) {
        this.service = service;
    }

    record NewUser(String username, String password, String role, String displayName) {

        @Override
        public String toString() {
            return "NewUser[username=" + username + ", role=" + role + "]";
        }
    }

    record UserView(String id, String username, String displayName, String role, boolean enabled,
            OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    }

    @PostMapping
    ResponseEntity<UserView> create(@RequestBody NewUser body) {
        UserView user = view(service.create(body.username(), body.password(), body.role(), body.displayName()));
        return ResponseEntity.created(URI.create("/api/v1/users/" + user.id())).body(user);
    }

    @GetMapping
    Page<UserView> list(@RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        return service.list(limit, cursor).map(UserController::view);
    }

    @GetMapping("/{id}")
    UserView get(@PathVariable long id) {
        return view(service.get(id));
    }

    @PatchMapping(path = "/{id}", consumes = {"application/merge-patch+json", "application/json"})
    UserView change(@PathVariable long id, @RequestBody JsonNode patch) {
        return view(service.change(id, UserPatch.parse(patch)));
    }

    private static UserView view(StoredUser u) {
        return new UserView(String.valueOf(u.id()), u.username(), u.displayName(), u.role(), u.enabled(),
                u.createdAt(), u.updatedAt());
    }
}
