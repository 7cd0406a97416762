-- The old ledger's rows as digests (see V16_0).
INSERT INTO event_claim (claim, source_key, received_at)
SELECT CAST(SUBSTRING(HASH('SHA-256', STRINGTOUTF8(CAST(source_key AS VARCHAR) || ':' || message_id)) FROM 1 FOR 16) AS UUID),
       source_key, received_at
FROM event_dedupe;
CREATE INDEX ix_event_claim_received ON event_claim (received_at);
DROP TABLE event_dedupe;
