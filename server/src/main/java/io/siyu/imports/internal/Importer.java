package io.siyu.imports.internal;

import io.siyu.compliance.AuditLog;
import io.siyu.customer.Customers;
import io.siyu.platform.Job;
import io.siyu.platform.JobContext;
import io.siyu.platform.Jobs;
import io.siyu.platform.ProblemRenderer;
import io.siyu.platform.SiyuException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.multipart.MultipartFile;

/**
 * Takes an uploaded file, checks its header at once (a bad header is a 400 and starts nothing),
 * keeps the file until its job has read it, and runs the import as a job: rows are counted first
 * so that progress has a total, then imported one by one with a checkpoint after each.
 */
@Service
class Importer {

    private static final Logger log = LoggerFactory.getLogger(Importer.class);

    private final Jobs jobs;
    private final Customers customers;
    private final CustomerImport customerImport;
    private final OrderImport orderImport;
    private final ImportStore store;
    private final ProblemRenderer problems;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Path uploads;
    private final int maxReportedErrors;

    Importer(Jobs jobs, Customers customers, CustomerImport customerImport, OrderImport orderImport, ImportStore store,
            ProblemRenderer problems, AuditLog audit, TransactionTemplate tx,
            @Value("${siyu.data-dir}") Path dataDir,
            @Value("${siyu.imports.max-reported-errors:10000}") int maxReportedErrors) {
        this.jobs = jobs;
        this.customers = customers;
        this.customerImport = customerImport;
        this.orderImport = orderImport;
        this.store = store;
        this.problems = problems;
        this.audit = audit;
        this.tx = tx;
        this.uploads = dataDir.resolve("imports");
        this.maxReportedErrors = maxReportedErrors;
    }

    Job start(ColumnMap.Kind kind, MultipartFile file) {
        if (file == null || file.isEmpty()) {
            throw SiyuException.badRequest(file == null ? "import-missing-file" : "import-empty-file");
        }
        String fileName = fileName(file);
        Path path = save(file);
        try {
            Sheets.Format format = Sheets.detect(path);
            List<String> header = Sheets.header(path, format);
            ColumnMap map = ColumnMap.of(kind, header, customers.identityTypes(), customers.attributeTypes());
            return tx.execute(s -> {
                Job job = jobs.start(kind.jobKind(), ctx -> run(ctx, kind, fileName, path, format, map));
                store.insertRun(new ImportStore.Run(Long.parseLong(job.id()), kind.jobKind(), fileName, header));
                return job;
            });
        } catch (Exception e) {
            delete(path);
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    private ImportReport.Result run(JobContext ctx, ColumnMap.Kind kind, String fileName, Path path,
            Sheets.Format format, ColumnMap map) throws Exception {
        ImportReport report = new ImportReport(ctx.jobId(), store, problems, ctx.locale(), maxReportedErrors);
        String outcome = "failed";
        try {
            long[] total = {0};
            Sheets.read(path, format, (n, cells) -> {
                total[0]++;
                return true;
            });
            ctx.total(Math.max(0, total[0] - 1));
            OrderImport.Reader orders = kind == ColumnMap.Kind.ORDERS ? orderImport.reader(map, ctx.jobId(), report) : null;
            boolean[] header = {true};
            boolean[] stopped = {false};
            Sheets.read(path, format, (rowNo, cells) -> {
                if (header[0]) {
                    header[0] = false;
                    return true;
                }
                if (orders != null) {
                    orders.row(rowNo, cells);
                } else {
                    customerImport.row(map, rowNo, cells, report);
                }
                if (!ctx.proceed(report.rows)) {
                    stopped[0] = true;
                    return false;
                }
                return true;
            });
            // an order still being read when the job was cancelled is left out whole
            if (orders != null && !stopped[0]) {
                orders.finish();
            }
            ctx.proceed(report.rows);
            outcome = stopped[0] ? "cancelled" : "succeeded";
            return report.result();
        } finally {
            report.flush();
            delete(path);
            ImportReport.Result r = report.result();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("file", fileName);
            details.put("outcome", outcome);
            details.put("rows", r.rows());
            details.put("imported", r.imported());
            details.put("created", r.created());
            details.put("linked", r.linked());
            details.put("merged", r.merged());
            details.put("skipped", r.skipped());
            details.put("failed", r.failed());
            audit.record(kind.jobKind().replace('-', '.'), "job", String.valueOf(ctx.jobId()), details);
        }
    }

    /** Removes uploads that no job will read any more (their jobs were interrupted by a restart). */
    @EventListener(ApplicationReadyEvent.class)
    void removeLeftoverUploads() {
        if (!Files.isDirectory(uploads)) {
            return;
        }
        try (Stream<Path> files = Files.list(uploads)) {
            files.forEach(Importer::delete);
        } catch (IOException e) {
            log.warn("Could not clean up {}", uploads, e);
        }
    }

    private Path save(MultipartFile file) {
        try {
            Files.createDirectories(uploads);
            Path path = uploads.resolve(UUID.randomUUID() + ".upload");
            file.transferTo(path);
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fileName(MultipartFile file) {
        String name = file.getOriginalFilename();
        if (name == null || name.isBlank()) {
            return "upload";
        }
        // browsers on Windows may send a full path
        String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        return base.length() > 200 ? base.substring(0, 200) : base;
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warn("Could not delete {}", path, e);
        }
    }
}
