package io.siyu.security.internal;

import io.siyu.security.Role;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;

/** Loads console users with their role's permissions as authorities. */
@Service
class ConsoleUserDetailsService implements UserDetailsService {

    private final UserStore users;

    ConsoleUserDetailsService(UserStore users) {
        this.users = users;
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        var user = users.findByUsername(username).orElseThrow(() -> new UsernameNotFoundException(username));
        Role role = Role.fromId(user.role()).orElseThrow(() -> new UsernameNotFoundException(username));
        return User.withUsername(user.username())
                .password(user.passwordHash())
                .disabled(!user.enabled())
                .authorities(role.permissions().stream().map(SimpleGrantedAuthority::new).toList())
                .build();
    }
}
