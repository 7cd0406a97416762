package io.siyu.imports.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siyu.customer.IdentityType;
import io.siyu.platform.FieldProblem;
import io.siyu.platform.SiyuException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ColumnMapTest {

    private static final List<IdentityType> TYPES = List.of(
            new IdentityType("external_id", 1, 100, false, false, IdentityType.Format.TEXT),
            new IdentityType("phone", 1, 90, true, false, IdentityType.Format.PHONE),
            new IdentityType("miniapp_openid", 1, 60, false, true, IdentityType.Format.TEXT));
    private static final Map<String, String> ATTRIBUTES = Map.of("level", "number");

    @Test
    void mapsIdentityProfileAndAttributeColumns() {
        ColumnMap map = ColumnMap.of(ColumnMap.Kind.CUSTOMERS,
                List.of("phone", "miniapp_openid@wx123", "DisplayName", "attr.level", ""), TYPES, ATTRIBUTES);
        assertThat(map.identities()).containsExactly(new ColumnMap.Identity(0, "phone", "phone", ""),
                new ColumnMap.Identity(1, "miniapp_openid@wx123", "miniapp_openid", "wx123"));
        assertThat(map.field("displayName")).contains(new ColumnMap.Field(2, "DisplayName", "displayName"));
        assertThat(map.attributes()).containsExactly(new ColumnMap.Attribute(3, "attr.level", "level", "number"));
        assertThat(map.columns().get(4)).isInstanceOf(ColumnMap.Ignored.class);
    }

    @Test
    void readsCellsOfShortRowsAsBlank() {
        ColumnMap map = ColumnMap.of(ColumnMap.Kind.CUSTOMERS, List.of("phone", "city"), TYPES, ATTRIBUTES);
        assertThat(map.cell(List.of("13800138000"), "city")).isEmpty();
        assertThat(map.cell(List.of("13800138000"), "nickname")).isEmpty();
    }

    @Test
    void refusesUnknownRepeatedAndIncompleteColumnsAllAtOnce() {
        assertThatThrownBy(() -> ColumnMap.of(ColumnMap.Kind.CUSTOMERS,
                List.of("phone", "phone", "shoe_size", "attr.nope", "miniapp_openid", "external_id@x"), TYPES, ATTRIBUTES))
                .isInstanceOfSatisfying(SiyuException.class, e -> assertThat(e.errors())
                        .extracting(FieldProblem::pointer, FieldProblem::code)
                        .containsExactly(
                                org.assertj.core.groups.Tuple.tuple("phone", "import-duplicate-column"),
                                org.assertj.core.groups.Tuple.tuple("shoe_size", "import-unknown-column"),
                                org.assertj.core.groups.Tuple.tuple("attr.nope", "import-unknown-attribute"),
                                org.assertj.core.groups.Tuple.tuple("miniapp_openid", "import-app-id-required"),
                                org.assertj.core.groups.Tuple.tuple("external_id@x", "import-app-id-not-allowed")));
    }

    @Test
    void ordersNeedAnOrderIdATimeAndAnIdentity() {
        assertThatThrownBy(() -> ColumnMap.of(ColumnMap.Kind.ORDERS, List.of("total", "sku"), TYPES, ATTRIBUTES))
                .isInstanceOfSatisfying(SiyuException.class, e -> assertThat(e.errors()).extracting(FieldProblem::code)
                        .containsExactly("import-no-identity-column", "import-missing-column", "import-missing-column"));
        ColumnMap map = ColumnMap.of(ColumnMap.Kind.ORDERS,
                List.of("order_id", "external_id", "ordered_at", "total", "sku", "quantity"), TYPES, ATTRIBUTES);
        assertThat(map.field("sku")).isPresent();
        assertThat(map.identities()).hasSize(1);
    }

    @Test
    void customerFilesHaveNoOrderColumns() {
        assertThatThrownBy(() -> ColumnMap.of(ColumnMap.Kind.CUSTOMERS, List.of("phone", "order_id"), TYPES, ATTRIBUTES))
                .isInstanceOfSatisfying(SiyuException.class, e -> assertThat(e.code()).isEqualTo("import-unknown-column"));
    }
}
