package io.siyu.segment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siyu.platform.FieldProblem;
import io.siyu.platform.SiyuException;
import io.siyu.segment.Rule;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

class RuleParserTest {

    private final ObjectMapper json = JsonMapper.builder().build();

    /** Knows tags 1–3, staff 7, layers 10–11, a dynamic segment 20 referring to 21, and 21 referring to nothing. */
    private final Map<Long, String> segments = new java.util.HashMap<>(Map.of(
            20L, "{\"version\":1,\"rule\":{\"segment\":\"21\"}}",
            21L, "{\"version\":1,\"rule\":{\"tags\":[\"1\"],\"op\":\"has\"}}"));

    private final RuleCatalog catalog = new RuleCatalog() {
        @Override
        public Optional<Rule.ValueType> customAttribute(String name) {
            return name.equals("vip_level") ? Optional.of(Rule.ValueType.NUMBER) : Optional.empty();
        }

        @Override
        public Set<Long> unknownTags(Collection<Long> ids) {
            Set<Long> unknown = new HashSet<>(ids);
            unknown.removeAll(Set.of(1L, 2L, 3L));
            return unknown;
        }

        @Override
        public boolean staffExists(long staffId) {
            return staffId == 7;
        }

        @Override
        public boolean groupChatExists(String chatId) {
            return chatId.equals("wrOgQhDgAAcwMTB7YmDkbeBsgT_KAAAA");
        }

        @Override
        public boolean identityTypeExists(String type) {
            return Set.of("phone", "wechat_openid").contains(type);
        }

        @Override
        public Set<Long> unknownLayers(Collection<Long> ids) {
            Set<Long> unknown = new HashSet<>(ids);
            unknown.removeAll(Set.of(10L, 11L));
            return unknown;
        }

        @Override
        public Optional<StoredSegment> segment(long id) {
            return Optional.ofNullable(segments.get(id)).map(r -> new StoredSegment(id, true, r));
        }
    };

    private Rule parse(String text) {
        return RuleParser.parse(json.readTree(text), "", catalog, json, null);
    }

    private List<FieldProblem> problems(String text, Long self) {
        try {
            RuleParser.parse(json.readTree(text), "", catalog, json, self);
        } catch (SiyuException e) {
            assertThat(e.code()).isEqualTo("invalid-rule");
            return e.errors();
        }
        throw new AssertionError("expected the rule to be rejected: " + text);
    }

    @Test
    void everyNodeKindParsesAndWritesBackTheSame() {
        String text = """
                {"version":1,"rule":{"and":[
                  {"attribute":"city","op":"in","values":["上海","杭州"]},
                  {"attribute":"vip_level","op":"between","values":[1,2.5]},
                  {"attribute":"birthday","op":"anniversary_in_next_days","days":7},
                  {"attribute":"created_at","op":"before","value":"2026-01-01"},
                  {"tags":["1","2"],"op":"has_all"},
                  {"event":"$interaction","op":"count_gte","value":5,"within":{"lastDays":30}},
                  {"event":"Product Viewed","op":"last_after","date":"2026-03-01"},
                  {"event":"Article Read","op":"count_gte","value":2,"within":{"lastDays":7},"where":[
                    {"property":"article.category","op":"in","values":["抗衰老","美白"]},
                    {"property":"duration","op":"between","values":[180,600.5]},
                    {"property":"shared","op":"eq","value":true},
                    {"property":"coupon","op":"not_exists"}]},
                  {"purchase":"total_spent","op":"gt","value":199.99,"within":{"from":"2026-01-01","to":"2026-06-30"}},
                  {"purchase":"days_since_last_order","op":"gte","value":90},
                  {"bought":"category","values":["奶粉"]},
                  {"rfm":"segment","values":["champions"]},
                  {"rfm":"r_score","op":"gte","value":4},
                  {"channel":"wecom_friend","staff":"7"},
                  {"channel":"wecom_group","group":"wrOgQhDgAAcwMTB7YmDkbeBsgT_KAAAA"},
                  {"channel":"official_account"},
                  {"channel":"identity","identityType":"wechat_openid"},
                  {"layers":["10"]},
                  {"segment":"20"},
                  {"or":[{"not":{"bucket":[0,9]}}]}
                ]}}""";
        Rule rule = parse(text);
        assertThat(rule).isInstanceOf(Rule.And.class);
        assertThat(((Rule.And) rule).rules()).hasSize(20);
        assertThat(((Rule.And) rule).rules().subList(13, 16)).containsExactly(new Rule.Reach("wecom_friend", "7"),
                new Rule.Reach("wecom_group", "wrOgQhDgAAcwMTB7YmDkbeBsgT_KAAAA"), new Rule.Reach("official_account", null));
        Rule.Event read = (Rule.Event) ((Rule.And) rule).rules().get(7);
        assertThat(read.where()).hasSize(4);
        assertThat(read.where().get(0).path()).containsExactly("article", "category");
        assertThat(read.where().get(1).values()).containsExactly(new java.math.BigDecimal("180"),
                new java.math.BigDecimal("600.5"));
        assertThat(read.where().get(2).values()).containsExactly(true);
        JsonNode written = json.valueToTree(RuleJson.write(rule));
        Rule again;
        try {
            again = RuleParser.parse(written, "", catalog, json, null);
        } catch (SiyuException e) {
            throw new AssertionError(e.errors() + " in " + written, e);
        }
        assertThat(again).isEqualTo(rule);
        assertThat(written.at("/and/4/tags/0").asString()).isEqualTo("1");
    }

