package io.siyu.security;

/** An active ingestion write key, as the tracking API knows its caller: which source sent the data. */
public record WriteKey(long id, String name) {
}
