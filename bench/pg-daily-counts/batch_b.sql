-- the same counts folded per customer-day and merged into the stored row, as Aggregates does since V18_0
INSERT INTO per_day (customer_id, bucket_day, event_names, counts)
SELECT c, d, array_agg(n ORDER BY n COLLATE "C"), array_agg(k ORDER BY n COLLATE "C")
FROM (SELECT c, n, current_date AS d, 1 AS k
      FROM (SELECT DISTINCT CAST(random() * 350000 AS bigint) AS c FROM generate_series(1, 10)) people,
           unnest(CAST(ARRAY['Product Viewed', 'Product Added', 'Products Searched', 'Checkout Started', 'page',
                             'page-Home', 'page-Cart', 'identify'] AS varchar[])) n) u
GROUP BY c, d
ORDER BY c, d
ON CONFLICT (customer_id, bucket_day) DO UPDATE SET (event_names, counts) = (
    SELECT array_agg(m.n ORDER BY m.n COLLATE "C"), array_agg(m.k ORDER BY m.n COLLATE "C")
    FROM (SELECT x.n, CAST(sum(x.k) AS integer) AS k
          FROM unnest(per_day.event_names || excluded.event_names, per_day.counts || excluded.counts) AS x(n, k)
          GROUP BY x.n) m);
