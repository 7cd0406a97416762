package io.siyu.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.groups.Tuple.tuple;

import io.siyu.platform.FieldProblem;
import io.siyu.platform.SiyuException;
import io.siyu.security.Role;
import io.siyu.security.internal.UserStore.StoredUser;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class UserPatchTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static List<UserChange> parse(String json) {
        return UserPatch.parse(JSON.readTree(json));
    }

    private static SiyuException refused(String json) {
        return catchThrowableOfType(SiyuException.class, () -> parse(json));
    }

    @Test
    void readsEveryChangeableMember() {
        assertThat(parse("""
                {"role": "analyst", "displayName": "Zhang San", "enabled": false, "password": "a-long-password"}"""))
                .containsExactly(new UserChange.SetRole(Role.ANALYST), new UserChange.SetDisplayName("Zhang San"),
                        new UserChange.SetEnabled(false), new UserChange.SetPassword("a-long-password"));
        assertThat(parse("{\"displayName\": null}")).containsExactly(new UserChange.SetDisplayName(null));
        assertThat(parse("{}")).isEmpty();
    }

    @Test
    void reportsEveryOffendingMemberWithItsPointer() {
        SiyuException e = refused("""
                {"role": "root", "password": "short", "enabled": "yes", "username": "x", "colour": 1}""");
        assertThat(e.status().value()).isEqualTo(400);
        assertThat(e.code()).isEqualTo("unknown-role");
        assertThat(e.errors()).extracting(FieldProblem::pointer, FieldProblem::code).containsExactly(
                tuple("/role", "unknown-role"),
                tuple("/password", "password-too-short"),
                tuple("/enabled", "invalid-type"),
                tuple("/username", "field-read-only"),
                tuple("/colour", "unknown-field"));
    }

    @Test
    void onlyTheDisplayNameMayBeCleared() {
        assertThat(refused("{\"role\": null}").code()).isEqualTo("field-required");
        assertThat(refused("{\"enabled\": null}").code()).isEqualTo("field-required");
        assertThat(refused("{\"password\": null}").code()).isEqualTo("field-required");
        assertThatThrownBy(() -> parse("[]")).isInstanceOf(SiyuException.class);
    }

    @Test
    void passwordsLongerThanBcryptReadsAreRefused() {
        assertThat(refused("{\"password\": \"" + "密".repeat(25) + "\"}").code()).isEqualTo("password-too-long");
        assertThat(parse("{\"password\": \"" + "密".repeat(24) + "\"}")).hasSize(1);
    }

    @Test
    void knowsWhenAChangeRemovesAnAdministrator() {
        StoredUser admin = new StoredUser(1, "root", "x", "admin", null, true, OffsetDateTime.now(), OffsetDateTime.now());
        StoredUser disabledAdmin = new StoredUser(2, "old", "x", "admin", null, false, OffsetDateTime.now(),
                OffsetDateTime.now());
        StoredUser staff = new StoredUser(3, "s", "x", "staff", null, true, OffsetDateTime.now(), OffsetDateTime.now());
        assertThat(UserService.removesAnAdmin(admin, List.of(new UserChange.SetEnabled(false)))).isTrue();
        assertThat(UserService.removesAnAdmin(admin, List.of(new UserChange.SetRole(Role.OPERATOR)))).isTrue();
        assertThat(UserService.removesAnAdmin(admin, List.of(new UserChange.SetRole(Role.ADMIN),
                new UserChange.SetDisplayName("Root")))).isFalse();
        assertThat(UserService.removesAnAdmin(disabledAdmin, List.of(new UserChange.SetRole(Role.STAFF)))).isFalse();
        assertThat(UserService.removesAnAdmin(staff, List.of(new UserChange.SetEnabled(false)))).isFalse();
    }
}
