-- The dedupe ledger keyed by a 16-byte digest of (write key, message id) instead of the message id
-- text: the key index is less than half the size, so far more of it stays in memory while it grows
-- with every stored message. The digest is the first 16 bytes of SHA-256 over
-- '<source_key>:<message_id>' in UTF-8 (DedupeLedger.Claim.digest computes the same); source_key is
-- kept for counting what a write key sent. V16_1 (per database) moves the old ledger's rows here.
CREATE TABLE event_claim (
    claim        UUID         NOT NULL,
    source_key   BIGINT       NOT NULL,
    received_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_event_claim PRIMARY KEY (claim)
);
