-- The old ledger's rows as digests (see V16_0). The time index is BRIN: rows arrive in time order,
-- and it only serves the daily deletion of old rows.
INSERT INTO event_claim (claim, source_key, received_at)
SELECT CAST(substr(encode(sha256(convert_to(source_key || ':' || message_id, 'UTF8')), 'hex'), 1, 32) AS UUID),
       source_key, received_at
FROM event_dedupe
ON CONFLICT DO NOTHING;
CREATE INDEX ix_event_claim_received ON event_claim USING brin (received_at);
DROP TABLE event_dedupe;
