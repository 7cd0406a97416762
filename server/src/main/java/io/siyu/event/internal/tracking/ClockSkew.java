package io.siyu.event.internal.tracking;

import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * When a message happened, as Segment's tracking API decides it: device clocks are often wrong, so
 * when the sender says both when the event happened ({@code timestamp}) and when it sent it
 * ({@code sentAt}), only the difference between the two is trusted and laid back from the moment
 * Siyu received it.
 */
final class ClockSkew {

    private ClockSkew() {
    }

    /**
     * @param original   the message's own {@code timestamp} (or {@code originalTimestamp}); may be null
     * @param sentAt     when the sender sent it, by its own clock; may be null
     * @param receivedAt when Siyu received it
     */
    static OffsetDateTime correct(OffsetDateTime original, OffsetDateTime sentAt, OffsetDateTime receivedAt) {
        if (sentAt != null) {
            return original == null ? receivedAt : receivedAt.minus(Duration.between(original, sentAt));
        }
        return original != null ? original : receivedAt;
    }
}
