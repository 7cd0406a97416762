/**
 * Events: the append-only customer event log that everything a customer does reaches, read by
 * offset by consumers that each keep their own position; orders; per-customer aggregates.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Event")
package io.siyu.event;
