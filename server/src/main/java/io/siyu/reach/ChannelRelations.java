package io.siyu.reach;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who can be reached where. Changes join the caller's transaction; each one that changes something
 * appends a system event ({@link Channel#startedEvent()} / {@link Channel#endedEvent()}) to the
 * customer's log in it, so segments and journeys follow. Relations follow merges (the survivor holds
 * both sides' relations) and are removed on erasure.
 */
public interface ChannelRelations {

    /**
     * Records that the customer is reachable through {@code target} on {@code channel} since
     * {@code since}; false (and nothing written) when the relation already exists.
     *
     * @param source  what reported it (callback, sync, import), kept in the event's properties
     */
    boolean add(long customerId, Channel channel, String target, OffsetDateTime since, String source);

    /**
     * Ends the relation at {@code at}; false (and nothing written) when there was none.
     *
     * @param reason  why, kept in the event's properties (e.g. {@code del_follow_user}, {@code sync})
     */
    boolean remove(long customerId, Channel channel, String target, OffsetDateTime at, String reason);

    /** The customers related to {@code target} on {@code channel}. */
    Set<Long> holders(Channel channel, String target);

    /** The customers related to {@code target} on {@code channel}, each with since when. */
    Map<Long, OffsetDateTime> holdersSince(Channel channel, String target);

    /** The customers whose relation to {@code target} on {@code channel} ended and has not started again. */
    Map<Long, Ended> ended(Channel channel, String target);

    /** When and why a relation ended. */
    record Ended(OffsetDateTime at, String reason) {
    }

    /** One customer's relations, by channel and target. */
    List<Relation> of(long customerId);

    /** A customer's relation to a target on a channel, since when. */
    record Relation(long customerId, Channel channel, String target, OffsetDateTime since) {
    }
}
