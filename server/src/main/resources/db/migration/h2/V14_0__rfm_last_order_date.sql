-- RFM keeps the date of the last order (brand time zone) instead of the days since it, so a daily
-- run rewrites only the customers whose scores moved. Existing rows get an approximate date (the
-- run's date minus its recency); the next run writes the exact one where it differs.
ALTER TABLE customer_rfm ADD COLUMN last_order_on DATE;
UPDATE customer_rfm r SET last_order_on = DATEADD(DAY, -r.recency_days, CAST((SELECT u.as_of FROM rfm_run u WHERE u.id = r.run_id) AS DATE));
ALTER TABLE customer_rfm ALTER COLUMN last_order_on SET NOT NULL;
ALTER TABLE customer_rfm DROP COLUMN recency_days;
