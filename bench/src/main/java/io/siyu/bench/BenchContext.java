package io.siyu.bench;

import io.siyu.SiyuApplication;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;

/**
 * Starts the real Siyu application context (all modules, Flyway migrations, the configured
 * PiiCipher) against the benchmark database, without the web server.
 */
final class BenchContext {

    private BenchContext() {
    }

    static ConfigurableApplicationContext start(BenchDatabase db, Path dataDir, int poolSize) {
        List<String> args = new ArrayList<>(List.of(
                // command-line arguments outrank application.yml, whose datasource defaults name ./data
                "--spring.datasource.url=" + db.url(),
                "--spring.datasource.username=" + db.user(),
                "--spring.datasource.password=" + db.password(),
                "--spring.datasource.hikari.maximum-pool-size=" + poolSize,
                "--siyu.data-dir=" + dataDir.toAbsolutePath(),
                "--siyu.demo.enabled=false",
                // a known password keeps the first-start banner with a generated one out of the output
                "--siyu.security.admin-password=" + UUID.randomUUID(),
                "--logging.level.root=WARN",
                "--logging.level.io.siyu=WARN"));
        return new SpringApplicationBuilder(SiyuApplication.class, WithoutWebServer.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .run(args.toArray(String[]::new));
    }

    /**
     * Spring Boot enables web security only for a web application; the application's security
     * configuration still asks for its HttpSecurity builder, so enable it here without a server.
     */
    @Configuration(proxyBeanMethods = false)
    @EnableWebSecurity
    static class WithoutWebServer {
    }
}
