package io.siyu.demo.internal;

import io.siyu.event.OrderFacts;
import io.siyu.event.OrderLine;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What one demo person does after they first reach the brand: reading articles, viewing products,
 * claiming coupons, watching live sessions, and buying. Engagement is long-tailed (a few very active
 * people, many quiet ones); buyers repurchase on the product's cycle (formula and diapers about
 * monthly) until they drift away; spend is long-tailed too. Deterministic per seed and person.
 */
final class DemoActivity {

    /** A planned event: what, when, with which properties. */
    record PlannedEvent(String type, String name, OffsetDateTime at, Map<String, Object> properties) {
    }

    /** A person's events and orders (each order also appears as an {@code Order Completed} event). */
    record Plan(List<PlannedEvent> events, List<OrderFacts> orders, List<Refund> refunds) {
    }

    record Refund(String orderId, BigDecimal amount, OffsetDateTime at) {
    }

    private record Product(String id, String sku, String category, String name, int minPrice, int maxPrice, int cycleDays) {
    }

    private static final Product[] PRODUCTS = {
        new Product("P1001", "FM-1-800", "奶粉", "婴儿配方奶粉 1段 800g", 268, 398, 28),
        new Product("P1002", "FM-2-800", "奶粉", "较大婴儿配方奶粉 2段 800g", 258, 388, 30),
        new Product("P1003", "FM-3-800", "奶粉", "幼儿配方奶粉 3段 800g", 238, 358, 32),
        new Product("P2001", "DP-M-64", "纸尿裤", "纸尿裤 M 64片", 129, 179, 26),
        new Product("P2002", "DP-L-54", "纸尿裤", "纸尿裤 L 54片", 129, 189, 28),
        new Product("P3001", "BF-RICE", "辅食", "有机高铁米粉", 49, 89, 21),
        new Product("P3002", "PB-LGG", "营养品", "婴幼儿益生菌", 159, 259, 30),
        new Product("P4001", "BT-PPSU", "喂养用品", "PPSU 宽口径奶瓶", 99, 169, 120),
        new Product("P4002", "CL-WASH", "洗护", "奶瓶清洗剂", 39, 69, 60),
        new Product("P5001", "TOY-EDU", "玩具", "早教益智玩具套装", 199, 899, 0),
        new Product("P5002", "FN-CRIB", "家具", "实木婴儿床", 1299, 3999, 0),
    };
    private static final String[] ARTICLE_TOPICS = {"育儿知识", "营养喂养", "产后恢复", "早教启蒙", "睡眠训练", "辅食添加"};
    private static final String[] COUPONS = {"NEW20", "MEMBER50", "FULL300-30", "BDAY88"};

    private final long seed;
    private final OffsetDateTime end;

    DemoActivity(long seed, OffsetDateTime end) {
        this.seed = seed;
        this.end = end;
    }

    Plan plan(int person, OffsetDateTime firstSeen) {
        SplittableRandom r = new SplittableRandom(seed * 7_919L + person * 104_729L + 17);
        List<PlannedEvent> events = new ArrayList<>();
        List<OrderFacts> orders = new ArrayList<>();
        List<Refund> refunds = new ArrayList<>();
        long days = Math.max(1, java.time.Duration.between(firstSeen, end).toDays());
        // events per week: log-normal, so engagement has a long tail
        double perWeek = Math.exp(r.nextGaussian() * 1.1 - 0.6);
        // interest fades for most people: activity concentrates after they first arrive
        double fade = 20 + r.nextDouble() * 200;
        int budget = (int) Math.min(400, Math.round(perWeek * days / 7.0));
        for (int i = 0; i < budget; i++) {
            double offsetDays = Math.min(days - 0.01, -fade * Math.log(1 - r.nextDouble() * (1 - Math.exp(-days / fade))));
            OffsetDateTime at = atDaytime(firstSeen.plusMinutes((long) (offsetDays * 24 * 60)), r);
            if (!at.isBefore(end)) {
                continue;
            }
            events.add(behaviour(r, at));
        }
        if (r.nextDouble() < 0.45) {
            buy(person, r, firstSeen, events, orders, refunds);
        }
        return new Plan(events, orders, refunds);
    }

