-- The customer event log on PostgreSQL: partitioned by month of occurred_at, so retention drops whole
-- partitions and a customer's timeline reads only the months it asks for. Monthly partitions are created
-- ahead by the application (EventPartitions); events outside them land in the default partition.
-- Identity columns on partitioned tables need PostgreSQL 17, so ids come from a plain sequence.
CREATE SEQUENCE customer_event_id_seq;

CREATE TABLE customer_event (
    id            BIGINT        NOT NULL DEFAULT nextval('customer_event_id_seq'),
    log_offset    BIGINT,
    customer_id   BIGINT        NOT NULL,
    event_type    VARCHAR(16)   NOT NULL,
    name          VARCHAR(200),
    message_id    VARCHAR(200),
    source_key    BIGINT,
    occurred_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    received_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    is_system     BOOLEAN       NOT NULL,
    properties    VARCHAR(65535),
    context       VARCHAR(16000),
    CONSTRAINT pk_customer_event PRIMARY KEY (id, occurred_at)
) PARTITION BY RANGE (occurred_at);

CREATE TABLE customer_event_default PARTITION OF customer_event DEFAULT;

-- offsets are unique by construction (one sequencer under a lock); a unique index would have to include the
-- partition key and would prove nothing more
CREATE INDEX ix_event_offset ON customer_event (log_offset);
CREATE INDEX ix_event_customer_time ON customer_event (customer_id, occurred_at, id);
