package io.siyu.segment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.segment.Rule.PropertyFilter;
import io.siyu.segment.Rule.PropertyOp;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonPropertiesTest {

    private static final String DOC = """
            {"category":"抗衰老","duration":180.0,"big":12345678901234567890.125,"text":"180","vip":false,
             "none":null,"article":{"category":"育儿","tags":["a"]},"list":[1,2]}""";

    @Test
    void theSqlFunctionsReadOnlyValuesOfTheirType() {
        assertThat(JsonProperties.type(DOC, "category")).isEqualTo("string");
        assertThat(JsonProperties.type(DOC, "duration")).isEqualTo("number");
        assertThat(JsonProperties.type(DOC, "vip")).isEqualTo("boolean");
        assertThat(JsonProperties.type(DOC, "article")).isEqualTo("object");
        assertThat(JsonProperties.type(DOC, "list")).isEqualTo("array");
        assertThat(JsonProperties.type(DOC, "none")).as("JSON null counts as absent").isNull();
        assertThat(JsonProperties.type(DOC, "missing")).isNull();
        assertThat(JsonProperties.text(DOC, "article.category")).isEqualTo("育儿");
        assertThat(JsonProperties.text(DOC, "text")).isEqualTo("180");
        assertThat(JsonProperties.number(DOC, "text")).as("a number sent as text is not a number").isNull();
        assertThat(JsonProperties.number(DOC, "duration")).isEqualByComparingTo("180");
        assertThat(JsonProperties.number(DOC, "big")).isEqualTo(new BigDecimal("12345678901234567890.125"));
        assertThat(JsonProperties.bool(DOC, "vip")).isFalse();
        assertThat(JsonProperties.bool(DOC, "category")).isNull();
        assertThat(JsonProperties.text(DOC, "category.x")).as("no path through a string").isNull();
        assertThat(JsonProperties.number(DOC, "list.0")).as("arrays are not indexed").isNull();
        assertThat(JsonProperties.type(null, "category")).isNull();
        assertThat(JsonProperties.type("not json", "category")).isNull();
        assertThat(JsonProperties.type("{\"a\":\"x\\u0000y\"}", "a")).as("unreadable, as in jsonb").isNull();
    }

    @Test
    void filtersCompareByTheOperandsType() {
        var doc = JsonProperties.parse(DOC);
        assertThat(JsonProperties.matches(doc, f("duration", PropertyOp.GTE, new BigDecimal("180")))).isTrue();
        assertThat(JsonProperties.matches(doc, f("duration", PropertyOp.GT, new BigDecimal("180")))).isFalse();
        assertThat(JsonProperties.matches(doc, f("duration", PropertyOp.EQ, new BigDecimal("180.00")))).isTrue();
        assertThat(JsonProperties.matches(doc, f("text", PropertyOp.EQ, new BigDecimal("180")))).isFalse();
        assertThat(JsonProperties.matches(doc, f("text", PropertyOp.EQ, "180"))).isTrue();
        assertThat(JsonProperties.matches(doc, f("category", PropertyOp.NE, "育儿"))).isTrue();
        assertThat(JsonProperties.matches(doc, f("missing", PropertyOp.NE, "育儿")))
                .as("a missing property matches only not_exists").isFalse();
        assertThat(JsonProperties.matches(doc, f("none", PropertyOp.NOT_EXISTS))).isTrue();
        assertThat(JsonProperties.matches(doc, f("article", PropertyOp.EXISTS))).isTrue();
        assertThat(JsonProperties.matches(doc, f("category", PropertyOp.CONTAINS, "衰"))).isTrue();
        assertThat(JsonProperties.matches(doc, f("category", PropertyOp.STARTS_WITH, "衰"))).isFalse();
        assertThat(JsonProperties.matches(doc, f("vip", PropertyOp.EQ, false))).isTrue();
        assertThat(JsonProperties.matches(doc, new PropertyFilter("duration", PropertyOp.BETWEEN,
                List.of(new BigDecimal("100"), new BigDecimal("180"))))).isTrue();
        assertThat(JsonProperties.matches(doc, new PropertyFilter("article.category", PropertyOp.NOT_IN,
                List.of("抗衰老", "美白")))).isTrue();
        assertThat(JsonProperties.matches(null, List.of(f("category", PropertyOp.EXISTS)))).isFalse();
    }

    private static PropertyFilter f(String property, PropertyOp op, Object... values) {
        return new PropertyFilter(property, op, List.of(values));
    }
}
