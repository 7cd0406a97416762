-- Tracking messages already stored, by sender message id per write key. A row is written in the
-- same transaction as its event, so a retried message is acknowledged without being stored twice.
-- Rows older than siyu.tracking.dedupe-window (8 days by default) are deleted daily.
CREATE TABLE event_dedupe (
    source_key   BIGINT       NOT NULL,
    message_id   VARCHAR(200) NOT NULL,
    received_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    -- message_id first: it is what lookups are selective on, also when planner statistics lag behind
    -- a fast-growing table (with source_key first PostgreSQL scanned every row of the key)
    CONSTRAINT pk_event_dedupe PRIMARY KEY (message_id, source_key)
);
CREATE INDEX ix_event_dedupe_received ON event_dedupe (received_at);
