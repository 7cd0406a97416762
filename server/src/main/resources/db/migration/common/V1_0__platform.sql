-- Platform: idempotent POSTs and system settings.
CREATE TABLE idempotency_record (
    idem_key       VARCHAR(200) NOT NULL,
    actor          VARCHAR(100) NOT NULL,
    request_hash   VARCHAR(64)  NOT NULL,
    status         INTEGER,
    content_type   VARCHAR(100),
    location       VARCHAR(2000),
    body           VARCHAR(1000000),
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_idempotency_record PRIMARY KEY (actor, idem_key)
);

CREATE TABLE system_setting (
    name        VARCHAR(100) NOT NULL PRIMARY KEY,
    val         VARCHAR(4000) NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by  VARCHAR(100) NOT NULL
);
