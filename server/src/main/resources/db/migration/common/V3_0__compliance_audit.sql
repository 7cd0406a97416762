-- Compliance: the hash-chained audit log. Each entry's hash covers its content and the previous
-- entry's hash; ids are handed out by the append itself (from audit_head), so they are gapless
-- and follow the chain.
CREATE TABLE audit_log (
    id           BIGINT        NOT NULL PRIMARY KEY,
    occurred_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    actor        VARCHAR(255)  NOT NULL,
    action       VARCHAR(100)  NOT NULL,
    target_type  VARCHAR(64),
    target_id    VARCHAR(1000),
    request_id   VARCHAR(100)  NOT NULL,
    details      VARCHAR(8000) NOT NULL,
    prev_hash    VARCHAR(64)   NOT NULL,
    hash         VARCHAR(64)   NOT NULL
);

CREATE INDEX ix_audit_log_occurred_at ON audit_log (occurred_at);
CREATE INDEX ix_audit_log_action ON audit_log (action, id);
CREATE INDEX ix_audit_log_actor ON audit_log (actor, id);
CREATE INDEX ix_audit_log_target ON audit_log (target_type, target_id);

-- The end of the chain, one row. Appends lock it (SELECT ... FOR UPDATE) until they commit, which
-- serialises writers on H2 and PostgreSQL alike.
CREATE TABLE audit_head (
    id         INTEGER     NOT NULL PRIMARY KEY,
    last_id    BIGINT      NOT NULL,
    last_hash  VARCHAR(64) NOT NULL,
    CONSTRAINT ck_audit_head_single_row CHECK (id = 1)
);

INSERT INTO audit_head (id, last_id, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