    @Test
    void problemsPointAtTheirNodes() {
        List<FieldProblem> p = problems("""
                {"version":2,"rule":{"or":[{"attribute":"city","op":"gte","value":"a"},
                  {"tags":["1","9"],"op":"has_any"},{"event":"x","op":"count_gte","value":1,"within":{"lastDays":0}},
                  {"purchase":"average_order_value","op":"gt","value":1.001},{"channel":"wecom_friend","staff":"8"},
                  {"layers":["12"]},{"attribute":"city","op":"eq","value":"a","extra":1},{"foo":1},
                  {"channel":"wecom_group","group":"wrUnknown"},{"channel":"official_account","appId":7}]}}""", null);
        assertThat(p).extracting(FieldProblem::pointer).containsExactly("/version", "/rule/or/0/op",
                "/rule/or/1/tags/1", "/rule/or/2/within/lastDays", "/rule/or/3/value", "/rule/or/4/staff",
                "/rule/or/5/layers/0", "/rule/or/6/extra", "/rule/or/7", "/rule/or/8/group", "/rule/or/9/appId");
        assertThat(p).extracting(FieldProblem::code).containsExactly("rule-version-unsupported", "rule-op-not-for-type",
                "rule-unknown-tag", "rule-expected-days", "rule-expected-money", "rule-unknown-staff",
                "rule-unknown-layer", "unknown-field", "rule-kind-missing", "rule-unknown-group-chat", "rule-expected-type");
    }

    @Test
    void segmentCyclesAreRejectedEvenThroughOtherSegments() {
        segments.put(21L, "{\"version\":1,\"rule\":{\"segment\":\"22\"}}");
        segments.put(22L, "{\"version\":1,\"rule\":{\"tags\":[\"1\"],\"op\":\"has\"}}");
        assertThat(problems("{\"segment\":\"20\"}", 22L)).extracting(FieldProblem::code)
                .containsExactly("rule-segment-cycle");
        assertThat(problems("{\"segment\":\"20\"}", 20L)).extracting(FieldProblem::code)
                .containsExactly("rule-segment-cycle");
        assertThat(parse("{\"segment\":\"20\"}")).isEqualTo(new Rule.InSegment(20));
        assertThatThrownBy(() -> parse("{\"segment\":\"99\"}")).isInstanceOf(SiyuException.class);
    }

    @Test
    void depthAndSizeAreBounded() {
        String deep = "{\"attribute\":\"city\",\"op\":\"exists\"}";
        for (int i = 0; i < 10; i++) {
            deep = "{\"not\":" + deep + "}";
        }
        assertThat(problems(deep, null)).extracting(FieldProblem::code).containsExactly("rule-too-deep");
        StringBuilder wide = new StringBuilder("{\"or\":[");
        for (int i = 0; i < 301; i++) {
            wide.append(i == 0 ? "" : ",").append("{\"bucket\":[0,1]}");
        }
        assertThat(problems(wide.append("]}").toString(), null)).extracting(FieldProblem::code)
                .containsExactly("rule-too-large");
    }

    @Test
    void bucketsAreStableAndSpread() {
        int[] counts = new int[100];
        for (long id = 1; id <= 100_000; id++) {
            counts[EvalTime.bucket(id)]++;
        }
        for (int c : counts) {
            assertThat(c).isBetween(800, 1200);
        }
        assertThat(EvalTime.bucket(12345)).isEqualTo(EvalTime.bucket(12345));
    }
}
