/**
 * Tags: tag groups and tags (like WeCom corp tag groups), who holds which tag with its source and
 * optional expiry, and the history of every change, which also reaches the event log.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Tag")
package io.siyu.tag;
