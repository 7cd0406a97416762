-- The daily counts stored as one row per customer and brand day, holding that day's count keys and
-- their counts as two parallel arrays (no reader depends on the keys' order). A batch of the tracking
-- API carries a few people's sessions, each with several event names on the same day: one row per
-- (customer, name, day) made the aggregates consumer upsert about 0.8 rows per event, each a b-tree
-- probe and a heap write at a random customer's place; one row per customer-day is about a tenth.
-- Readers keep reading `customer_daily_count` with its old columns: it is now a view that unnests
-- the arrays. A filter on customer (and day) reaches the primary key through the view; a filter on
-- the name is applied to the unnested rows, as it was applied to the whole table before (no index led
-- with the name). Writers (the aggregates consumer, its rebuild, the merge mover) write the table.
-- Rows of today's customers are rewritten batch after batch and grow by a key now and then; the
-- free quarter of each page lets most of those rewrites stay on their page (HOT, no new index entry).
CREATE TABLE customer_day_count (
    customer_id  BIGINT         NOT NULL,
    bucket_day   DATE           NOT NULL,
    event_names  VARCHAR(200)[] NOT NULL,
    counts       INTEGER[]      NOT NULL,
    CONSTRAINT pk_customer_day_count PRIMARY KEY (customer_id, bucket_day)
) WITH (fillfactor = 75);

INSERT INTO customer_day_count (customer_id, bucket_day, event_names, counts)
SELECT customer_id, bucket_day, array_agg(event_name ORDER BY event_name COLLATE "C"),
       array_agg(cnt ORDER BY event_name COLLATE "C")
FROM customer_daily_count
GROUP BY customer_id, bucket_day;

DROP TABLE customer_daily_count;

CREATE VIEW customer_daily_count AS
SELECT d.customer_id, u.event_name, d.bucket_day, u.cnt
FROM customer_day_count d
CROSS JOIN LATERAL unnest(d.event_names, d.counts) AS u(event_name, cnt);
