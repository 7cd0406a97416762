package io.siyu.security.internal;

import io.siyu.security.Role;

/** One change to a console user, as a merge patch asks for it. */
sealed interface UserChange {

    record SetRole(Role role) implements UserChange {
    }

    /** {@code null} clears the display name. */
    record SetDisplayName(String displayName) implements UserChange {
    }

    record SetEnabled(boolean enabled) implements UserChange {
    }

    /** The new password in clear; it is hashed on the way to the store and never kept otherwise. */
    record SetPassword(String password) implements UserChange {

        @Override
        public String toString() {
            return "SetPassword[***]";
        }
    }
}
