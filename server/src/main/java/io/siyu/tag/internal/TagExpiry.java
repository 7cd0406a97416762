package io.siyu.tag.internal;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Takes expired tags away, a few hundred at a time, every minute. */
@Component
class TagExpiry {

    private final TagService tags;

    TagExpiry(TagService tags) {
        this.tags = tags;
    }

    @Scheduled(fixedDelayString = "${siyu.tags.expiry-interval:60s}", initialDelayString = "${siyu.tags.expiry-interval:60s}")
    void run() {
        while (tags.expire(500) == 500) {
            // more were due than one batch; keep going
        }
    }
}
