-- Rows still waiting for the sequencer, by id. Most rows are now inserted with their offset, so this index
-- stays tiny; without it the sequencer's "log_offset IS NULL" look went through the whole offset index (or,
-- before the first ANALYZE of a fast-growing table, the whole table) several times a second.
CREATE INDEX ix_event_unsequenced ON customer_event (id) WHERE log_offset IS NULL;
