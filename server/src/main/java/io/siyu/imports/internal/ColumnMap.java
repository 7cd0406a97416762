package io.siyu.imports.internal;

import io.siyu.customer.IdentityType;
import io.siyu.platform.FieldProblem;
import io.siyu.platform.SiyuException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What each column of an import file's header row means. Identity columns are named by identity
 * type ({@code phone}, {@code external_id}, per-app types as {@code miniapp_openid@<appId>}),
 * custom attributes as {@code attr.<name>}; the other names are fixed per kind of import. A header
 * that names an unknown or repeated column is refused before anything is imported.
 */
record ColumnMap(List<Column> columns) {

    /** The profile fields a customer import may set. */
    static final List<String> PROFILE = List.of("displayName", "nickname", "realName", "gender", "birthday",
            "province", "city", "source");
    /** The order-level columns of an order import. */
    static final List<String> ORDER = List.of("order_id", "ordered_at", "total", "revenue", "discount", "coupon",
            "currency");
    /** The product (order line) columns of an order import: one line per row. */
    static final List<String> PRODUCT = List.of("product_id", "sku", "category", "name", "price", "quantity");
    static final String ATTRIBUTE_PREFIX = "attr.";

    /** What is being imported. */
    enum Kind {
        CUSTOMERS, ORDERS;

        String jobKind() {
            return "import-" + name().toLowerCase(Locale.ROOT);
        }
    }

    /** One column: its position and name in the file, and its meaning. */
    sealed interface Column permits Identity, Field, Attribute, Ignored {
        int index();

        String header();
    }

    /** An identity of {@code type} (with {@code appId} for per-app types). */
    record Identity(int index, String header, String type, String appId) implements Column {
    }

    /** A fixed field: a profile field, an order or a product column, by its canonical name. */
    record Field(int index, String header, String name) implements Column {
    }

    /** A custom attribute and its schema type (string | number | boolean | date). */
    record Attribute(int index, String header, String name, String type) implements Column {
    }

    /** A column without a name: its cells are not read. */
    record Ignored(int index, String header) implements Column {
    }

    static ColumnMap of(Kind kind, List<String> header, List<IdentityType> identityTypes,
            Map<String, String> attributeTypes) {
        List<Column> columns = new ArrayList<>();
        List<FieldProblem> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<String> fixed = kind == Kind.CUSTOMERS ? PROFILE : concat(ORDER, PRODUCT);
        for (int i = 0; i < header.size(); i++) {
            String raw = header.get(i) == null ? "" : header.get(i).strip();
            if (raw.isEmpty()) {
                columns.add(new Ignored(i, raw));
                continue;
            }
            try {
                Column c = column(kind, i, raw, fixed, identityTypes, attributeTypes);
                if (!seen.add(key(c))) {
                    problems.add(FieldProblem.of(raw, "import-duplicate-column", raw));
                }
                columns.add(c);
            } catch (CellProblem p) {
                problems.add(new FieldProblem(raw, p.code(), p.args()));
            }
        }
        ColumnMap map = new ColumnMap(columns);
        if (map.identities().isEmpty()) {
            problems.add(FieldProblem.of("", "import-no-identity-column"));
        }
        if (kind == Kind.ORDERS) {
            for (String required : List.of("order_id", "ordered_at")) {
                if (map.field(required).isEmpty()) {
                    problems.add(FieldProblem.of(required, "import-missing-column", required));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw SiyuException.invalid(problems);
        }
        return map;
    }

    private static Column column(Kind kind, int i, String raw, List<String> fixed, List<IdentityType> identityTypes,
            Map<String, String> attributeTypes) throws CellProblem {
        for (String name : fixed) {
            if (name.equalsIgnoreCase(raw)) {
                return new Field(i, raw, name);
            }
        }
        if (kind == Kind.CUSTOMERS && raw.startsWith(ATTRIBUTE_PREFIX)) {
            String name = raw.substring(ATTRIBUTE_PREFIX.length());
            String type = attributeTypes.get(name);
            if (type == null) {
                throw new CellProblem("import-unknown-attribute", raw, name);
            }
            return new Attribute(i, raw, name, type);
        }
        int at = raw.indexOf('@');
        String typeName = (at < 0 ? raw : raw.substring(0, at)).toLowerCase(Locale.ROOT);
        String appId = at < 0 ? "" : raw.substring(at + 1).strip();
        for (IdentityType type : identityTypes) {
            if (type.name().equals(typeName)) {
                if (type.perApp() && appId.isEmpty()) {
                    throw new CellProblem("import-app-id-required", raw, type.name());
                }
                if (!type.perApp() && at >= 0) {
                    throw new CellProblem("import-app-id-not-allowed", raw, type.name());
                }
                return new Identity(i, raw, type.name(), appId);
            }
        }
        throw new CellProblem("import-unknown-column", raw);
    }

    private static String key(Column c) {
        return switch (c) {
            case Identity id -> "identity:" + id.type() + "@" + id.appId();
            case Field f -> "field:" + f.name();
            case Attribute a -> "attr:" + a.name();
            case Ignored ignored -> "ignored:" + ignored.index();
        };
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    List<Identity> identities() {
        return columns.stream().filter(Identity.class::isInstance).map(Identity.class::cast).toList();
    }

    List<Attribute> attributes() {
        return columns.stream().filter(Attribute.class::isInstance).map(Attribute.class::cast).toList();
    }

    Optional<Field> field(String name) {
        return columns.stream().filter(c -> c instanceof Field f && f.name().equals(name)).map(Field.class::cast)
                .findFirst();
    }

    /** The text of {@code column} in a row (rows may be shorter than the header); "" when absent. */
    static String cell(List<String> row, Column column) {
        return column.index() < row.size() && row.get(column.index()) != null ? row.get(column.index()) : "";
    }

    /** The text of the named fixed column in a row; "" when the file has no such column. */
    String cell(List<String> row, String fieldName) {
        return field(fieldName).map(f -> cell(row, f)).orElse("");
    }
}
