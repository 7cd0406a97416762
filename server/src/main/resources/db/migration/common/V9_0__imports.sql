-- Imports: the rows an import job refused, for the downloadable error report.
CREATE TABLE import_error (
    job_id      BIGINT        NOT NULL,
    seq         INTEGER       NOT NULL,
    row_no      BIGINT        NOT NULL,
    col         VARCHAR(200)  NOT NULL,
    code        VARCHAR(100)  NOT NULL,
    message     VARCHAR(2000) NOT NULL,
    row_values  VARCHAR(100000) NOT NULL,
    CONSTRAINT pk_import_error PRIMARY KEY (job_id, seq)
);

-- One row per import job: what was imported from which file, and the file's header row for the report.
CREATE TABLE import_run (
    job_id      BIGINT        NOT NULL PRIMARY KEY,
    kind        VARCHAR(32)   NOT NULL,
    file_name   VARCHAR(500)  NOT NULL,
    header      VARCHAR(100000) NOT NULL
);
