-- one /v1/batch's counts, one row per customer, key and day (before V18_0): 10 people of 350,000, 8 keys each
INSERT INTO per_key SELECT c, n, current_date, 1
FROM (SELECT DISTINCT CAST(random() * 350000 AS bigint) AS c FROM generate_series(1, 10)) people,
     unnest(CAST(ARRAY['Product Viewed', 'Product Added', 'Products Searched', 'Checkout Started', 'page', 'page-Home',
                       'page-Cart', 'identify'] AS varchar[])) n
ORDER BY 1, 2
ON CONFLICT (customer_id, event_name, bucket_day) DO UPDATE SET cnt = per_key.cnt + excluded.cnt;
