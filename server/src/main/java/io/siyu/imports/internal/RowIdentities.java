package io.siyu.imports.internal;

import io.siyu.customer.IdentityInput;
import io.siyu.platform.FieldProblem;
import io.siyu.platform.SiyuException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The identities in one row (its non-blank identity cells) and the column each came from, so that
 * a problem the customer module reports about {@code /identities/2/value} names the right column.
 */
record RowIdentities(List<IdentityInput> inputs, List<String> columns) {

    private static final Pattern IDENTITY = Pattern.compile("^/identities/(\\d+)(/.*)?$");
    private static final String ATTRIBUTES = "/attributes/";

    static RowIdentities of(ColumnMap map, List<String> row) {
        List<IdentityInput> inputs = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        for (ColumnMap.Identity c : map.identities()) {
            String value = ColumnMap.cell(row, c);
            if (!Cells.blank(value)) {
                inputs.add(new IdentityInput(c.type(), value.strip(), c.appId()));
                columns.add(c.header());
            }
        }
        return new RowIdentities(List.copyOf(inputs), List.copyOf(columns));
    }

    boolean isEmpty() {
        return inputs.isEmpty();
    }

    /** The column a JSON pointer of the customer module's problems stands for; "" for the row as a whole. */
    String column(String pointer, Map<String, String> attributeColumns) {
        if (pointer == null) {
            return "";
        }
        Matcher m = IDENTITY.matcher(pointer);
        if (m.matches()) {
            int i = Integer.parseInt(m.group(1));
            return i < columns.size() ? columns.get(i) : "";
        }
        if (pointer.startsWith(ATTRIBUTES)) {
            return attributeColumns.getOrDefault(pointer.substring(ATTRIBUTES.length()), "");
        }
        if (pointer.startsWith("/") && ColumnMap.PROFILE.contains(pointer.substring(1))) {
            return pointer.substring(1);
        }
        return "";
    }

    /** Each problem of a refused identification, with its column. */
    List<FieldProblem> problems(SiyuException e, Map<String, String> attributeColumns) {
        if (e.errors().isEmpty()) {
            return List.of(new FieldProblem("", e.code(), e.args()));
        }
        return e.errors().stream()
                .map(p -> new FieldProblem(column(p.pointer(), attributeColumns), p.code(), p.args()))
                .toList();
    }
}
