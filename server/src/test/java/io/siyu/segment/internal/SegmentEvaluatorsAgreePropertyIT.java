package io.siyu.segment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.siyu.SiyuApplication;
import io.siyu.customer.Customers;
import io.siyu.segment.Rule;
import io.siyu.segment.Rule.AttributeOp;
import io.siyu.segment.Rule.Comparison;
import io.siyu.segment.Rule.EventOp;
import io.siyu.segment.Rule.ValueType;
import io.siyu.segment.Rule.Window;
import io.siyu.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import org.jooq.DSLContext;
import org.roaringbitmap.RoaringBitmap;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The two evaluators agree: for random customers (profiles, custom attributes, tags, daily event
 * counts, stored events with random properties, orders with refunds and lines, RFM scores, owners,
 * identities, a static segment) and random
 * rules over every condition kind, nested with and/or/not, the SQL compiler (run by the database)
 * and the bitmap engine (run over the facts it loads) return the same members. Runs on H2 and
 * PostgreSQL; "today" varies across year ends and leap days.
 */
class SegmentEvaluatorsAgreePropertyIT {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final String[] CITIES = {"上海", "杭州", "Shanghai", "上海市"};
    private static final String[] EVENTS = {"Product Viewed", "page", "Tag Added", "Order Completed", "page:育儿百科"};
    private static final String[][] RAW_EVENTS = {{"track", "Article Read"}, {"track", "Product Viewed"},
        {"page", "育儿百科"}, {"page", null}, {"system", "Tag Added"}, {"identify", null}};
    private static final String[] CATEGORIES = {"奶粉", "纸尿裤", "辅食"};
    private static final String[] SEGMENTS = {"champions", "loyal", "at_risk", "lost"};
    private static final String[] CLASSES = {"important_value", "general_retain"};
    private static final LocalDate[] TODAYS = {LocalDate.of(2026, 6, 15), LocalDate.of(2026, 12, 28),
        LocalDate.of(2028, 2, 27), LocalDate.of(2027, 1, 1)};
    private static final int CUSTOMERS = 36;
    private static final long STATIC_SEGMENT = 900_001L;
    private static final long DYNAMIC_SEGMENT = 900_002L;

    private static final long POLICY = 900_100L;
    private static final long[] LAYERS = {900_201L, 900_202L, 900_203L};
    private static ConfigurableApplicationContext context;
    private static long[] tags;
    private static long[] staff;
    /** Group chats: the third has no members, so a rule naming it matches no one. */
    private static final String[] GROUPS = {"wrChatA", "wrChatB", "wrChatC"};

    private static ConfigurableApplicationContext context() {
        if (context == null) {
            if (TestDatabase.isPostgres() && !TestDatabase.preparePostgres()) {
                throw new IllegalStateException("PostgreSQL not reachable for the property test");
            }
            context = new SpringApplicationBuilder(SiyuApplication.class)
                    .web(WebApplicationType.SERVLET)
                    .run("--spring.datasource.url=" + ownDatabase(),
                            "--spring.datasource.username=" + TestDatabase.user(),
                            "--spring.datasource.password=" + "",
                            "--server.port=" + "0",
                            "--siyu.segment.engine.enabled=" + "false",
                            "--siyu.demo.enabled=" + "false",
                            "--siyu.security.admin-password=" + "prop-admin-Pa55word",
                            "--siyu.data-dir=" + System.getProperty("java.io.tmpdir") + "/siyu-seg-prop-" + ProcessHandle.current().pid());
            setUpOnce(context.getBean(DSLContext.class), context.getBean(Customers.class));
        }
        return context;
    }

