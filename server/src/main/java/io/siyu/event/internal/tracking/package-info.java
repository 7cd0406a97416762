/**
 * The Segment-compatible tracking API under {@code /v1/}: write-key authentication, body limits,
 * message mapping, clock-skew correction, deduplication and e-commerce orders. Internal to the
 * event module.
 */
package io.siyu.event.internal.tracking;
