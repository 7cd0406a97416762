package io.siyu.segment.internal;

import static io.siyu.segment.internal.RuleParser.lower;

import io.siyu.segment.Rule;
import io.siyu.segment.Rule.Window;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes {@link Rule}s back as the JSON of the rule language (the inverse of {@link RuleParser}). */
final class RuleJson {

    private RuleJson() {
    }

    static Map<String, Object> write(Rule rule) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (rule) {
            case Rule.And a -> m.put("and", a.rules().stream().map(RuleJson::write).toList());
            case Rule.Or o -> m.put("or", o.rules().stream().map(RuleJson::write).toList());
            case Rule.Not n -> m.put("not", write(n.rule()));
            case Rule.Attribute a -> {
                m.put("attribute", a.field());
                m.put("op", lower(a.op()));
                switch (a.op()) {
                    case EXISTS, NOT_EXISTS -> {
                    }
                    case WITHIN_LAST_DAYS, IN_NEXT_DAYS, ANNIVERSARY_IN_NEXT_DAYS -> m.put("days", a.days());
                    case IN, NOT_IN, BETWEEN -> m.put("values", a.values().stream().map(RuleJson::scalar).toList());
                    default -> m.put("value", scalar(a.values().getFirst()));
                }
            }
            case Rule.Tags t -> {
                m.put("tags", t.tagIds().stream().map(String::valueOf).toList());
                m.put("op", lower(t.op()));
            }
            case Rule.Event e -> {
                m.put("event", e.name());
                m.put("op", lower(e.op()));
                switch (e.op()) {
                    case FIRST_BEFORE, FIRST_AFTER, LAST_BEFORE, LAST_AFTER -> m.put("date", e.date().toString());
                    case PERFORMED, NOT_PERFORMED -> window(m, e.window());
                    default -> {
                        m.put("value", e.count());
                        window(m, e.window());
                    }
                }
                if (!e.where().isEmpty()) {
                    m.put("where", e.where().stream().map(RuleJson::filter).toList());
                }
            }
            case Rule.Purchase p -> {
                m.put("purchase", lower(p.metric()));
                m.put("op", lower(p.op()));
                m.put("value", p.metric() == Rule.PurchaseMetric.ORDERS
                        || p.metric() == Rule.PurchaseMetric.DAYS_SINCE_LAST_ORDER ? p.value().longValueExact() : p.value());
                window(m, p.window());
            }
            case Rule.Bought b -> {
                m.put("bought", lower(b.field()));
                m.put("values", b.values());
                window(m, b.window());
            }
            case Rule.Rfm r -> {
                m.put("rfm", lower(r.field()));
                if (r.field() == Rule.RfmField.SEGMENT || r.field() == Rule.RfmField.VALUE_CLASS) {
                    m.put("values", r.values());
                } else {
                    m.put("op", lower(r.op()));
                    m.put("value", r.score());
                }
            }
            case Rule.Reach r -> {
                m.put("channel", r.channel());
                if (r.target() != null) {
                    m.put(RuleParser.targetKey(r.channel()), r.target());
                }
            }
            case Rule.HasIdentity h -> {
                m.put("channel", "identity");
                m.put("identityType", h.identityType());
            }
            case Rule.Layer l -> m.put("layers", l.layerIds().stream().map(String::valueOf).toList());
            case Rule.InSegment s -> m.put("segment", String.valueOf(s.segmentId()));
            case Rule.Bucket b -> m.put("bucket", List.of(b.from(), b.to()));
        }
        return m;
    }

    private static Map<String, Object> filter(Rule.PropertyFilter f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("property", f.property());
        m.put("op", lower(f.op()));
        switch (f.op()) {
            case EXISTS, NOT_EXISTS -> {
            }
            case IN, NOT_IN, BETWEEN -> m.put("values", f.values());
            default -> m.put("value", f.values().getFirst());
        }
        return m;
    }

    private static void window(Map<String, Object> m, Window w) {
        if (w.lastDays() != null) {
            m.put("within", Map.of("lastDays", w.lastDays()));
        } else if (w.from() != null) {
            Map<String, Object> within = new LinkedHashMap<>();
            within.put("from", w.from().toString());
            within.put("to", w.to().toString());
            m.put("within", within);
        }
    }

    private static Object scalar(Object v) {
        return v instanceof LocalDate d ? d.toString() : v;
    }
}
