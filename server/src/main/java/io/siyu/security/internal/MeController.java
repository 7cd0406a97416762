package io.siyu.security.internal;

import java.util.List;
import java.util.regex.Pattern;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Who the caller is and what it may do, so the console can show only what will work. */
@RestController
class MeController {

    /** Permissions only: Spring also grants markers such as {@code FACTOR_PASSWORD}. */
    private static final Pattern PERMISSION = Pattern.compile("[a-z][a-z0-9-]*:[a-z][a-z0-9-]*");

    private final UserStore users;

    MeController(UserStore users) {
        this.users = users;
    }

    record Me(String username, String displayName, String role, String kind, List<String> permissions) {
    }

    @GetMapping("/api/v1/me")
    Me me(Authentication caller) {
        List<String> permissions = caller.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(a -> a != null && PERMISSION.matcher(a).matches()).distinct().sorted().toList();
        if (caller instanceof ApiTokenAuthentication token) {
            return new Me(caller.getName(), token.tokenName(), token.role().id(), "api-token", permissions);
        }
        var user = users.findByUsername(caller.getName());
        return new Me(caller.getName(), user.map(UserStore.StoredUser::displayName).orElse(null),
                user.map(UserStore.StoredUser::role).orElse(null), "user", permissions);
    }
}
