package io.siyu.imports.internal;

import io.siyu.customer.CustomerTraits;
import io.siyu.customer.Customers;
import io.siyu.customer.Resolution;
import io.siyu.platform.FieldProblem;
import io.siyu.platform.SiyuException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Imports customers row by row: each row's identities and traits go through
 * {@link Customers#identify}, in a transaction of its own, so a refused row changes nothing and a
 * file imported twice links to the same customers the second time.
 */
@Component
class CustomerImport {

    private static final Logger log = LoggerFactory.getLogger(CustomerImport.class);

    private final Customers customers;

    CustomerImport(Customers customers) {
        this.customers = customers;
    }

    /** Imports one data row; returns normally also when the row was refused (and reported). */
    void row(ColumnMap map, long rowNo, List<String> row, ImportReport report) {
        report.rows++;
        List<FieldProblem> problems = new ArrayList<>();
        RowIdentities ids = RowIdentities.of(map, row);
        if (ids.isEmpty()) {
            problems.add(FieldProblem.of("", "import-missing-identity"));
        }
        CustomerTraits traits = traits(map, row, problems);
        if (problems.isEmpty()) {
            try {
                Resolution r = customers.identify(ids.inputs(), traits, null);
                report.imported++;
                report.resolved(r.created(), r.mergedCustomerIds().size());
                return;
            } catch (SiyuException e) {
                problems.addAll(ids.problems(e, attributeColumns(map)));
            } catch (RuntimeException e) {
                log.error("Import row {} failed", rowNo, e);
                problems.add(FieldProblem.of("", "internal-error"));
            }
        }
        report.failed++;
        problems.forEach(p -> report.refuse(rowNo, p.pointer(), p.code(), p.args(), row));
    }

    /** The row's profile fields and attributes, typed; unreadable cells are added to {@code problems}. */
    static CustomerTraits traits(ColumnMap map, List<String> row, List<FieldProblem> problems) {
        Map<String, String> profile = new LinkedHashMap<>();
        for (String name : ColumnMap.PROFILE) {
            String v = map.cell(row, name);
            if (!Cells.blank(v)) {
                profile.put(name, v.strip());
            }
        }
        LocalDate birthday = null;
        if (profile.containsKey("birthday")) {
            try {
                birthday = Cells.date("birthday", profile.get("birthday"));
            } catch (CellProblem p) {
                problems.add(new FieldProblem(map.field("birthday").orElseThrow().header(), p.code(), p.args()));
            }
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (ColumnMap.Attribute a : map.attributes()) {
            String v = ColumnMap.cell(row, a);
            if (Cells.blank(v)) {
                continue;
            }
            try {
                attributes.put(a.name(), Cells.attribute(a.header(), a.type(), v));
            } catch (CellProblem p) {
                problems.add(new FieldProblem(a.header(), p.code(), p.args()));
            }
        }
        String gender = profile.get("gender");
        return new CustomerTraits(profile.get("displayName"), profile.get("nickname"), profile.get("realName"),
                gender == null ? null : gender.toLowerCase(java.util.Locale.ROOT), birthday, profile.get("province"),
                profile.get("city"), null, profile.get("source"), attributes);
    }

    private static Map<String, String> attributeColumns(ColumnMap map) {
        Map<String, String> columns = new LinkedHashMap<>();
        map.attributes().forEach(a -> columns.put(a.name(), a.header()));
        return columns;
    }
}