    /** A database of its own: every try deletes all customers, which other tests must not see. */
    private static String ownDatabase() {
        String url = TestDatabase.url();
        if (!TestDatabase.isPostgres()) {
            return url.replace("siyu-it", "siyu-seg-prop");
        }
        String db = url.substring(url.lastIndexOf('/') + 1) + "_segprop";
        String admin = url.substring(0, url.lastIndexOf('/') + 1) + "postgres";
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(admin, TestDatabase.user(), "");
                java.sql.Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + db);
            st.execute("CREATE DATABASE " + db);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return url.substring(0, url.lastIndexOf('/') + 1) + db;
    }

    @AfterContainer
    static void close() {
        if (context != null) {
            context.close();
            context = null;
            if (TestDatabase.isPostgres()) {
                String url = TestDatabase.url();
                try (java.sql.Connection c = java.sql.DriverManager.getConnection(
                        url.substring(0, url.lastIndexOf('/') + 1) + "postgres", TestDatabase.user(), "");
                        java.sql.Statement st = c.createStatement()) {
                    st.execute("DROP DATABASE IF EXISTS " + url.substring(url.lastIndexOf('/') + 1) + "_segprop WITH (FORCE)");
                } catch (java.sql.SQLException ignored) {
                    // best effort: a leftover test database is harmless
                }
            }
        }
    }

    private static void setUpOnce(DSLContext db, Customers customers) {
        customers.ensureAttribute("vip_level", "number", "会员等级", "VIP level", "newest");
        customers.ensureAttribute("likes_tea", "boolean", "喜欢茶", "Likes tea", "newest");
        customers.ensureAttribute("baby_due", "date", "预产期", "Due date", "newest");
        customers.ensureAttribute("note", "string", "备注", "Note", "newest");
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        long group = db.insertInto(table(name("tag_group"))).set(field(name("name")), "prop-group-" + System.nanoTime())
                .set(field(name("sort_order")), 0).set(field(name("exclusive_tags")), false)
                .set(field(name("created_at")), now).set(field(name("updated_at")), now)
                .returningResult(field(name("id"), Long.class)).fetchOne().value1();
        tags = new long[3];
        for (int i = 0; i < 3; i++) {
            tags[i] = db.insertInto(table(name("tag"))).set(field(name("group_id")), group)
                    .set(field(name("name")), "t" + i).set(field(name("colour")), "#123456")
                    .set(field(name("sort_order")), i).set(field(name("created_at")), now)
                    .set(field(name("updated_at")), now).returningResult(field(name("id"), Long.class)).fetchOne().value1();
        }
        db.insertInto(table(name("layer_policy"))).set(field(name("id")), POLICY).set(field(name("name")), "prop-policy")
                .set(field(name("active")), false).set(field(name("priority")), 0).set(field(name("version")), 1)
                .set(field(name("created_by")), "prop").set(field(name("created_at")), now)
                .set(field(name("updated_at")), now).execute();
        staff = new long[2];
        for (int i = 0; i < 2; i++) {
            staff[i] = db.insertInto(table(name("staff_member"))).set(field(name("name")), "s" + i)
                    .set(field(name("active")), true).set(field(name("created_at")), now)
                    .returningResult(field(name("id"), Long.class)).fetchOne().value1();
        }
    }

    @Property(tries = 40)
    void sqlAndBitmapsGiveTheSameMembers(@ForAll long seed) {
        ConfigurableApplicationContext ctx = context();
        DSLContext db = ctx.getBean(DSLContext.class);
        Random random = new Random(seed);
        LocalDate today = TODAYS[random.nextInt(TODAYS.length)];
        EvalTime time = new EvalTime(today, ZONE);
        seed(db, random, today);
        Rule dynamic = rule(random, today, 2, false);
        java.util.function.LongFunction<Optional<Rule>> segments = id -> id == DYNAMIC_SEGMENT ? Optional.of(dynamic)
                : Optional.empty();
        List<Rule> rules = new ArrayList<>();
        java.util.Set<EventSeries> series = new java.util.HashSet<>();
        for (int i = 0; i < 25; i++) {
            Rule rule = rule(random, today, 3, true);
            rules.add(rule);
            series.addAll(EventSeries.in(rule, segments));
        }
        Facts facts = ctx.getBean(FactLoader.class).loadAll(series);
        for (Rule rule : rules) {
            RoaringBitmap sql = new RoaringBitmap();
            db.select(SegTables.C_ID).from(SegTables.C)
                    .where(SqlCompiler.universe().and(new SqlCompiler(time, segments).compile(rule)))
                    .fetch().forEach(r -> sql.add(r.value1().intValue()));
            RoaringBitmap bitmap = new BitmapEvaluator(facts, time, segments).eval(rule, facts.active.clone());
            assertThat(bitmap).as("rule %s on %s (seed %d)", rule, today, seed).isEqualTo(sql);
            // the statement-per-leaf evaluation (H2's SQL path) gives the same members on both databases
            assertThat(new SqlCompiler(time, segments).members(db, rule)).as("per leaf: rule %s (seed %d)", rule, seed)
                    .isEqualTo(sql);
            // the preview's one-pass explain gives the same members, and each node's own count
            List<BitmapEvaluator.Explained> explained = new ArrayList<>();
            BitmapEvaluator evaluator = new BitmapEvaluator(facts, time, segments);
            assertThat(evaluator.explain(rule, facts.active, explained)).isEqualTo(sql);
            if (rule instanceof Rule.And a && !a.rules().isEmpty()) {
                assertThat(explained.getFirst().children().getFirst().count())
                        .isEqualTo(evaluator.eval(a.rules().getFirst(), facts.active.clone()).getCardinality());
            }
        }
    }

    // ---- random data

    /** One daily count row; PostgreSQL stores a customer's day as one row of key and count arrays. */
    private static void dailyCount(DSLContext db, long id, String event, LocalDate day, int count) {
        if (TestDatabase.isPostgres()) {
            db.execute("insert into customer_day_count values (?, ?, array[?]::varchar[], array[?]::integer[]) "
                    + "on conflict (customer_id, bucket_day) do update set "
                    + "event_names = customer_day_count.event_names || excluded.event_names, "
                    + "counts = customer_day_count.counts || excluded.counts", id, day, event, count);
            return;
        }
        db.insertInto(table(name("customer_daily_count"))).set(field(name("customer_id")), id)
                .set(field(name("event_name")), event).set(field(name("bucket_day")), day)
                .set(field(name("cnt")), count).execute();
    }

    private static void seed(DSLContext db, Random r, LocalDate today) {
        for (String t : List.of("customer_event", "customer_layer", "segment_member", "segment", "customer_attribute", "customer_tag",
                TestDatabase.isPostgres() ? "customer_day_count" : "customer_daily_count",
                "customer_aggregate", "order_line", "customer_order", "customer_rfm", "channel_relation",
                "customer_identity", "customer")) {
            db.deleteFrom(table(name(t))).execute();
        }
        OffsetDateTime base = today.atStartOfDay(ZONE).toOffsetDateTime();
        db.insertInto(table(name("segment"))).set(field(name("id")), STATIC_SEGMENT).set(field(name("name")), "static")
                .set(field(name("kind")), "static").set(field(name("member_count")), 0)
                .set(field(name("created_by")), "prop").set(field(name("created_at")), base)
                .set(field(name("updated_at")), base).execute();
        for (int id = 1; id <= CUSTOMERS; id++) {
            String status = r.nextInt(10) == 0 ? (r.nextBoolean() ? "merged" : "erased") : "active";
            OffsetDateTime created = base.plusHours(r.nextInt(24 * 20) - 24 * 15).plusSeconds(r.nextInt(3600));
            db.insertInto(table(name("customer")))
                    .set(field(name("id")), (long) id).set(field(name("status")), status)
                    .set(field(name("display_name")), r.nextInt(5) == 0 ? null : "客户" + id)
                    .set(field(name("gender")), pick(r, "female", "male", null))
                    .set(field(name("city")), r.nextInt(5) == 0 ? null : CITIES[r.nextInt(CITIES.length)])
                    .set(field(name("birthday")), r.nextInt(4) == 0 ? null : today.minusYears(20 + r.nextInt(10))
                            .plusDays(r.nextInt(30) - 10))
                    .set(field(name("source")), pick(r, "wecom", "miniapp", null))
                    .set(field(name("profile_updated_at")), created).set(field(name("created_at")), created)
                    .set(field(name("updated_at")), created).execute();
            if (r.nextInt(3) > 0) {
                attr(db, id, "vip_level", "num_val", BigDecimal.valueOf(r.nextInt(600), 2).add(BigDecimal.valueOf(r.nextInt(3))), base);
            }
            if (r.nextInt(3) > 0) {
                attr(db, id, "likes_tea", "bool_val", r.nextBoolean(), base);
            }
            if (r.nextInt(3) > 0) {
                attr(db, id, "baby_due", "date_val", today.plusDays(r.nextInt(40) - 20), base);
            }
            if (r.nextInt(3) > 0) {
                attr(db, id, "note", "str_val", pick(r, "爱喝奶茶", "奶粉党", "tea", "Tea time"), base);
            }
            for (long tag : tags) {
                if (r.nextInt(3) == 0) {
                    db.insertInto(table(name("customer_tag"))).set(field(name("customer_id")), (long) id)
                            .set(field(name("tag_id")), tag).set(field(name("source")), "manual")
                            .set(field(name("assigned_at")), base).set(field(name("assigned_by")), "prop").execute();
                }
            }
            if (r.nextInt(4) > 0) {
                OffsetDateTime first = base.minusDays(r.nextInt(60)).plusSeconds(r.nextInt(86_400));
                OffsetDateTime last = first.plusDays(r.nextInt(30));
                db.insertInto(table(name("customer_aggregate"))).set(field(name("customer_id")), (long) id)
                        .set(field(name("first_seen")), first).set(field(name("last_seen")), last)
                        .set(field(name("last_interaction")), r.nextBoolean() ? last : null)
                        .set(field(name("events_count")), 1L).set(field(name("orders_count")), 0)
                        .set(field(name("total_spent")), BigDecimal.ZERO).execute();
            }
            for (String event : EVENTS) {
                if (r.nextBoolean()) {
                    java.util.Set<LocalDate> days = new java.util.TreeSet<>();
                    int n = 1 + r.nextInt(4);
                    for (int k = 0; k < n; k++) {
                        days.add(today.minusDays(r.nextInt(45) - 2));
                    }
                    for (LocalDate d : days) {
                        dailyCount(db, id, event, d, 1 + r.nextInt(4));
                    }
                }
            }
            int raw = r.nextInt(7);
            for (int k = 0; k < raw; k++) {
                String[] kind = RAW_EVENTS[r.nextInt(RAW_EVENTS.length)];
                OffsetDateTime at = base.minusDays(r.nextInt(50) - 2).plusSeconds(r.nextInt(86_400));
                db.insertInto(table(name("customer_event"))).set(field(name("log_offset")), -(long) (id * 100 + k + 1))
                        .set(field(name("customer_id")), (long) id).set(field(name("event_type")), kind[0])
                        .set(field(name("name")), kind[1]).set(field(name("occurred_at")), at)
                        .set(field(name("received_at")), at).set(field(name("is_system")), kind[0].equals("system"))
                        .set(field(name("properties")), properties(r)).execute();
            }
            int orders = r.nextInt(4);
            for (int k = 0; k < orders; k++) {
                String orderId = "o-" + id + "-" + k;
                BigDecimal total = BigDecimal.valueOf(1000 + r.nextInt(40_000), 2);
                int refundKind = r.nextInt(6);
                BigDecimal refunded = refundKind == 0 ? total : refundKind == 1 ? total.divide(BigDecimal.valueOf(2), 2,
                        java.math.RoundingMode.DOWN) : BigDecimal.ZERO.setScale(2);
                String orderStatus = refundKind == 0 ? "refunded" : refundKind == 1 ? "partially_refunded" : "completed";
                OffsetDateTime at = base.minusDays(r.nextInt(120)).plusSeconds(r.nextInt(86_400));
                db.insertInto(table(name("customer_order"))).set(field(name("order_id")), orderId)
                        .set(field(name("customer_id")), (long) id).set(field(name("status")), orderStatus)
                        .set(field(name("total")), total).set(field(name("currency")), "CNY")
                        .set(field(name("refunded_amount")), refunded).set(field(name("ordered_at")), at)
                        .set(field(name("updated_at")), at).execute();
                int lines = r.nextInt(3);
                for (int l = 0; l < lines; l++) {
                    db.insertInto(table(name("order_line"))).set(field(name("order_id")), orderId)
                            .set(field(name("line_no")), l).set(field(name("product_id")), "p" + r.nextInt(4))
                            .set(field(name("sku")), r.nextBoolean() ? "sku" + r.nextInt(3) : null)
                            .set(field(name("category")), CATEGORIES[r.nextInt(CATEGORIES.length)]).execute();
                }
            }
            if (r.nextInt(3) > 0) {
                db.insertInto(table(name("customer_rfm"))).set(field(name("customer_id")), (long) id)
                        .set(field(name("last_order_on")), today).set(field(name("frequency")), 1)
                        .set(field(name("monetary")), BigDecimal.ONE).set(field(name("r_score")), 1 + r.nextInt(5))
                        .set(field(name("f_score")), 1 + r.nextInt(5)).set(field(name("m_score")), 1 + r.nextInt(5))
                        .set(field(name("rfm_segment")), SEGMENTS[r.nextInt(SEGMENTS.length)])
                        .set(field(name("value_class")), CLASSES[r.nextInt(CLASSES.length)])
                        .set(field(name("run_id")), 1L).execute();
            }
            // relations: a friend of one or both staff members, in some of the groups, following an account
            for (String[] rel : List.of(new String[] {"wecom_friend", String.valueOf(staff[0])},
                    new String[] {"wecom_friend", String.valueOf(staff[1])}, new String[] {"wecom_group", GROUPS[0]},
                    new String[] {"wecom_group", GROUPS[1]}, new String[] {"official_account", "wx-oa-1"})) {
                if (r.nextInt(3) == 0) {
                    db.insertInto(table(name("channel_relation"))).set(field(name("customer_id")), (long) id)
                            .set(field(name("channel")), rel[0]).set(field(name("target")), rel[1])
                            .set(field(name("since")), base).execute();
                }
            }
            for (String type : List.of("phone", "wechat_openid")) {
                if (r.nextBoolean()) {
                    db.insertInto(table(name("customer_identity"))).set(field(name("customer_id")), (long) id)
                            .set(field(name("id_type")), type).set(field(name("app_id")), "")
                            .set(field(name("lookup_key")), type + "-" + id).set(field(name("created_at")), base).execute();
                }
            }
            if (r.nextInt(4) > 0) {
                db.insertInto(table(name("customer_layer"))).set(field(name("policy_id")), POLICY)
                        .set(field(name("customer_id")), (long) id).set(field(name("layer_id")), LAYERS[r.nextInt(3)])
                        .set(field(name("since")), base).execute();
            }
            if (r.nextInt(3) == 0) {
                db.insertInto(table(name("segment_member"))).set(field(name("segment_id")), STATIC_SEGMENT)
                        .set(field(name("customer_id")), (long) id).set(field(name("since")), base).execute();
            }
        }
    }

    /** Random event properties: strings, numbers (also as text), booleans, nested, missing and null. */
    private static String properties(Random r) {
        if (r.nextInt(10) == 0) {
            return null;
        }
        if (r.nextInt(25) == 0) {
            return "{\"category\":\"抗\\u0000衰老\"}";
        }
        List<String> parts = new ArrayList<>();
        switch (r.nextInt(6)) {
            case 0 -> {
            }
            case 1 -> parts.add("\"category\":5");
            case 2 -> parts.add("\"category\":null");
            default -> parts.add("\"category\":\"" + pick(r, "抗衰老", "育儿", "Tea", "tea time", "抗衰老精华") + "\"");
        }
        switch (r.nextInt(5)) {
            case 0 -> {
            }
            case 1 -> parts.add("\"duration\":\"180\"");
            default -> parts.add("\"duration\":" + pick(r, "179.5", "180", "180.0", "181", "30", "1e3"));
        }
        if (r.nextBoolean()) {
            parts.add("\"vip\":" + r.nextBoolean());
        }
        if (r.nextInt(3) == 0) {
            parts.add("\"article\":" + pick(r, "{\"category\":\"育儿\"}", "{\"category\":\"抗衰老\"}", "{}", "\"育儿\""));
        }
        return "{" + String.join(",", parts) + "}";
    }

    /** A random property filter over the properties above. */
    private static Rule.PropertyFilter filter(Random r) {
        Rule.PropertyOp op = pick(r, Rule.PropertyOp.values());
        String property = pick(r, "category", "duration", "vip", "article.category", "missing");
        return switch (op) {
            case EXISTS, NOT_EXISTS -> new Rule.PropertyFilter(property, op, List.of());
            case CONTAINS, STARTS_WITH -> new Rule.PropertyFilter(property, op, List.of(pick(r, "抗衰", "衰老", "Tea", "t")));
            case GT, GTE, LT, LTE -> new Rule.PropertyFilter(property, op, List.of(new BigDecimal(pick(r, "180", "179.5", "1000"))));
            case BETWEEN -> new Rule.PropertyFilter(property, op, List.of(new BigDecimal("179.5"), new BigDecimal(pick(r, "180", "1000"))));
            case IN, NOT_IN -> new Rule.PropertyFilter(property, op, r.nextBoolean() ? List.of("抗衰老", "育儿")
                    : List.of(new BigDecimal("180"), new BigDecimal("5")));
            case EQ, NE -> new Rule.PropertyFilter(property, op, List.of(pick(r, (Object) "抗衰老", "育儿", new BigDecimal("180.00"),
                    new BigDecimal("5"), Boolean.TRUE, Boolean.FALSE, "180")));
        };
    }

    private static void attr(DSLContext db, int id, String attribute, String column, Object value, OffsetDateTime at) {
        db.insertInto(table(name("customer_attribute"))).set(field(name("customer_id")), (long) id)
                .set(field(name("name")), attribute).set(field(name(column)), value).set(field(name("updated_at")), at)
                .execute();
    }

    @SafeVarargs
    private static <T> T pick(Random r, T... values) {
        return values[r.nextInt(values.length)];
    }

    // ---- random rules

    private static Rule rule(Random r, LocalDate today, int depth, boolean segments) {
        if (depth > 0 && r.nextInt(3) == 0) {
            List<Rule> children = new ArrayList<>();
            int n = r.nextInt(4);
            for (int i = 0; i < n; i++) {
                children.add(rule(r, today, depth - 1, segments));
            }
            return switch (r.nextInt(3)) {
                case 0 -> new Rule.And(children);
                case 1 -> new Rule.Or(children);
                default -> new Rule.Not(children.isEmpty() ? leaf(r, today, segments) : children.getFirst());
            };
        }
        return leaf(r, today, segments);
    }

    private static Window window(Random r, LocalDate today) {
        return switch (r.nextInt(3)) {
            case 0 -> Window.ALL_TIME;
            case 1 -> new Window(1 + r.nextInt(60), null, null);
            default -> {
                LocalDate from = today.minusDays(r.nextInt(60));
                yield new Window(null, from, from.plusDays(r.nextInt(40)));
            }
        };
    }

    private static Rule leaf(Random r, LocalDate today, boolean segments) {
        switch (r.nextInt(segments ? 12 : 11)) {
            case 0 -> {
                String field = pick(r, "city", "gender", "display_name", "source");
                AttributeOp op = pick(r, AttributeOp.EQ, AttributeOp.NE, AttributeOp.IN, AttributeOp.NOT_IN,
                        AttributeOp.CONTAINS, AttributeOp.STARTS_WITH, AttributeOp.EXISTS, AttributeOp.NOT_EXISTS);
                String v = pick(r, "上海", "杭州", "female", "客户1", "wecom", "Shanghai", "%", "_");
                List<Object> values = switch (op) {
                    case IN, NOT_IN -> List.of(v, pick(r, "上海市", "male", "miniapp"));
                    case EXISTS, NOT_EXISTS -> List.of();
                    default -> List.of(v);
                };
                return new Rule.Attribute(field, false, ValueType.STRING, op, values, 0);
            }
            case 1 -> {
                AttributeOp op = pick(r, AttributeOp.EQ, AttributeOp.NE, AttributeOp.BEFORE, AttributeOp.AFTER,
                        AttributeOp.BETWEEN, AttributeOp.WITHIN_LAST_DAYS, AttributeOp.IN_NEXT_DAYS,
                        AttributeOp.ANNIVERSARY_IN_NEXT_DAYS, AttributeOp.EXISTS, AttributeOp.NOT_EXISTS);
                boolean custom = r.nextBoolean();
                return dateRule(r, today, custom ? "baby_due" : "birthday", custom, ValueType.DATE, op);
            }
            case 2 -> {
                AttributeOp op = pick(r, AttributeOp.BEFORE, AttributeOp.AFTER, AttributeOp.BETWEEN,
                        AttributeOp.WITHIN_LAST_DAYS, AttributeOp.IN_NEXT_DAYS, AttributeOp.EXISTS, AttributeOp.NOT_EXISTS);
                return dateRule(r, today, pick(r, "created_at", "first_seen", "last_seen", "last_interaction"), false,
                        ValueType.TIMESTAMP, op);
            }
            case 3 -> {
                AttributeOp op = pick(r, AttributeOp.EQ, AttributeOp.NE, AttributeOp.IN, AttributeOp.NOT_IN, AttributeOp.GT,
                        AttributeOp.GTE, AttributeOp.LT, AttributeOp.LTE, AttributeOp.BETWEEN, AttributeOp.EXISTS,
                        AttributeOp.NOT_EXISTS);
                BigDecimal a = BigDecimal.valueOf(r.nextInt(800), 2);
                BigDecimal b = a.add(BigDecimal.valueOf(r.nextInt(300), 2));
                List<Object> values = switch (op) {
                    case IN, NOT_IN, BETWEEN -> List.of(a, b);
                    case EXISTS, NOT_EXISTS -> List.of();
                    default -> List.of(a);
                };
                if (r.nextBoolean()) {
                    return new Rule.Attribute("vip_level", true, ValueType.NUMBER, op, values, 0);
                }
                AttributeOp textOp = pick(r, AttributeOp.EQ, AttributeOp.NE, AttributeOp.CONTAINS, AttributeOp.STARTS_WITH,
                        AttributeOp.EXISTS, AttributeOp.NOT_EXISTS);
                return new Rule.Attribute("note", true, ValueType.STRING, textOp, textOp == AttributeOp.EXISTS
                        || textOp == AttributeOp.NOT_EXISTS ? List.of() : List.of(pick(r, "奶", "tea", "Tea", "爱喝奶茶")), 0);
            }
            case 4 -> {
                AttributeOp op = pick(r, AttributeOp.EQ, AttributeOp.NE, AttributeOp.EXISTS, AttributeOp.NOT_EXISTS);
                return new Rule.Attribute("likes_tea", true, ValueType.BOOLEAN, op,
                        op == AttributeOp.EQ || op == AttributeOp.NE ? List.of(r.nextBoolean()) : List.of(), 0);
            }
            case 5 -> {
                Rule.TagOp op = pick(r, Rule.TagOp.values());
                List<Long> ids = op == Rule.TagOp.HAS ? List.of(tags[r.nextInt(3)])
                        : List.of(tags[r.nextInt(3)], tags[r.nextInt(3)]).stream().distinct().toList();
                return new Rule.Tags(op, ids);
            }
            case 6 -> {
                EventOp op = pick(r, EventOp.values());
                if (r.nextBoolean()) {
                    String name = pick(r, "Article Read", "page:育儿百科", "page", "Tag Added", "identify", "Product Viewed");
                    List<Rule.PropertyFilter> where = r.nextInt(3) == 0 ? List.of(filter(r), filter(r)) : List.of(filter(r));
                    return switch (op) {
                        case FIRST_BEFORE, FIRST_AFTER, LAST_BEFORE, LAST_AFTER -> new Rule.Event(name, op, 0,
                                Window.ALL_TIME, today.minusDays(r.nextInt(50)), where);
                        case PERFORMED, NOT_PERFORMED -> new Rule.Event(name, op, 0, window(r, today), null, where);
                        default -> new Rule.Event(name, op, r.nextInt(4), window(r, today), null, where);
                    };
                }
                String name = r.nextInt(4) == 0 ? Rule.Event.INTERACTION : EVENTS[r.nextInt(EVENTS.length)];
                return switch (op) {
                    case FIRST_BEFORE, FIRST_AFTER, LAST_BEFORE, LAST_AFTER -> new Rule.Event(name, op, 0, Window.ALL_TIME,
                            today.minusDays(r.nextInt(50)));
                    case PERFORMED, NOT_PERFORMED -> new Rule.Event(name, op, 0, window(r, today), null);
                    default -> new Rule.Event(name, op, r.nextInt(8), window(r, today), null);
                };
            }
            case 7 -> {
                Rule.PurchaseMetric m = pick(r, Rule.PurchaseMetric.values());
                Comparison op = pick(r, Comparison.values());
                BigDecimal v = switch (m) {
                    case ORDERS -> BigDecimal.valueOf(r.nextInt(4));
                    case DAYS_SINCE_LAST_ORDER -> BigDecimal.valueOf(r.nextInt(130));
                    default -> BigDecimal.valueOf(r.nextInt(60_000), 2);
                };
                return new Rule.Purchase(m, op, v, m == Rule.PurchaseMetric.DAYS_SINCE_LAST_ORDER ? Window.ALL_TIME
                        : window(r, today));
            }
            case 8 -> {
                Rule.ProductField f = pick(r, Rule.ProductField.values());
                List<String> values = switch (f) {
                    case PRODUCT -> List.of("p" + r.nextInt(5));
                    case SKU -> List.of("sku" + r.nextInt(4), "sku9");
                    case CATEGORY -> List.of(CATEGORIES[r.nextInt(3)]);
                };
                return new Rule.Bought(f, values, window(r, today));
            }
            case 9 -> {
                Rule.RfmField f = pick(r, Rule.RfmField.values());
                return switch (f) {
                    case SEGMENT -> new Rule.Rfm(f, List.of(SEGMENTS[r.nextInt(4)], SEGMENTS[r.nextInt(4)]), Comparison.EQ, 0);
                    case VALUE_CLASS -> new Rule.Rfm(f, List.of(CLASSES[r.nextInt(2)]), Comparison.EQ, 0);
                    default -> new Rule.Rfm(f, List.of(), pick(r, Comparison.values()), 1 + r.nextInt(5));
                };
            }
            case 10 -> {
                return switch (r.nextInt(7)) {
                    case 4 -> new Rule.Layer(List.of(LAYERS[r.nextInt(3)], LAYERS[r.nextInt(3)]).stream().distinct().toList());
                    case 0 -> new Rule.Reach("wecom_friend", null);
                    case 1 -> new Rule.Reach("wecom_friend", String.valueOf(staff[r.nextInt(2)]));
                    case 5 -> new Rule.Reach("wecom_group", r.nextBoolean() ? null : GROUPS[r.nextInt(GROUPS.length)]);
                    case 6 -> new Rule.Reach("official_account", r.nextBoolean() ? null : pick(r, "wx-oa-1", "wx-oa-2"));
                    case 2 -> new Rule.HasIdentity(pick(r, "phone", "wechat_openid"));
                    default -> {
                        int from = r.nextInt(100);
                        yield new Rule.Bucket(from, from + r.nextInt(100 - from));
                    }
                };
            }
            default -> {
                return new Rule.InSegment(r.nextBoolean() ? STATIC_SEGMENT : DYNAMIC_SEGMENT);
            }
        }
    }

    private static Rule dateRule(Random r, LocalDate today, String field, boolean custom, ValueType type, AttributeOp op) {
        LocalDate d = today.plusDays(r.nextInt(60) - 40);
        List<Object> values = switch (op) {
            case BETWEEN -> List.of(d, d.plusDays(r.nextInt(20)));
            case EQ, NE, BEFORE, AFTER -> List.of(d);
            default -> List.of();
        };
        int days = switch (op) {
            case WITHIN_LAST_DAYS, IN_NEXT_DAYS -> 1 + r.nextInt(40);
            case ANNIVERSARY_IN_NEXT_DAYS -> 1 + r.nextInt(40);
            default -> 0;
        };
        return new Rule.Attribute(field, custom, type, op, values, days);
    }
}
