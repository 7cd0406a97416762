-- Tracking messages already stored, by sender message id per write key. A row is written in the
-- same transaction as its event, so a retried message is acknowledged without being stored twice.
-- Rows older than siyu.tracking.dedupe-window (8 days by default) are deleted daily.
CREATE TABLE event_dedupe (
    source_key   BIGINT       NOT NULL,
    message_id   VARCHAR(200) NOT NULL,
    received_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_event_dedupe PRIMARY KEY (source_key, message_id)
);
CREATE INDEX ix_event_dedupe_received ON event_dedupe (received_at);
