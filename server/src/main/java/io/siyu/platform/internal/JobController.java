package io.siyu.platform.internal;

import io.siyu.platform.Cursors;
import io.siyu.platform.FieldProblem;
import io.siyu.platform.Job;
import io.siyu.platform.Page;
import io.siyu.platform.SiyuException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The jobs API: a job's status and progress, the list of jobs, cancellation. */
@RestController
@Tag(name = "Jobs", description = "Long-running work (imports, recomputes, exports) and its progress")
class JobController {

    private static final String SORT = "-createdAt";

    private final JobRunner jobs;

    JobController(JobRunner jobs) {
        this.jobs = jobs;
    }

    @GetMapping("/api/v1/jobs")
    @PreAuthorize("isAuthenticated()")
    @Operation(summary = "Jobs, newest first", description = "An admin sees every job, others their own. "
            + "Filter by kind (e.g. import-customers) and status (queued|running|succeeded|failed|cancelled).")
    Page<Job> list(@RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor,
            @RequestParam(required = false) String kind, @RequestParam(required = false) String status) {
        int n = Cursors.limit(limit);
        Job.Status wanted = status == null ? null : Job.Status.fromId(status).orElseThrow(() ->
                SiyuException.invalid(List.of(FieldProblem.of("status", "invalid-parameter", "status", status))));
        OffsetDateTime afterAt = null;
        Long afterId = null;
        if (cursor != null) {
            List<String> last = Cursors.decode(cursor, SORT, 2);
            try {
                afterAt = OffsetDateTime.parse(last.get(0));
                afterId = Long.parseLong(last.get(1));
            } catch (DateTimeParseException | NumberFormatException e) {
                throw SiyuException.badRequest("invalid-cursor");
            }
        }
        List<JobStore.JobRow> rows = jobs.page(kind, wanted, afterAt, afterId, n + 1);
        String next = null;
        if (rows.size() > n) {
            rows = rows.subList(0, n);
            JobStore.JobRow last = rows.getLast();
            next = Cursors.encode(SORT, List.of(last.createdAt().toString(), String.valueOf(last.id())));
        }
        return new Page<>(rows.stream().map(jobs::view).toList(), next);
    }

    @GetMapping("/api/v1/jobs/{id}")
    @PreAuthorize("isAuthenticated()")
    @Operation(summary = "A job", description = "Its creator or an admin may read it; progress is updated while it runs.")
    Job get(@PathVariable String id) {
        return jobs.view(jobs.row(parse(id)));
    }

    @PostMapping("/api/v1/jobs/{id}/cancel")
    @PreAuthorize("isAuthenticated()")
    @Operation(summary = "Cancel a job", description = "A queued job is cancelled at once, a running one stops at "
            + "its next checkpoint (status cancelled, result: what was done until then). 409 when already finished.")
    Job cancel(@PathVariable String id) {
        return jobs.cancel(parse(id));
    }

    private static long parse(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw SiyuException.notFound("job-not-found", id);
        }
    }
}
