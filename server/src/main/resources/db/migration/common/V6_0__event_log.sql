-- The customer event log (the customer_event table itself is created per database in V6_0_1, because on
-- PostgreSQL it is partitioned by month). Rows get an id when inserted and a log_offset when the sequencer sees them
-- committed, in commit order; consumers read by log_offset, so a row whose id was assigned before an
-- earlier id committed is never skipped.
-- One row: the last offset handed out. Locking it makes the sequencer a single writer across instances.
CREATE TABLE event_log_head (
    id           INTEGER NOT NULL PRIMARY KEY,
    last_offset  BIGINT  NOT NULL
);
INSERT INTO event_log_head (id, last_offset) VALUES (1, 0);

-- Each consumer's position in the log (the last offset it has fully handled).
CREATE TABLE event_consumer (
    name        VARCHAR(100) NOT NULL PRIMARY KEY,
    position    BIGINT       NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Orders and their lines, kept apart from the log because RFM, loyalty and analytics read orders.
CREATE TABLE customer_order (
    order_id         VARCHAR(100)   NOT NULL PRIMARY KEY,
    customer_id      BIGINT         NOT NULL,
    status           VARCHAR(24)    NOT NULL,   -- completed | partially_refunded | refunded
    total            DECIMAL(18, 2) NOT NULL,
    revenue          DECIMAL(18, 2),
    discount         DECIMAL(18, 2),
    coupon           VARCHAR(100),
    currency         VARCHAR(3)     NOT NULL,
    refunded_amount  DECIMAL(18, 2) NOT NULL,
    ordered_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_order_customer ON customer_order (customer_id, ordered_at);

CREATE TABLE order_line (
    order_id    VARCHAR(100)   NOT NULL,
    line_no     INTEGER        NOT NULL,
    product_id  VARCHAR(100),
    sku         VARCHAR(100),
    category    VARCHAR(200),
    name        VARCHAR(300),
    price       DECIMAL(18, 2),
    quantity    INTEGER,
    CONSTRAINT pk_order_line PRIMARY KEY (order_id, line_no)
);

-- Per-customer aggregates kept current by the aggregates consumer; rebuildable from the log.
CREATE TABLE customer_aggregate (
    customer_id       BIGINT NOT NULL PRIMARY KEY,
    first_seen        TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen         TIMESTAMP WITH TIME ZONE NOT NULL,
    last_interaction  TIMESTAMP WITH TIME ZONE,
    events_count      BIGINT         NOT NULL,
    orders_count      INTEGER        NOT NULL,
    total_spent       DECIMAL(18, 2) NOT NULL,
    first_order_at    TIMESTAMP WITH TIME ZONE,
    last_order_at     TIMESTAMP WITH TIME ZONE
);

CREATE TABLE customer_daily_count (
    customer_id  BIGINT       NOT NULL,
    event_name   VARCHAR(200) NOT NULL,
    bucket_day   DATE         NOT NULL,
    cnt          INTEGER      NOT NULL,
    CONSTRAINT pk_customer_daily_count PRIMARY KEY (customer_id, event_name, bucket_day)
);
