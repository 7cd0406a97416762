package io.siyu.customer;

import io.siyu.platform.FieldProblem;
import io.siyu.platform.SiyuException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads an uploaded list of customers: a UTF-8 CSV with a header row and either a {@code customer_id}
 * column or {@code identity_type} and {@code identity_value} columns ({@code app_id} optional). Rows
 * naming no active customer are counted as unmatched; merged ids count for their survivor.
 */
public final class CustomerListCsv {

    /** What a list named: the active customers found (in first-seen order, once each) and the counts. */
    public record Result(Set<Long> customers, int rows, int unmatched) {
    }

    private CustomerListCsv() {
    }

    /**
     * Reads the list; a file without the expected columns fails with {@code columnsCode} on the part
     * {@code file}, more than {@code maxRows} rows with {@code too-many-items}.
     */
    public static Result read(InputStream content, Customers customers, int maxRows, String columnsCode)
            throws IOException {
        Set<Long> found = new LinkedHashSet<>();
        int rows = 0;
        int unmatched = 0;
        try (Reader in = new InputStreamReader(content, StandardCharsets.UTF_8);
                CSVParser csv = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true)
                        .setTrim(true).get().parse(in)) {
            Set<String> header = Set.copyOf(csv.getHeaderNames().stream().map(CustomerListCsv::key).toList());
            boolean byId = header.contains("customer_id");
            if (!byId && !(header.contains("identity_type") && header.contains("identity_value"))) {
                throw SiyuException.invalid(List.of(FieldProblem.of("file", columnsCode)));
            }
            for (CSVRecord r : csv) {
                if (++rows > maxRows) {
                    throw SiyuException.invalid(List.of(FieldProblem.of("file", "too-many-items", "file", maxRows)));
                }
                Long customer = byId ? byId(column(r, "customer_id"), customers) : byIdentity(r, customers);
                if (customer == null) {
                    unmatched++;
                } else {
                    found.add(customer);
                }
            }
        }
        return new Result(found, rows, unmatched);
    }

    private static String key(String header) {
        return header.replace("\uFEFF", "").trim().toLowerCase(Locale.ROOT);
    }

    private static String column(CSVRecord r, String name) {
        for (Map.Entry<String, String> e : r.toMap().entrySet()) {
            if (key(e.getKey()).equals(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static Long byId(String text, Customers customers) {
        if (text == null) {
            return null;
        }
        try {
            long requested = Long.parseLong(text.trim());
            return customers.resolveActiveIds(List.of(requested)).get(requested);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long byIdentity(CSVRecord r, Customers customers) {
        String type = column(r, "identity_type");
        String value = column(r, "identity_value");
        if (type == null || value == null || type.isBlank() || value.isBlank()) {
            return null;
        }
        try {
            return customers.lookup(new IdentityInput(type, value, column(r, "app_id"))).orElse(null);
        } catch (SiyuException e) {
            return null;
        }
    }
}
