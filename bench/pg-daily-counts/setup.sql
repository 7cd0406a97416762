-- The two layouts of the daily counts, each holding today's counts of 300,000 people with the eight
-- keys of the ingest benchmark's mix (track names, the page type and page views by name).
CREATE TABLE per_key (customer_id BIGINT NOT NULL, event_name VARCHAR(200) NOT NULL, bucket_day DATE NOT NULL,
    cnt INTEGER NOT NULL, PRIMARY KEY (customer_id, event_name, bucket_day));
CREATE TABLE per_day (customer_id BIGINT NOT NULL, bucket_day DATE NOT NULL, event_names VARCHAR(200)[] NOT NULL,
    counts INTEGER[] NOT NULL, PRIMARY KEY (customer_id, bucket_day)) WITH (fillfactor = 75);
INSERT INTO per_key SELECT c, n, current_date, 1 FROM generate_series(1, 300000) c,
    unnest(ARRAY['Product Viewed', 'Product Added', 'Products Searched', 'Checkout Started', 'page', 'page-Home',
                 'page-Cart', 'identify']) n;
INSERT INTO per_day SELECT customer_id, bucket_day, array_agg(event_name ORDER BY event_name COLLATE "C"),
    array_agg(cnt ORDER BY event_name COLLATE "C") FROM per_key GROUP BY customer_id, bucket_day;
VACUUM ANALYZE;
