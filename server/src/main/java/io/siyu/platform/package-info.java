/**
 * Platform: what every module stands on — errors as RFC 9457 problems with stable codes and
 * localised messages, request ids, cursor paging, the clock, persistence settings.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Platform")
package io.siyu.platform;
