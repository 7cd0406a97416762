package io.siyu.event;

import java.util.List;

/**
 * A reader of the event log with its own position. The runner calls {@link #handle} with the next
 * batch after the consumer's position, in one transaction with advancing the position, so a batch
 * is applied exactly once unless the consumer's side effects leave the database.
 */
public interface EventConsumer {

    /** A stable name: the consumer's position is stored under it. */
    String name();

    /**
     * Whether the consumer reads events' properties and context; when false they arrive as null and
     * the log reads less.
     */
    default boolean readsPayload() {
        return true;
    }

    /** Applies a batch of events, in offset order. Throwing rolls the batch back; it is retried later. */
    void handle(List<LoggedEvent> batch);
}
