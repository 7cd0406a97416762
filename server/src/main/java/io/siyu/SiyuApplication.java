package io.siyu;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.modulith.Modulithic;

/** The Siyu service: one deployable, one top-level package per business module. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Modulithic(sharedModules = "platform")
public class SiyuApplication {

    public static void main(String[] args) {
        // jOOQ prints a logo and a "tip of the day" on first use; operators' logs are not the place
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        SpringApplication.run(SiyuApplication.class, args);
    }
}
