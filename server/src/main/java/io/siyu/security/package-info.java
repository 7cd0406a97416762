/**
 * Security: console users and their roles, permissions named {@code resource:action}, API tokens
 * and ingestion write keys, login rate limits, and the rules that guard every path under /api/.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Security")
package io.siyu.security;
