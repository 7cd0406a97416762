-- Who can be reached where: WeCom friendships (customer × staff member), WeCom customer-group
-- membership (customer × group chat) and official-account followers (customer × app id).
-- Written by the WeCom and official-account callbacks and syncs; read by segment conditions.
CREATE TABLE channel_relation (
    customer_id  BIGINT       NOT NULL,
    channel      VARCHAR(20)  NOT NULL,         -- wecom_friend | wecom_group | official_account
    target       VARCHAR(128) NOT NULL,         -- staff member id | group chat id | app id
    since        TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_channel_relation PRIMARY KEY (customer_id, channel, target),
    CONSTRAINT fk_channel_relation_customer FOREIGN KEY (customer_id) REFERENCES customer (id)
);
CREATE INDEX ix_channel_relation_target ON channel_relation (channel, target, customer_id);

-- WeCom customer groups (客户群) as last read from WeCom.
CREATE TABLE wecom_group_chat (
    chat_id       VARCHAR(64)  NOT NULL PRIMARY KEY,
    name          VARCHAR(200),
    owner_userid  VARCHAR(64),
    notice        VARCHAR(2000),
    customers     INTEGER      NOT NULL,        -- external members matched to customers
    members       INTEGER      NOT NULL,        -- all members, staff included
    created_at    TIMESTAMP WITH TIME ZONE,
    dismissed     BOOLEAN      NOT NULL,
    synced_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
