package io.siyu.layer.internal;

import static org.jooq.impl.DSL.avg;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.sum;

import io.siyu.customer.Customers;
import io.siyu.platform.BrandClock;
import io.siyu.platform.FieldProblem;
import io.siyu.platform.SiyuException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.springframework.context.MessageSource;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** RFM settings, recomputation, the distribution report and a customer's scores. */
@RestController
@Tag(name = "RFM", description = "RFM scores, named segments and the 8-class scheme")
class RfmController {

    private static final Field<String> SEGMENT = field(name("rfm_segment"), String.class);
    private static final Field<String> CLASS = field(name("value_class"), String.class);
    private static final Field<LocalDate> LAST_ORDER_ON = field(name("last_order_on"), LocalDate.class);
    private static final Field<Integer> FREQUENCY = field(name("frequency"), Integer.class);
    private static final Field<BigDecimal> MONETARY = field(name("monetary"), BigDecimal.class);

    private final RfmService service;
    private final io.siyu.platform.Jobs jobs;
    private final DSLContext db;
    private final Customers customers;
    private final MessageSource messages;
    private final BrandClock clock;

    RfmController(RfmService service, io.siyu.platform.Jobs jobs, DSLContext db, Customers customers, MessageSource messages, BrandClock clock) {
        this.service = service;
        this.jobs = jobs;
        this.db = db;
        this.customers = customers;
        this.messages = messages;
        this.clock = clock;
    }

    record Settings(int windowDays) {
    }

    @GetMapping("/api/v1/rfm/settings")
    @PreAuthorize("hasAuthority('customer:read')")
    Settings settings() {
        return new Settings(service.windowDays());
    }

    @PutMapping("/api/v1/rfm/settings")
    @PreAuthorize("hasAuthority('schema:write')")
    @Operation(summary = "Set the RFM window", description = "Body: {windowDays} (7–3650): orders older than this "
            + "are not counted. Takes effect at the next recompute.")
    Settings update(@RequestBody JsonNode body) {
        if (body == null || !body.isObject() || !body.path("windowDays").isIntegralNumber() || body.size() != 1) {
            throw SiyuException.invalid(List.of(FieldProblem.of("/windowDays", "invalid-range", "windowDays", 7, 3650)));
        }
        service.setWindowDays(body.get("windowDays").asInt());
        return settings();
    }

    @PostMapping("/api/v1/rfm/recompute")
    @PreAuthorize("hasAuthority('schema:write')")
    @Operation(summary = "Recompute RFM now (a job)", description = "Answers 202 with the job; its result is the run "
            + "summary (with `source`: whether the "
            + "totals came from the segment engine or the orders table, and `written`: the rows it changed). Also runs "
            + "daily. The run and its changed scores are stored in one transaction.")
    org.springframework.http.ResponseEntity<io.siyu.platform.Job> recompute() {
        io.siyu.platform.Job job = jobs.start("rfm-recompute", context -> service.recompute(RfmService.Source.AUTO, context));
        return org.springframework.http.ResponseEntity.accepted()
                .location(java.net.URI.create("/api/v1/jobs/" + job.id())).body(job);
    }

    /** One row of the distribution. */
    record Share(String id, String label, int customers, BigDecimal customerShare, BigDecimal revenueShare,
            BigDecimal avgRecencyDays, BigDecimal avgFrequency, BigDecimal avgMonetary) {
    }

    /** The latest run and how customers fall into segments, classes and scores. */
    record Distribution(Map<String, Object> run, List<Share> segments, List<Share> classes,
            Map<String, Map<Integer, Integer>> scores) {
    }

