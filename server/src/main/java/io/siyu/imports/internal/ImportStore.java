package io.siyu.imports.internal;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStep7;
import org.jooq.Record;
import org.jooq.Table;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** {@code import_run} (which file an import job reads) and {@code import_error} (the rows it refused). */
@Repository
class ImportStore {

    private static final Table<Record> RUN = table(name("import_run"));
    private static final Field<Long> RUN_JOB = field(name("job_id"), Long.class);
    private static final Field<String> RUN_KIND = field(name("kind"), String.class);
    private static final Field<String> RUN_FILE = field(name("file_name"), String.class);
    private static final Field<String> RUN_HEADER = field(name("header"), String.class);

    private static final Table<Record> ERR = table(name("import_error"));
    private static final Field<Long> ERR_JOB = field(name("job_id"), Long.class);
    private static final Field<Integer> ERR_SEQ = field(name("seq"), Integer.class);
    private static final Field<Long> ERR_ROW = field(name("row_no"), Long.class);
    private static final Field<String> ERR_COL = field(name("col"), String.class);
    private static final Field<String> ERR_CODE = field(name("code"), String.class);
    private static final Field<String> ERR_MESSAGE = field(name("message"), String.class);
    private static final Field<String> ERR_VALUES = field(name("row_values"), String.class);
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    /** An import job's file. */
    record Run(long jobId, String kind, String fileName, List<String> header) {
    }

    private final DSLContext db;
    private final ObjectMapper json;

    ImportStore(DSLContext db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    void insertRun(Run run) {
        db.insertInto(RUN).set(RUN_JOB, run.jobId()).set(RUN_KIND, run.kind()).set(RUN_FILE, run.fileName())
                .set(RUN_HEADER, json.writeValueAsString(run.header())).execute();
    }

    Optional<Run> run(long jobId) {
        return db.select(RUN_JOB, RUN_KIND, RUN_FILE, RUN_HEADER).from(RUN).where(RUN_JOB.eq(jobId))
                .fetchOptional(r -> new Run(r.get(RUN_JOB), r.get(RUN_KIND), r.get(RUN_FILE),
                        json.readValue(r.get(RUN_HEADER), STRINGS)));
    }

    /** Appends refused rows in one batch; {@code firstSeq} numbers them within the job. */
    void insertErrors(long jobId, int firstSeq, List<ImportError> errors) {
        if (errors.isEmpty()) {
            return;
        }
        InsertValuesStep7<Record, Long, Integer, Long, String, String, String, String> insert = db.insertInto(ERR,
                ERR_JOB, ERR_SEQ, ERR_ROW, ERR_COL, ERR_CODE, ERR_MESSAGE, ERR_VALUES);
        int seq = firstSeq;
        for (ImportError e : errors) {
            insert = insert.values(jobId, seq++, e.row(), clip(e.column(), 200), clip(e.code(), 100),
                    clip(e.message(), 2000), json.writeValueAsString(e.values()));
        }
        insert.execute();
    }

    List<ImportError> errors(long jobId) {
        return db.select(ERR_ROW, ERR_COL, ERR_CODE, ERR_MESSAGE, ERR_VALUES).from(ERR).where(ERR_JOB.eq(jobId))
                .orderBy(ERR_SEQ)
                .fetch(r -> new ImportError(r.get(ERR_ROW), r.get(ERR_COL), r.get(ERR_CODE), r.get(ERR_MESSAGE),
                        json.readValue(r.get(ERR_VALUES), STRINGS)));
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
