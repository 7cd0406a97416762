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

-- The last end of a relation that is not current (removed when it starts again): lets a sync tell a
-- relation that ended while it was reading, or that the customer ended (del_follow_user), from one it missed.
CREATE TABLE channel_relation_end (
    customer_id  BIGINT       NOT NULL,
    channel      VARCHAR(20)  NOT NULL,
    target       VARCHAR(128) NOT NULL,
    ended_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    reason       VARCHAR(40),
    CONSTRAINT pk_channel_relation_end PRIMARY KEY (customer_id, channel, target),
    CONSTRAINT fk_channel_relation_end_customer FOREIGN KEY (customer_id) REFERENCES customer (id)
);
CREATE INDEX ix_channel_relation_end_target ON channel_relation_end (channel, target, customer_id);

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

-- Until now the segment condition "WeCom friend (of a staff member)" read the customer's owner. Those
-- owners become friend relations, so saved segments keep their members on upgrade; the WeCom contact
-- sync then replaces them with the friendships WeCom reports.
INSERT INTO channel_relation (customer_id, channel, target, since)
SELECT customer_id, 'wecom_friend', CAST(staff_id AS VARCHAR(128)), since FROM customer_owner;
