-- The dedupe ledger keyed by a 16-byte digest of (write key, message id) instead of the message id
-- text: the key index is less than half the size, so far more of it stays in memory while it
-- grows with every stored message. The digest is the first 16 bytes of SHA-256 over
-- '<source_key>:<message_id>' in UTF-8 (DedupeLedger.digest computes the same). source_key is
-- kept for counting what a write key sent. The time index is BRIN: rows arrive in time order, and
-- it only serves the daily deletion of old rows.
CREATE TABLE event_claim (
    claim        UUID         NOT NULL,
    source_key   BIGINT       NOT NULL,
    received_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_event_claim PRIMARY KEY (claim)
);
INSERT INTO event_claim (claim, source_key, received_at)
SELECT CAST(substr(encode(sha256(convert_to(source_key || ':' || message_id, 'UTF8')), 'hex'), 1, 32) AS UUID),
       source_key, received_at
FROM event_dedupe
ON CONFLICT DO NOTHING;
CREATE INDEX ix_event_claim_received ON event_claim USING brin (received_at);
DROP TABLE event_dedupe;
