/**
 * Segments: the rule language that describes a group of customers, its two evaluators (SQL for
 * exact, auditable answers; compressed bitmaps in memory for instant previews and real-time
 * membership), dynamic and static segments with their entry and exit events.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Segments")
package io.siyu.segment;
