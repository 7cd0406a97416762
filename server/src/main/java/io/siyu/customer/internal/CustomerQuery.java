package io.siyu.customer.internal;

import static io.siyu.customer.internal.Tables.A;
import static io.siyu.customer.internal.Tables.C;
import static io.siyu.customer.internal.Tables.I;

import io.siyu.customer.IdentityInput;
import io.siyu.platform.Cursors;
import io.siyu.platform.FieldProblem;
import io.siyu.platform.Page;
import io.siyu.platform.SiyuException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.SortField;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;

/**
 * Turns the customers list's query parameters into a keyset-paged query: filters by status,
 * created/updated range, source, identity and custom attributes ({@code attr.tier=gold},
 * {@code attr.spend.gte=100}, {@code attr.vip.exists=true}); sorts by created or updated time.
 */
@Component
class CustomerQuery {

    private static final Set<String> PLAIN = Set.of("limit", "cursor", "sort", "status", "createdFrom", "createdTo",
            "updatedFrom", "updatedTo", "source", "identityType", "identityValue", "appId");
    private static final Set<String> SORTS = Set.of("createdAt", "-createdAt", "updatedAt", "-updatedAt");
    private static final Set<String> STATUSES = Set.of("active", "merged", "erased");

    private final CustomerStore customers;
    private final IdentityNormaliser normaliser;
    private final AttributeStore attributes;
    private final io.siyu.platform.BrandClock clock;

    CustomerQuery(CustomerStore customers, IdentityNormaliser normaliser, AttributeStore attributes,
            io.siyu.platform.BrandClock clock) {
        this.customers = customers;
        this.normaliser = normaliser;
        this.attributes = attributes;
        this.clock = clock;
    }

