package io.siyu.event;

import io.siyu.platform.SiyuException;
import io.siyu.security.WriteKey;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The Segment-compatible tracking ingest as a service: exactly what {@code POST /v1/batch} does, for
 * senders inside the application (the demo loader). Messages are checked and mapped, resolved to
 * customers, deduplicated by {@code messageId} per write key, stored with the write key and the time
 * they were received, and orders are recorded from {@code Order Completed} / {@code Order Refunded};
 * the call returns after all of it committed.
 */
public interface Tracking {

    /**
     * Stores a {@code /v1/batch} body ({@code batch}, optional {@code context} and {@code sentAt}).
     * A body that is no batch at all is thrown as a 400 problem; invalid messages are returned.
     */
    BatchResult batch(WriteKey key, JsonNode body);

    /** What became of a batch: messages stored, messages already stored before, messages refused. */
    record BatchResult(int stored, int duplicates, List<Rejected> rejected) {
        public BatchResult {
            rejected = List.copyOf(rejected);
        }
    }

    /** A refused message of a batch, by its index in the batch. */
    record Rejected(int index, SiyuException problem) {
    }
}
