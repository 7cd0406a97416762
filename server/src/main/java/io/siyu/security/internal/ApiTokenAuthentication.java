package io.siyu.security.internal;

import io.siyu.security.Role;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A request authenticated by an API token: named {@code token:<name>} (so audit entries say which
 * script acted) and holding its role's permissions. The secret is not kept.
 */
final class ApiTokenAuthentication extends AbstractAuthenticationToken {

    static final String NAME_PREFIX = "token:";

    private final long tokenId;
    private final String tokenName;
    private final Role role;

    ApiTokenAuthentication(long tokenId, String tokenName, Role role) {
        super(role.permissions().stream().sorted().map(SimpleGrantedAuthority::new).toList());
        this.tokenId = tokenId;
        this.tokenName = tokenName;
        this.role = role;
        setAuthenticated(true);
    }

    long tokenId() {
        return tokenId;
    }

    String tokenName() {
        return tokenName;
    }

    Role role() {
        return role;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return NAME_PREFIX + tokenName;
    }
}
