package io.siyu.security.internal;

import io.siyu.platform.Cursors;
import io.siyu.platform.FieldProblem;
import io.siyu.platform.Page;
import io.siyu.platform.SiyuException;
import io.siyu.security.Role;
import io.siyu.security.internal.UserStore.StoredUser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Console users: creation, listing and changes, keeping at least one enabled administrator so
 * that nobody can lock the installation out of its own user management.
 */
@Service
class UserService {

    static final int MAX_DISPLAY_NAME = 100;
    /** Letters, digits and {@code . _ @ -}; no colon, so no user can pass for an API token ({@code token:…}). */
    static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{1,63}");
    private static final String SORT = "id";

    private final UserStore users;
    private final PasswordEncoder encoder;
    private final SecurityAudit audit;

    UserService(UserStore users, PasswordEncoder encoder, SecurityAudit audit) {
        this.users = users;
        this.encoder = encoder;
        this.audit = audit;
    }

    @Transactional
    StoredUser create(String requestedUsername, String password, String requestedRole, String requestedDisplayName) {
        Checks checks = new Checks();
        String username = checks.text("/username", requestedUsername, 64);
        if (username != null && !USERNAME.matcher(username).matches()) {
            checks.add(FieldProblem.of("/username", "invalid-username", username));
        }
        checks.password("/password", password);
        Role role = checks.role("/role", requestedRole);
        String displayName = checks.optionalText("/displayName", requestedDisplayName, MAX_DISPLAY_NAME);
        checks.throwIfAny();
        if (users.usernameTaken(username)) {
            throw SiyuException.conflict("username-taken", username);
        }
        long id = users.insert(username, encoder.encode(password), role.id(), displayName);
        audit.record("user.create", "user", id, Map.of("username", username, "role", role.id()));
        return users.find(id).orElseThrow();
    }

    @Transactional(readOnly = true)
    Page<StoredUser> list(Integer limit, String cursor) {
        int size = Cursors.limit(limit);
        return IdPaging.page(users.page(IdPaging.start(cursor, SORT), size + 1), size, StoredUser::id, SORT);
    }

    @Transactional(readOnly = true)
    StoredUser get(long id) {
        return users.find(id).orElseThrow(() -> SiyuException.notFound("user-not-found", String.valueOf(id)));
    }

    @Transactional
    StoredUser change(long id, List<UserChange> changes) {
        StoredUser user = get(id);
        if (changes.isEmpty()) {
            return user;
        }
        if (removesAnAdmin(user, changes)) {
            List<Long> admins = users.lockEnabledAdmins(Role.ADMIN.id());
            if (admins.size() <= 1 && admins.contains(id)) {
                throw SiyuException.conflict("last-admin", user.username());
            }
        }
        users.update(id, changes, encoder::encode);
        audit.record("user.change", "user", id, describe(user, changes));
        return users.find(id).orElseThrow();
    }

    /** Whether the user is an enabled administrator now and would not be after the changes. */
    static boolean removesAnAdmin(StoredUser user, List<UserChange> changes) {
        boolean admin = Role.ADMIN.id().equals(user.role());
        boolean enabled = user.enabled();
        if (!admin || !enabled) {
            return false;
        }
        for (UserChange change : changes) {
            switch (change) {
                case UserChange.SetRole(var role) -> admin = role == Role.ADMIN;
                case UserChange.SetEnabled(var on) -> enabled = on;
                case UserChange.SetDisplayName ignored -> { }
                case UserChange.SetPassword ignored -> { }
            }
        }
        return !(admin && enabled);
    }

    /** What changed, for the audit log; a new password is mentioned, never shown. */
    private static Map<String, Object> describe(StoredUser before, List<UserChange> changes) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("username", before.username());
        for (UserChange change : changes) {
            switch (change) {
                case UserChange.SetRole(var role) -> details.put("role", before.role() + " -> " + role.id());
                case UserChange.SetEnabled(var on) -> details.put("enabled", on);
                case UserChange.SetDisplayName ignored -> details.put("displayNameChanged", true);
                case UserChange.SetPassword ignored -> details.put("passwordChanged", true);
            }
        }
        return details;
    }
}