    private PlannedEvent behaviour(SplittableRandom r, OffsetDateTime at) {
        double x = r.nextDouble();
        Map<String, Object> p = new LinkedHashMap<>();
        if (x < 0.38) {
            p.put("topic", ARTICLE_TOPICS[r.nextInt(ARTICLE_TOPICS.length)]);
            p.put("read_seconds", 20 + r.nextInt(400));
            return new PlannedEvent("track", "Article Read", at, p);
        }
        if (x < 0.70) {
            Product product = PRODUCTS[r.nextInt(PRODUCTS.length)];
            p.put("product_id", product.id());
            p.put("category", product.category());
            p.put("name", product.name());
            return new PlannedEvent("track", "Product Viewed", at, p);
        }
        if (x < 0.80) {
            p.put("coupon", COUPONS[r.nextInt(COUPONS.length)]);
            return new PlannedEvent("track", "Coupon Claimed", at, p);
        }
        if (x < 0.88) {
            p.put("session", "育儿直播间");
            p.put("watch_minutes", 3 + r.nextInt(60));
            return new PlannedEvent("track", "Live Session Watched", at, p);
        }
        if (x < 0.93) {
            p.put("group", "宝妈交流群");
            return new PlannedEvent("track", "Group Message Sent", at, p);
        }
        p.put("path", "/pages/index");
        return new PlannedEvent("page", "首页", at, p);
    }

    private void buy(int person, SplittableRandom r, OffsetDateTime firstSeen, List<PlannedEvent> events,
            List<OrderFacts> orders, List<Refund> refunds) {
        Product main = PRODUCTS[r.nextInt(7)];
        OffsetDateTime at = atDaytime(firstSeen.plusHours(2 + r.nextInt(24 * 20)), r);
        // people who stay keep buying on the product's cycle; each cycle some drift away
        double stay = 0.70 + r.nextDouble() * 0.25;
        int n = 0;
        while (at.isBefore(end) && n < 40) {
            List<OrderLine> lines = new ArrayList<>();
            int qty = 1 + (r.nextDouble() < 0.3 ? r.nextInt(3) : 0);
            lines.add(line(main, qty, r));
            if (r.nextDouble() < 0.25) {
                Product extra = PRODUCTS[7 + r.nextInt(PRODUCTS.length - 7)];
                lines.add(line(extra, 1, r));
            }
            BigDecimal gross = lines.stream().map(l -> l.price().multiply(BigDecimal.valueOf(l.quantity())))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            String coupon = r.nextDouble() < 0.2 ? COUPONS[r.nextInt(COUPONS.length)] : null;
            BigDecimal discount = coupon == null ? BigDecimal.ZERO
                    : gross.multiply(BigDecimal.valueOf(0.05 + r.nextDouble() * 0.1)).setScale(2, RoundingMode.HALF_UP);
            BigDecimal total = gross.subtract(discount);
            String orderId = "D" + person + "-" + (++n);
            orders.add(new OrderFacts(orderId, total, total, discount, coupon, "CNY", at, lines));
            events.add(new PlannedEvent("track", "Product Viewed", at.minusMinutes(5 + r.nextInt(600)),
                    Map.of("product_id", main.id(), "category", main.category(), "name", main.name())));
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("order_id", orderId);
            props.put("total", total);
            props.put("revenue", total);
            props.put("discount", discount);
            if (coupon != null) {
                props.put("coupon", coupon);
            }
            props.put("currency", "CNY");
            props.put("products", lines.stream().map(l -> Map.of("product_id", l.productId(), "sku", l.sku(),
                    "category", l.category(), "name", l.name(), "price", l.price(), "quantity", l.quantity())).toList());
            events.add(new PlannedEvent("track", "Order Completed", at, props));
            if (r.nextDouble() < 0.03) {
                OffsetDateTime refundAt = at.plusDays(1 + r.nextInt(6));
                if (refundAt.isBefore(end)) {
                    refunds.add(new Refund(orderId, null, refundAt));
                    events.add(new PlannedEvent("track", "Order Refunded", refundAt, Map.of("order_id", orderId)));
                }
            }
            if (r.nextDouble() > stay) {
                break;
            }
            int cycle = main.cycleDays() > 0 ? main.cycleDays() : 60;
            at = atDaytime(at.plusDays(Math.max(7, Math.round(cycle + r.nextGaussian() * cycle * 0.2))), r);
        }
    }

    private static OrderLine line(Product p, int qty, SplittableRandom r) {
        int span = p.maxPrice() - p.minPrice();
        BigDecimal price = BigDecimal.valueOf(p.minPrice() + (span == 0 ? 0 : r.nextInt(span + 1)));
        return new OrderLine(p.id(), p.sku(), p.category(), p.name(), price.setScale(2), qty);
    }

    /** Moves a time to a believable hour: most activity 07–09 and 20–23 (brand time), as the seeds observe. */
    private static OffsetDateTime atDaytime(OffsetDateTime t, SplittableRandom r) {
        int[] hours = {7, 8, 9, 12, 13, 15, 20, 21, 21, 22, 22, 23};
        int localHour = hours[r.nextInt(hours.length)];
        // brand time is UTC+8
        OffsetDateTime moved = t.withHour(0).withMinute(0).withSecond(0).withNano(0).plusHours((localHour + 16) % 24)
                .plusMinutes(r.nextInt(60));
        return moved.isBefore(t) ? moved.plusDays(1) : moved;
    }
}