    Page<CustomerRow> run(MultiValueMap<String, String> params) {
        List<FieldProblem> problems = new ArrayList<>();
        for (String key : params.keySet()) {
            if (!PLAIN.contains(key) && !key.startsWith("attr.")) {
                problems.add(FieldProblem.of(key, "unknown-parameter", key));
            }
        }
        if (!problems.isEmpty()) {
            throw SiyuException.invalid(problems);
        }
        String sort = params.getOrDefault("sort", List.of("-createdAt")).getFirst();
        if (!SORTS.contains(sort)) {
            throw SiyuException.badRequest("invalid-sort", sort);
        }
        int limit = Cursors.limit(integer(params.getFirst("limit")));
        String status = params.getOrDefault("status", List.of("active")).getFirst();
        if (!STATUSES.contains(status)) {
            throw SiyuException.invalid(List.of(FieldProblem.of("status", "invalid-parameter", "status", status)));
        }
        Condition where = C.STATUS.eq(status);
        where = where.and(range(C.CREATED_AT, params.getFirst("createdFrom"), params.getFirst("createdTo"), "created"));
        where = where.and(range(C.UPDATED_AT, params.getFirst("updatedFrom"), params.getFirst("updatedTo"), "updated"));
        if (params.getFirst("source") != null) {
            where = where.and(C.SOURCE.eq(params.getFirst("source")));
        }
        where = where.and(identity(params));
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            if (e.getKey().startsWith("attr.")) {
                for (String v : e.getValue()) {
                    where = where.and(attribute(e.getKey(), v));
                }
            }
        }
        boolean desc = sort.startsWith("-");
        Field<OffsetDateTime> key = sort.endsWith("createdAt") ? C.CREATED_AT : C.UPDATED_AT;
        String cursor = params.getFirst("cursor");
        if (cursor != null) {
            List<String> last = Cursors.decode(cursor, sort, 2);
            OffsetDateTime at;
            long id;
            try {
                at = OffsetDateTime.parse(last.get(0));
                id = Long.parseLong(last.get(1));
            } catch (java.time.format.DateTimeParseException | NumberFormatException e) {
                throw SiyuException.badRequest("invalid-cursor");
            }
            where = where.and(desc
                    ? key.lt(at).or(key.eq(at).and(C.ID.lt(id)))
                    : key.gt(at).or(key.eq(at).and(C.ID.gt(id))));
        }
        List<SortField<?>> order = desc ? List.of(key.desc(), C.ID.desc()) : List.of(key.asc(), C.ID.asc());
        List<CustomerRow> rows = customers.page(where, order, limit + 1);
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            CustomerRow last = rows.getLast();
            OffsetDateTime at = sort.endsWith("createdAt") ? last.createdAt() : last.updatedAt();
            next = Cursors.encode(sort, List.of(at.toString(), String.valueOf(last.id())));
        }
        return new Page<>(rows, next);
    }

    private Condition identity(MultiValueMap<String, String> params) {
        String type = params.getFirst("identityType");
        String value = params.getFirst("identityValue");
        if (type == null && value == null) {
            return DSL.noCondition();
        }
        if (type == null || value == null) {
            throw SiyuException.invalid(List.of(FieldProblem.of(type == null ? "identityType" : "identityValue",
                    "missing-parameter", type == null ? "identityType" : "identityValue")));
        }
        return normaliser.normaliseOne(new IdentityInput(type, value, params.getFirst("appId")), "")
                .map(n -> C.ID.in(DSL.select(I.CUSTOMER_ID).from(I.T).where(I.TYPE.eq(n.type().name()))
                        .and(I.APP_ID.eq(n.appId())).and(I.LOOKUP_KEY.eq(n.lookupKey()))))
                .orElse(DSL.falseCondition());
    }

    private Condition attribute(String param, String text) {
        String rest = param.substring("attr.".length());
        String op = "eq";
        int dot = rest.lastIndexOf('.');
        if (dot > 0 && Set.of("eq", "gt", "gte", "lt", "lte", "exists").contains(rest.substring(dot + 1))) {
            op = rest.substring(dot + 1);
            rest = rest.substring(0, dot);
        }
        String name = rest;
        AttributeDefinition def = attributes.definition(name).orElseThrow(() -> SiyuException.invalid(List.of(
                FieldProblem.of(param, "unknown-attribute", name))));
        var match = DSL.selectOne().from(A.T).where(A.CUSTOMER_ID.eq(C.ID)).and(A.NAME.eq(name));
        if (op.equals("exists")) {
            if (!text.equals("true") && !text.equals("false")) {
                throw SiyuException.invalid(List.of(FieldProblem.of(param, "invalid-parameter", param, text)));
            }
            return text.equals("true") ? DSL.exists(match) : DSL.notExists(match);
        }
        Object value = AttributeSchema.fromText(def, text, param);
        if (!op.equals("eq") && (def.dataType() == AttributeDefinition.DataType.BOOLEAN)) {
            throw SiyuException.invalid(List.of(FieldProblem.of(param, "invalid-parameter", param, text)));
        }
        Condition c = switch (value) {
            case String s -> compare(A.STR, s, op);
            case BigDecimal n -> compare(A.NUM, n, op);
            case Boolean b -> A.BOOL.eq(b);
            case LocalDate d -> compare(A.DATE, d, op);
            default -> throw new IllegalStateException("unexpected attribute value " + value);
        };
        return DSL.exists(match.and(c));
    }

    private static <T> Condition compare(Field<T> field, T value, String op) {
        return switch (op) {
            case "gt" -> field.gt(value);
            case "gte" -> field.ge(value);
            case "lt" -> field.lt(value);
            case "lte" -> field.le(value);
            default -> field.eq(value);
        };
    }

    private Condition range(Field<OffsetDateTime> field, String from, String to, String name) {
        Condition c = DSL.noCondition();
        if (from != null) {
            c = c.and(field.ge(clock.parseParameter(from, name + "From", false)));
        }
        if (to != null) {
            c = c.and(field.lt(clock.parseParameter(to, name + "To", true)));
        }
        return c;
    }

    private static Integer integer(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Integer.valueOf(text);
        } catch (NumberFormatException e) {
            throw SiyuException.invalid(List.of(FieldProblem.of("limit", "invalid-parameter", "limit", text)));
        }
    }
}
