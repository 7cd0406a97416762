package io.siyu.security.internal;

import io.siyu.security.Role;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * On first start (no users yet) creates the {@code admin} user, with {@code SIYU_ADMIN_PASSWORD}
 * when given, else a generated password printed once to the console log.
 */
@Component
@Order(0)
class AdminBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final UserStore users;
    private final PasswordEncoder encoder;
    private final String configuredPassword;

    AdminBootstrap(UserStore users, PasswordEncoder encoder,
            @Value("${siyu.security.admin-password:${SIYU_ADMIN_PASSWORD:}}") String configuredPassword) {
        this.users = users;
        this.encoder = encoder;
        this.configuredPassword = configuredPassword;
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        if (!users.isEmpty()) {
            return;
        }
        boolean generated = configuredPassword == null || configuredPassword.isBlank();
        String password = generated ? generate() : configuredPassword;
        users.insert("admin", encoder.encode(password), Role.ADMIN.id(), "Administrator");
        if (generated) {
            // Printed once, on the first start only; it is stored hashed and cannot be shown again.
            log.warn("""

                    ==================================================================
                      Siyu first start: created console user 'admin'
                      password: {}
                      (shown once; change it after logging in)
                    ==================================================================""", password);
        } else {
            log.info("Siyu first start: created console user 'admin' with the password from SIYU_ADMIN_PASSWORD");
        }
    }

    private static String generate() {
        byte[] bytes = new byte[15];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
