package io.siyu.event;

/** What a follower of the log needs of an event to know who changed: no properties, no context. */
public record LogHead(long offset, long customerId, String type, String name, boolean system) {
}
