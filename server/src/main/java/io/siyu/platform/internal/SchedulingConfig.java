package io.siyu.platform.internal;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Turns on {@code @Scheduled} housekeeping (expired idempotency records and the like) for all modules. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SchedulingConfig {
}
