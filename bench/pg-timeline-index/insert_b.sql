\set c random(1, 80000)
insert into ev_b (log_offset, customer_id, occurred_at, payload)
select nextval('ev_seq'), (:c + g / 10) % 80000, now() - (g % 10) * interval '1 second', repeat('x', 450)
from generate_series(0, 99) g;
