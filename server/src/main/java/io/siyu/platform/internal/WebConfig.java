package io.siyu.platform.internal;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.jooq.conf.RenderQuotedNames;
import org.springframework.boot.jooq.autoconfigure.DefaultConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.i18n.AcceptHeaderLocaleResolver;

/** Web and persistence defaults shared by all modules. */
@Configuration(proxyBeanMethods = false)
class WebConfig {

    /** zh-CN first, English second; anything else falls back to zh-CN. */
    @Bean
    LocaleResolver localeResolver() {
        AcceptHeaderLocaleResolver resolver = new AcceptHeaderLocaleResolver();
        resolver.setSupportedLocales(List.of(Locale.SIMPLIFIED_CHINESE, Locale.ENGLISH));
        resolver.setDefaultLocale(Locale.SIMPLIFIED_CHINESE);
        return resolver;
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Names are written unquoted so that H2 (upper-case) and PostgreSQL (lower-case) both fold them
     * the same way as the unquoted names in the Flyway migrations. {@code IN} lists of bind values are
     * padded to the next power of two (repeating the last value): a list of any length then has one of
     * a dozen statement texts, which the driver prepares once per connection and the database plans
     * from its cache, instead of a new text to parse and plan for every length.
     */
    @Bean
    DefaultConfigurationCustomizer siyuJooqSettings() {
        return configuration -> configuration.settings()
                .withRenderQuotedNames(RenderQuotedNames.NEVER)
                .withExecuteWithOptimisticLocking(false)
                .withInListPadding(true);
    }
}
