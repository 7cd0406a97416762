package io.siyu.imports.internal;

import io.siyu.platform.ProblemRenderer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What an import did so far: its counts and the refused rows, written to {@code import_error} in
 * batches. Messages are rendered in the language of whoever started the import. Only the first
 * {@code maxReported} refusals are kept; {@code failed} counts them all.
 */
final class ImportReport {

    private static final int BATCH = 500;
    private static final int MAX_CELL = 2000;

    /** The result of an import job, as {@code /api/v1/jobs/{id}} shows it. */
    record Result(long rows, long imported, long created, long linked, long merged, long skipped, long failed,
            long errorsReported) {
    }

    private final long jobId;
    private final ImportStore store;
    private final ProblemRenderer problems;
    private final Locale locale;
    private final int maxReported;
    private final List<ImportError> pending = new ArrayList<>();
    private int reported;
    long rows;
    long imported;
    long created;
    long linked;
    long merged;
    long skipped;
    long failed;

    ImportReport(long jobId, ImportStore store, ProblemRenderer problems, Locale locale, int maxReported) {
        this.jobId = jobId;
        this.store = store;
        this.problems = problems;
        this.locale = locale;
        this.maxReported = maxReported;
    }

    /** Records a refusal of {@code row} at {@code column} (or "" for the whole row). */
    void refuse(long row, String column, String code, List<Object> args, List<String> values) {
        if (reported >= maxReported) {
            return;
        }
        reported++;
        List<String> cells = values.stream().map(v -> v == null ? "" : v.length() > MAX_CELL ? v.substring(0, MAX_CELL) : v)
                .toList();
        pending.add(new ImportError(row, column, code, problems.message(code, args, locale), cells));
        if (pending.size() >= BATCH) {
            flush();
        }
    }

    void flush() {
        store.insertErrors(jobId, reported - pending.size(), pending);
        pending.clear();
    }

    /** Counts a customer resolution: created, or linked to an existing one, and the merges it caused. */
    void resolved(boolean wasCreated, int merges) {
        if (wasCreated) {
            created++;
        } else {
            linked++;
        }
        merged += merges;
    }

    Result result() {
        return new Result(rows, imported, created, linked, merged, skipped, failed, reported);
    }
}
