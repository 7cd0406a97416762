-- The dedupe ledger keyed by a 16-byte digest of (write key, message id) instead of the message id
-- text (see the PostgreSQL migration of the same version): the first 16 bytes of SHA-256 over
-- '<source_key>:<message_id>' in UTF-8, as DedupeLedger.digest computes it.
CREATE TABLE event_claim (
    claim        UUID         NOT NULL,
    source_key   BIGINT       NOT NULL,
    received_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_event_claim PRIMARY KEY (claim)
);
INSERT INTO event_claim (claim, source_key, received_at)
SELECT CAST(SUBSTRING(HASH('SHA-256', STRINGTOUTF8(CAST(source_key AS VARCHAR) || ':' || message_id)) FROM 1 FOR 16) AS UUID),
       source_key, received_at
FROM event_dedupe;
CREATE INDEX ix_event_claim_received ON event_claim (received_at);
DROP TABLE event_dedupe;
