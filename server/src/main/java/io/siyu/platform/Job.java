package io.siyu.platform;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A piece of long-running work as the API shows it at {@code /api/v1/jobs/{id}}: what it is, where
 * it stands, how far it got and, once finished, its result or error.
 *
 * @param result the work's result (a JSON value), also for a cancelled job (what was done until then); may be null
 * @param error  why the job failed, in its creator's language; null unless failed
 */
public record Job(String id, String kind, Status status, Progress progress, JsonNode result, String error,
        String createdBy, OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime finishedAt) {

    /** Where a job stands; the last three are final. */
    public enum Status {
        QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean finished() {
            return this == SUCCEEDED || this == FAILED || this == CANCELLED;
        }

        public static Optional<Status> fromId(String id) {
            for (Status s : values()) {
                if (s.id().equals(id)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }
    }

    /** How many units of work are done out of how many (null while unknown). */
    public record Progress(long done, Long total) {
    }
}