    @GetMapping("/api/v1/rfm/distribution")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "The RFM distribution of the latest run", description = "Named segments (Champions … Lost) "
            + "and the 8 classes (重要价值客户 … 一般挽留客户) with customer and revenue shares, and score histograms.")
    Distribution distribution(Locale locale) {
        Record run = db.select(field(name("id")), field(name("window_days")), field(name("as_of"), OffsetDateTime.class),
                        field(name("customers")), field(name("avg_recency")), field(name("avg_frequency")),
                        field(name("avg_monetary")))
                .from(RfmService.RUN).orderBy(field(name("id")).desc()).limit(1).fetchOne();
        if (run == null) {
            throw SiyuException.notFound("rfm-not-computed");
        }
        Map<String, Object> runView = new LinkedHashMap<>();
        runView.put("id", String.valueOf(run.get(0)));
        runView.put("windowDays", run.get(1));
        runView.put("asOf", clock.local(run.get(2, OffsetDateTime.class)));
        runView.put("customers", run.get(3));
        runView.put("avgRecencyDays", run.get(4));
        runView.put("avgFrequency", run.get(5));
        runView.put("avgMonetary", run.get(6));
        Map<String, Map<Integer, Integer>> scores = new LinkedHashMap<>();
        for (String score : List.of("r_score", "f_score", "m_score")) {
            Map<Integer, Integer> histogram = new LinkedHashMap<>();
            for (int i = 1; i <= 5; i++) {
                histogram.put(i, 0);
            }
            Field<Integer> f = field(name(score), Integer.class);
            db.select(f, count()).from(RfmService.RFM).groupBy(f).forEach(r -> histogram.put(r.value1(), r.value2()));
            scores.put(score.substring(0, 1), histogram);
        }
        // recency counts calendar days in the brand's zone up to the run's day, as the run scored it
        Field<Integer> recency = org.jooq.impl.DSL.localDateDiff(org.jooq.impl.DSL.val(runDay(run.get(2,
                OffsetDateTime.class))), LAST_ORDER_ON);
        return new Distribution(runView, shares(SEGMENT, RfmScheme.SEGMENTS, "rfm.segment.", recency, locale),
                shares(CLASS, RfmScheme.CLASSES, "rfm.class.", recency, locale), scores);
    }

    private LocalDate runDay(OffsetDateTime asOf) {
        return asOf.atZoneSameInstant(clock.zone()).toLocalDate();
    }

    private List<Share> shares(Field<String> by, List<String> order, String labelPrefix, Field<Integer> recency,
            Locale locale) {
        Map<String, Record> rows = new LinkedHashMap<>();
        db.select(by, count(), sum(MONETARY), avg(recency), avg(FREQUENCY), avg(MONETARY)).from(RfmService.RFM).groupBy(by)
                .forEach(r -> rows.put(r.value1(), r));
        int total = rows.values().stream().mapToInt(r -> r.get(1, Integer.class)).sum();
        BigDecimal revenue = rows.values().stream().map(r -> r.get(2, BigDecimal.class)).reduce(BigDecimal.ZERO,
                BigDecimal::add);
        List<Share> out = new ArrayList<>();
        for (String id : order) {
            Record r = rows.get(id);
            int n = r == null ? 0 : r.get(1, Integer.class);
            BigDecimal money = r == null ? BigDecimal.ZERO : r.get(2, BigDecimal.class);
            out.add(new Share(id, messages.getMessage(labelPrefix + id, null, id, locale), n, ratio(n, total),
                    revenue.signum() == 0 ? BigDecimal.ZERO : money.divide(revenue, 4, RoundingMode.HALF_UP),
                    r == null ? null : scale(r.get(3, BigDecimal.class)), r == null ? null : scale(r.get(4, BigDecimal.class)),
                    r == null ? null : scale(r.get(5, BigDecimal.class))));
        }
        return out;
    }

    /** A customer's latest scores. */
    record CustomerRfm(String customerId, int recencyDays, int frequency, BigDecimal monetary, int rScore, int fScore,
            int mScore, String segment, String segmentLabel, String valueClass, String valueClassLabel) {
    }

    @GetMapping("/api/v1/customers/{id}/rfm")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "A customer's RFM scores from the latest run", description = "404 rfm-not-scored when the "
            + "customer had no order in the window.")
    CustomerRfm customer(@PathVariable String id, Locale locale) {
        long customerId;
        try {
            customerId = customers.resolveId(Long.parseLong(id))
                    .orElseThrow(() -> SiyuException.notFound("customer-not-found", id));
        } catch (NumberFormatException e) {
            throw SiyuException.notFound("customer-not-found", id);
        }
        Record r = db.select(LAST_ORDER_ON, FREQUENCY, MONETARY, field(name("r_score"), Integer.class),
                        field(name("f_score"), Integer.class), field(name("m_score"), Integer.class), SEGMENT, CLASS)
                .from(RfmService.RFM).where(field(name("customer_id"), Long.class).eq(customerId)).fetchOne();
        if (r == null) {
            throw SiyuException.notFound("rfm-not-scored", id);
        }
        OffsetDateTime asOf = db.select(field(name("as_of"), OffsetDateTime.class)).from(RfmService.RUN)
                .orderBy(field(name("id")).desc()).limit(1).fetchOne(0, OffsetDateTime.class);
        int recencyDays = (int) (runDay(asOf).toEpochDay() - r.get(LAST_ORDER_ON).toEpochDay());
        String segment = r.get(SEGMENT);
        String valueClass = r.get(CLASS);
        return new CustomerRfm(String.valueOf(customerId), recencyDays, r.get(FREQUENCY), r.get(MONETARY),
                r.get(3, Integer.class), r.get(4, Integer.class), r.get(5, Integer.class), segment,
                messages.getMessage("rfm.segment." + segment, null, segment, locale), valueClass,
                messages.getMessage("rfm.class." + valueClass, null, valueClass, locale));
    }

    private static BigDecimal ratio(int n, int total) {
        return total == 0 ? BigDecimal.ZERO : BigDecimal.valueOf(n).divide(BigDecimal.valueOf(total), 4, RoundingMode.HALF_UP);
    }

    private static BigDecimal scale(BigDecimal v) {
        return v == null ? null : v.setScale(2, RoundingMode.HALF_UP);
    }
}
