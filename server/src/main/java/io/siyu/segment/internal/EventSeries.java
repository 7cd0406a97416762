package io.siyu.segment.internal;

import io.siyu.segment.Rule;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * The events an event condition with property filters counts: a name and its filters. The bitmap
 * engine keeps one daily-count series per distinct {@code EventSeries} the rules it evaluates use,
 * read from the stored events and filtered in Java ({@link JsonProperties#matches}).
 */
record EventSeries(String name, List<Rule.PropertyFilter> where) {

    EventSeries {
        where = List.copyOf(where);
    }

    static EventSeries of(Rule.Event e) {
        return new EventSeries(e.name(), e.where());
    }

    /** The series a rule needs, including those of the dynamic segments it refers to. */
    static Set<EventSeries> in(Rule rule, LongFunction<Optional<Rule>> dynamicSegments) {
        Set<EventSeries> out = new LinkedHashSet<>();
        collect(rule, dynamicSegments, out, new HashSet<>());
        return out;
    }

    private static void collect(Rule rule, LongFunction<Optional<Rule>> dynamicSegments, Set<EventSeries> out,
            Set<Long> visited) {
        switch (rule) {
            case Rule.And a -> a.rules().forEach(r -> collect(r, dynamicSegments, out, visited));
            case Rule.Or o -> o.rules().forEach(r -> collect(r, dynamicSegments, out, visited));
            case Rule.Not n -> collect(n.rule(), dynamicSegments, out, visited);
            case Rule.Event e -> {
                if (!e.where().isEmpty()) {
                    out.add(of(e));
                }
            }
            case Rule.InSegment s -> {
                if (visited.add(s.segmentId())) {
                    dynamicSegments.apply(s.segmentId()).ifPresent(r -> collect(r, dynamicSegments, out, visited));
                }
            }
            default -> {
            }
        }
    }
}
