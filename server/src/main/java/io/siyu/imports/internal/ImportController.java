package io.siyu.imports.internal;

import io.siyu.platform.Job;
import io.siyu.platform.Jobs;
import io.siyu.platform.SiyuException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** Uploading customer and order files for import, and the report of the rows an import refused. */
@RestController
@Tag(name = "Imports", description = "Customers and historic orders from CSV (UTF-8) and Excel (.xlsx) files")
class ImportController {

    private final Importer importer;
    private final Jobs jobs;
    private final ImportStore store;

    ImportController(Importer importer, Jobs jobs, ImportStore store) {
        this.importer = importer;
        this.jobs = jobs;
        this.store = store;
    }

    @PostMapping(path = "/api/v1/imports/customers", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @PreAuthorize("hasAuthority('customer:write')")
    @Operation(summary = "Import customers", description = "multipart/form-data with part `file`: a CSV (UTF-8) or "
            + ".xlsx file whose first row names the columns. Identity columns by identity type (phone, email, "
            + "external_id, wechat_unionid, pos_member_no, ...; per-app types as miniapp_openid@<appId>), at least "
            + "one per row; profile columns displayName, nickname, realName, gender, birthday, province, city, "
            + "source; custom attributes as attr.<name>, converted to the attribute's type. Each row is resolved "
            + "like an identification, so importing a file again changes nothing. Answers 202 with the job; its "
            + "result: {rows, imported, created, linked, merged, skipped, failed}.")
    ResponseEntity<Job> customers(@RequestPart(name = "file", required = false) MultipartFile file) {
        return accepted(importer.start(ColumnMap.Kind.CUSTOMERS, file));
    }

    @PostMapping(path = "/api/v1/imports/orders", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @PreAuthorize("hasAuthority('customer:write')")
    @Operation(summary = "Import historic orders", description = "multipart/form-data with part `file` (CSV or "
            + ".xlsx). Columns: order_id, ordered_at (ISO date-time, or a date in the brand's time zone), "
            + "customer identity columns as for customers, total, revenue, discount, coupon, currency (default CNY) "
            + "and per row one product line: product_id, sku, category, name, price, quantity. Adjacent rows with "
            + "the same order_id are one order. Each new order is recorded with an Order Completed event; orders "
            + "already recorded are skipped. Result counts: rows are rows, imported/skipped/failed are orders.")
    ResponseEntity<Job> orders(@RequestPart(name = "file", required = false) MultipartFile file) {
        return accepted(importer.start(ColumnMap.Kind.ORDERS, file));
    }

    @GetMapping(path = "/api/v1/imports/{jobId}/errors.csv", produces = "text/csv")
    @PreAuthorize("isAuthenticated()")
    @Operation(summary = "The rows an import refused, as CSV", description = "Columns row, column, code, message, "
            + "then the row's original cells under the file's own header. UTF-8 with a byte order mark, so that "
            + "Excel shows Chinese text. Readable by the import's creator and admins.")
    void errors(@PathVariable String jobId, HttpServletResponse response) throws IOException {
        long id = parse(jobId);
        jobs.find(id).orElseThrow(() -> SiyuException.notFound("import-not-found", jobId));
        ImportStore.Run run = store.run(id).orElseThrow(() -> SiyuException.notFound("import-not-found", jobId));
        List<ImportError> errors = store.errors(id);
        response.setStatus(200);
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"import-" + id + "-errors.csv\"");
        Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        out.write('\uFEFF');
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180)) {
            List<String> head = new ArrayList<>(List.of("row", "column", "code", "message"));
            head.addAll(run.header());
            csv.printRecord(head);
            for (ImportError e : errors) {
                List<Object> line = new ArrayList<>(List.of(e.row(), e.column(), e.code(), e.message()));
                line.addAll(e.values());
                csv.printRecord(line);
            }
        }
    }

    private static ResponseEntity<Job> accepted(Job job) {
        return ResponseEntity.accepted().location(URI.create("/api/v1/jobs/" + job.id())).body(job);
    }

    private static long parse(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw SiyuException.notFound("import-not-found", id);
        }
    }
}
