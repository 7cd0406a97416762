create sequence ev_seq;
create table ev_a (id bigint not null default nextval('ev_seq'), log_offset bigint, customer_id bigint not null,
    occurred_at timestamptz not null, payload varchar(2000));
create table ev_b (like ev_a including defaults);
create index on ev_a (log_offset);
alter table ev_a add primary key (id, occurred_at);
create index on ev_a (customer_id, occurred_at, id);
create index on ev_b (log_offset);
create index on ev_b (customer_id, date(timezone('UTC', occurred_at)));
