package io.siyu.customer;

import static io.siyu.customer.Ids.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.siyu.testing.Api;
import io.siyu.testing.ApiTest;
import io.siyu.testing.TestUsers;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class CustomerApiIT extends ApiTest {

    @Autowired
    DSLContext db;

    private Api operator;

    @BeforeEach
    void setUp() {
        operator = api().basic(TestUsers.create(db, "operator"), TestUsers.PASSWORD);
        defineAttribute("tier", "string", "newest");
        defineAttribute("spend", "number", "max");
        defineAttribute("vip", "boolean", "newest");
        defineAttribute("firstOrder", "date", "oldest");
    }

    private void defineAttribute(String attr, String type, String strategy) {
        var res = admin().post("/api/v1/attribute-definitions",
                Map.of("name", attr, "type", type, "mergeStrategy", strategy, "labelZh", attr, "labelEn", attr));
        assertThat(res.status()).isIn(201, 409);
    }

    private String create(Map<String, Object> body) {
        var res = operator.post("/api/v1/customers", body);
        assertThat(res.status()).as(res.toString()).isEqualTo(201);
        return res.str("/id");
    }

    @Test
    void createsACustomerWithIdentitiesAttributesAndAProfile() {
        String phone = Ids.phone();
        String ext = Ids.unique("u");
        var res = operator.post("/api/v1/customers", Map.of(
                "displayName", "王小美", "realName", "王美丽", "gender", "female", "birthday", "1992-03-08",
                "city", "上海", "source", "wecom",
                "identities", List.of(id("phone", phone), id("external_id", ext)),
                "attributes", Map.of("tier", "gold", "spend", 1280.5, "vip", true, "firstOrder", "2025-06-01")));
        assertThat(res.status()).as(res.toString()).isEqualTo(201);
        assertThat(res.header("Location")).isEqualTo("/api/v1/customers/" + res.str("/id"));
        assertThat(res.str("/displayName")).isEqualTo("王小美");
        assertThat(res.str("/birthday")).isEqualTo("1992-03-08");
        assertThat(res.str("/attributes/tier")).isEqualTo("gold");
        assertThat(res.body().at("/attributes/spend").decimalValue()).isEqualByComparingTo("1280.5");
        assertThat(res.body().at("/attributes/vip").booleanValue()).isTrue();
        assertThat(res.str("/attributes/firstOrder")).isEqualTo("2025-06-01");
        assertThat(res.str("/createdAt")).endsWith("+08:00");
        // an operator has no pii:read: PII comes back masked
        assertThat(res.body().at("/piiMasked").booleanValue()).isTrue();
        assertThat(res.str("/realName")).isEqualTo("王**");
        assertThat(values(res.body(), "phone")).containsExactly(phone.substring(0, 3) + "****" + phone.substring(7));
        assertThat(values(res.body(), "external_id")).containsExactly(ext);
    }

    @Test
    void adminSeesPiiInClearAndEveryUnmaskedReadIsAudited() {
        String phone = Ids.phone();
        String id = create(Map.of("realName", "李雷", "identities", List.of(id("phone", phone), id("email", Ids.unique("a") + "@Example.com"))));
        int before = auditCount("pii.read", id);

        var res = admin().get("/api/v1/customers/" + id);
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.body().at("/piiMasked").booleanValue()).isFalse();
        assertThat(res.str("/realName")).isEqualTo("李雷");
        assertThat(values(res.body(), "phone")).containsExactly("+86" + phone);
        assertThat(values(res.body(), "email").getFirst()).endsWith("@example.com");
        assertThat(auditCount("pii.read", id)).isEqualTo(before + 1);

        operator.get("/api/v1/customers/" + id);
        assertThat(auditCount("pii.read", id)).isEqualTo(before + 1);
    }

    @Test
    void personalDataIsEncryptedAtRestAndFoundByBlindIndex() {
        String phone = Ids.phone();
        String id = create(Map.of("realName", "韩梅梅", "identities", List.of(id("phone", phone))));
        var row = db.select(field(name("lookup_key")), field(name("id_value")), field(name("value_enc")))
                .from(table(name("customer_identity")))
                .where(field(name("customer_id")).eq(Long.parseLong(id))).fetchOne();
        assertThat(row.get(1)).isNull();
        assertThat(String.valueOf(row.get(0))).doesNotContain(phone.substring(3));
        assertThat(String.valueOf(row.get(2))).doesNotContain(phone.substring(3));
        String realNameEnc = db.select(field(name("real_name_enc"), String.class)).from(table(name("customer")))
                .where(field(name("id")).eq(Long.parseLong(id))).fetchOne().value1();
        assertThat(realNameEnc).isNotBlank().doesNotContain("韩梅梅");

        // the same number in other spellings finds the same customer
        for (String spelling : List.of(phone, "+86 " + phone, "+86-" + phone.substring(0, 3) + "-" + phone.substring(3),
                "0086" + phone)) {
            var found = operator.get("/api/v1/customers/lookup?type=phone&value=" + java.net.URLEncoder.encode(spelling,
                    java.nio.charset.StandardCharsets.UTF_8));
            assertThat(found.status()).as(spelling).isEqualTo(200);
            assertThat(found.str("/id")).isEqualTo(id);
        }
    }

    @Test
    void invalidPhoneIsRefusedWithAPointerAndChangesNothing() {
        String ext = Ids.unique("u");
        var res = operator.post("/api/v1/customers", Map.of("identities",
                List.of(id("external_id", ext), id("phone", "12345"))));
        assertThat(res.status()).isEqualTo(400);
        assertThat(res.header("Content-Type")).startsWith("application/problem+json");
        assertThat(res.str("/code")).isEqualTo("invalid-phone");
        assertThat(res.str("/title")).isEqualTo("手机号无效");
        assertThat(res.str("/errors/0/pointer")).isEqualTo("/identities/1/value");
        assertThat(operator.get("/api/v1/customers/lookup?type=external_id&value=" + ext).status()).isEqualTo(404);

        var en = operator.lang("en").post("/api/v1/customers/identify", Map.of("identities", List.of(id("phone", "999"))));
        assertThat(en.status()).isEqualTo(400);
        assertThat(en.str("/title")).isEqualTo("Invalid phone number");
    }

    @Test
    void badInputGetsProblemsAndChangesNothing() {
        String ext = Ids.unique("u");
        var unknownType = operator.post("/api/v1/customers/identify", Map.of("identities", List.of(id("qq_number", "123"))));
        assertThat(unknownType.status()).isEqualTo(400);
        assertThat(unknownType.str("/code")).isEqualTo("unknown-identity-type");
        assertThat(unknownType.str("/errors/0/pointer")).isEqualTo("/identities/0/type");

        var malformed = operator.raw("POST", "/api/v1/customers", "{\"identities\": [", "application/json");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.str("/code")).isEqualTo("malformed-json");

        var wrongAttr = operator.post("/api/v1/customers", Map.of("identities", List.of(id("external_id", ext)),
                "attributes", Map.of("spend", "a lot")));
        assertThat(wrongAttr.status()).isEqualTo(400);
        assertThat(wrongAttr.str("/code")).isEqualTo("invalid-attribute-type");
        assertThat(wrongAttr.str("/errors/0/pointer")).isEqualTo("/attributes/spend");

        var undefinedAttr = operator.post("/api/v1/customers", Map.of("identities", List.of(id("external_id", ext)),
                "attributes", Map.of("shoeSize", 42)));
        assertThat(undefinedAttr.status()).isEqualTo(400);
        assertThat(undefinedAttr.str("/code")).isEqualTo("unknown-attribute");

        var unknownField = operator.post("/api/v1/customers", Map.of("identities", List.of(id("external_id", ext)),
                "favouriteColour", "red"));
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.str("/code")).isEqualTo("unknown-field");

        var badGender = operator.post("/api/v1/customers", Map.of("identities", List.of(id("external_id", ext)),
                "gender", "robot"));
        assertThat(badGender.str("/code")).isEqualTo("invalid-gender");

        var missingAppId = operator.post("/api/v1/customers/identify", Map.of("identities",
                List.of(id("wechat_openid", Ids.unique("o")))));
        assertThat(missingAppId.status()).isEqualTo(400);
        assertThat(missingAppId.str("/code")).isEqualTo("app-id-required");

        var wrongMedia = operator.raw("POST", "/api/v1/customers", "identities=1", "text/plain");
        assertThat(wrongMedia.status()).isEqualTo(415);
        assertThat(wrongMedia.str("/code")).isEqualTo("unsupported-media-type");

        String huge = "{\"displayName\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        var oversize = operator.raw("POST", "/api/v1/customers", huge, "application/json");
        assertThat(oversize.status()).isEqualTo(413);
        assertThat(oversize.str("/code")).isEqualTo("body-too-large");

        assertThat(operator.get("/api/v1/customers/lookup?type=external_id&value=" + ext).status()).isEqualTo(404);
    }

    @Test
    void identifyCreatesThenLinksThenMergesIntoTheOldest() {
        String unionid = Ids.unique("un");
        String wecom = Ids.unique("wm");
        String phone = Ids.phone();
        // A WeCom contact and, separately, a mini-program user with a phone: two customers so far
        var first = operator.post("/api/v1/customers/identify", Map.of(
                "identities", List.of(id("wecom_external_userid", wecom)), "nickname", "小美", "source", "wecom",
                "attributes", Map.of("tier", "silver", "spend", 100)));
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.body().at("/created").booleanValue()).isTrue();
        String older = first.str("/customerId");

        var second = operator.post("/api/v1/customers/identify", Map.of(
                "identities", List.of(id("miniapp_openid", Ids.unique("mo"), "wxapp1"), id("phone", phone)),
                "source", "miniapp", "attributes", Map.of("tier", "gold", "spend", 50)));
        String newer = second.str("/customerId");
        assertThat(newer).isNotEqualTo(older);

        // Linking: the same WeCom contact now shows its unionid: no new customer
        var link = operator.post("/api/v1/customers/identify", Map.of(
                "identities", List.of(id("wecom_external_userid", wecom), id("wechat_unionid", unionid))));
        assertThat(link.str("/customerId")).isEqualTo(older);
        assertThat(link.body().at("/created").booleanValue()).isFalse();

        // The phone and the unionid meet: the two customers merge into the older one
        var merge = operator.post("/api/v1/customers/identify", Map.of(
                "identities", List.of(id("phone", "+86 " + phone), id("wechat_unionid", unionid))));
        assertThat(merge.status()).isEqualTo(200);
        assertThat(merge.str("/customerId")).isEqualTo(older);
        assertThat(merge.body().at("/mergedCustomerIds").valueStream().map(JsonNode::asString).toList())
                .containsExactly(newer);

        var survivor = operator.get("/api/v1/customers/" + older);
        assertThat(survivor.body().at("/identities").size()).isEqualTo(4);
        assertThat(survivor.str("/source")).isEqualTo("wecom");
        assertThat(survivor.str("/nickname")).isEqualTo("小美");
        // per-attribute strategies: tier newest wins, spend max wins
        assertThat(survivor.str("/attributes/tier")).isEqualTo("gold");
        assertThat(survivor.body().at("/attributes/spend").intValue()).isEqualTo(100);
        assertThat(survivor.body().at("/mergeHistory").size()).isEqualTo(1);
        assertThat(survivor.str("/mergeHistory/0/mergedId")).isEqualTo(newer);
        assertThat(survivor.str("/mergeHistory/0/trigger")).isEqualTo("identify");
        assertThat(survivor.str("/mergeHistory/0/actor")).startsWith("operator-");

        // the merged id keeps resolving to the survivor
        var viaOld = operator.get("/api/v1/customers/" + newer);
        assertThat(viaOld.status()).isEqualTo(200);
        assertThat(viaOld.str("/id")).isEqualTo(older);
        assertThat(viaOld.str("/resolvedFrom")).isEqualTo(newer);
        assertThat(operator.get("/api/v1/customers/" + newer + "/merge-history").body().size()).isEqualTo(1);
        assertThat(auditCount("customer.merge", older + "," + newer)).isEqualTo(1);
    }

    @Test
    void aMergeThatWouldGiveOneCustomerTwoPhonesIsRefusedAndRecorded() {
        String phoneA = Ids.phone();
        String phoneB = Ids.phone();
        String a = create(Map.of("identities", List.of(id("phone", phoneA), id("external_id", Ids.unique("ea")))));
        String b = create(Map.of("identities", List.of(id("phone", phoneB))));

        var res = operator.post("/api/v1/customers/identify", Map.of("identities",
                List.of(id("phone", phoneA), id("phone", phoneB))));
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.body().at("/mergedCustomerIds").size()).isZero();
        assertThat(res.str("/conflicts/0/reason")).isEqualTo("merge-refused");
        assertThat(res.str("/conflicts/0/type")).isEqualTo("phone");
        String conflictId = res.str("/conflicts/0/id");
        assertThat(operator.get("/api/v1/customers/" + a).body().at("/identities").size()).isEqualTo(2);
        assertThat(operator.get("/api/v1/customers/" + b).str("/status")).isEqualTo("active");

        var listed = operator.get("/api/v1/identity-conflicts?limit=500");
        assertThat(listed.body().at("/items").valueStream().map(n -> n.get("id").asString())).contains(conflictId);

        var manual = operator.post("/api/v1/customers/" + a + "/merge", Map.of("otherCustomerId", b, "reason", "same person"));
        assertThat(manual.status()).isEqualTo(409);
        assertThat(manual.str("/code")).isEqualTo("merge-conflict");
        assertThat(manual.str("/conflictId")).isNotBlank();
        assertThat(operator.get("/api/v1/customers/" + b).str("/status")).isEqualTo("active");

        var dismissed = operator.post("/api/v1/identity-conflicts/" + conflictId + "/dismiss", Map.of());
        assertThat(dismissed.status()).isEqualTo(200);
        assertThat(dismissed.str("/status")).isEqualTo("dismissed");
        assertThat(operator.post("/api/v1/identity-conflicts/" + conflictId + "/dismiss", Map.of()).status()).isEqualTo(409);
    }

    @Test
    void anExplicitMergeMovesEverythingToTheOlderCustomer() {
        String a = create(Map.of("displayName", "A", "identities", List.of(id("external_id", Ids.unique("ea"))),
                "attributes", Map.of("firstOrder", "2024-01-01")));
        String b = create(Map.of("displayName", "B", "city", "杭州", "identities",
                List.of(id("anonymous_id", Ids.unique("an")), id("pos_member_no", Ids.unique("pos"))),
                "attributes", Map.of("firstOrder", "2023-05-05", "vip", true)));
        var res = operator.post("/api/v1/customers/" + b + "/merge", Map.of("otherCustomerId", a, "reason", "客服确认为同一人"));
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(res.str("/id")).isEqualTo(a);
        assertThat(res.body().at("/identities").size()).isEqualTo(3);
        assertThat(res.str("/displayName")).isEqualTo("B");
        assertThat(res.str("/city")).isEqualTo("杭州");
        // firstOrder uses "oldest": a's value was written first
        assertThat(res.str("/attributes/firstOrder")).isEqualTo("2024-01-01");
        assertThat(res.body().at("/attributes/vip").booleanValue()).isTrue();
        assertThat(res.str("/mergeHistory/0/reason")).isEqualTo("客服确认为同一人");
        assertThat(res.str("/mergeHistory/0/trigger")).isEqualTo("manual");

        assertThat(operator.post("/api/v1/customers/" + a + "/merge", Map.of("otherCustomerId", b)).status()).isEqualTo(409);
        assertThat(operator.post("/api/v1/customers/" + a + "/merge", Map.of("otherCustomerId", a)).status()).isEqualTo(422);
        var analyst = api().basic(TestUsers.create(db, "analyst"), TestUsers.PASSWORD);
        assertThat(analyst.post("/api/v1/customers/" + a + "/merge", Map.of("otherCustomerId", "1")).status()).isEqualTo(403);
    }

    @Test
    void junkIdentityValuesAreIgnoredNotLinked() {
        String ext = Ids.unique("e");
        var res = operator.post("/api/v1/customers/identify", Map.of("identities",
                List.of(id("external_id", ext), id("anonymous_id", "undefined"), id("phone", "00000000000"),
                        id("wechat_unionid", "null"))));
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(res.body().at("/ignored").size()).isEqualTo(3);
        var other = operator.post("/api/v1/customers/identify", Map.of("identities",
                List.of(id("external_id", Ids.unique("e")), id("anonymous_id", "undefined"))));
        assertThat(other.str("/customerId")).isNotEqualTo(res.str("/customerId"));

        var onlyJunk = operator.post("/api/v1/customers/identify", Map.of("identities", List.of(id("anonymous_id", "0"))));
        assertThat(onlyJunk.status()).isEqualTo(422);
        assertThat(onlyJunk.str("/code")).isEqualTo("no-usable-identity");
    }

    @Test
    void createRefusesAnIdentityThatAlreadyBelongsToSomeone() {
        String ext = Ids.unique("e");
        String id = create(Map.of("identities", List.of(id("external_id", ext))));
        var res = operator.post("/api/v1/customers", Map.of("identities", List.of(id("anonymous_id", Ids.unique("a")),
                id("external_id", ext))));
        assertThat(res.status()).isEqualTo(409);
        assertThat(res.str("/code")).isEqualTo("identity-taken");
        assertThat(res.str("/customerId")).isEqualTo(id);
        assertThat(res.str("/errors/0/pointer")).isEqualTo("/identities/1");
    }

    @Test
    void patchFollowsJsonMergePatch() {
        String id = create(Map.of("nickname", "old", "city", "北京", "identities", List.of(id("external_id", Ids.unique("e"))),
                "attributes", Map.of("tier", "silver", "vip", true)));
        var res = operator.patch("/api/v1/customers/" + id, Map.of("nickname", "new", "attributes",
                new java.util.HashMap<>(Map.of("tier", "gold")) {{ put("vip", null); }}));
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(res.str("/nickname")).isEqualTo("new");
        assertThat(res.str("/city")).isEqualTo("北京");
        assertThat(res.str("/attributes/tier")).isEqualTo("gold");
        assertThat(res.body().at("/attributes").has("vip")).isFalse();

        var cleared = operator.raw("PATCH", "/api/v1/customers/" + id, "{\"city\": null}", "application/merge-patch+json");
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(cleared.body().at("/city").isNull()).isTrue();

        var bad = operator.patch("/api/v1/customers/" + id, Map.of("birthday", "2999-01-01"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.str("/code")).isEqualTo("invalid-birthday");
        assertThat(operator.patch("/api/v1/customers/999999999", Map.of("nickname", "x")).status()).isEqualTo(404);
    }

    @Test
    void identitiesCanBeAddedAndRemovedWithinLimits() {
        String id = create(Map.of("identities", List.of(id("phone", Ids.phone()))));
        var second = operator.post("/api/v1/customers/" + id + "/identities", id("phone", Ids.phone()));
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.str("/code")).isEqualTo("identity-limit-exceeded");

        var added = operator.post("/api/v1/customers/" + id + "/identities", id("wechat_openid", Ids.unique("o"), "wx-oa-1"));
        assertThat(added.status()).as(added.toString()).isEqualTo(200);
        assertThat(added.body().at("/identities").size()).isEqualTo(2);
        String identityId = added.body().at("/identities").valueStream()
                .filter(n -> n.get("type").asString().equals("wechat_openid")).findFirst().orElseThrow().get("id").asString();
        assertThat(operator.delete("/api/v1/customers/" + id + "/identities/" + identityId).status()).isEqualTo(204);
        assertThat(operator.get("/api/v1/customers/" + id).body().at("/identities").size()).isEqualTo(1);
    }

    @Test
    void erasureRemovesPersonalDataAndKeepsATombstone() {
        String phone = Ids.phone();
        String id = create(Map.of("realName", "张三", "displayName", "三哥", "city", "深圳", "source", "pos",
                "identities", List.of(id("phone", phone)), "attributes", Map.of("tier", "gold")));
        assertThat(operator.delete("/api/v1/customers/" + id).status()).isEqualTo(403);
        assertThat(admin().delete("/api/v1/customers/" + id).status()).isEqualTo(204);

        var tomb = admin().get("/api/v1/customers/" + id);
        assertThat(tomb.status()).isEqualTo(200);
        assertThat(tomb.str("/status")).isEqualTo("erased");
        assertThat(tomb.str("/erasedAt")).isNotNull();
        assertThat(tomb.str("/source")).isEqualTo("pos");
        assertThat(tomb.body().at("/realName").isNull()).isTrue();
        assertThat(tomb.body().at("/displayName").isNull()).isTrue();
        assertThat(tomb.body().at("/city").isNull()).isTrue();
        assertThat(tomb.body().at("/identities").size()).isZero();
        assertThat(tomb.body().at("/attributes").size()).isZero();
        assertThat(operator.get("/api/v1/customers/lookup?type=phone&value=" + phone).status()).isEqualTo(404);
        assertThat(admin().delete("/api/v1/customers/" + id).status()).isEqualTo(409);
        assertThat(auditCount("customer.erase", id)).isEqualTo(1);
        // the phone is free again: the person may come back as a new customer
        assertThat(operator.post("/api/v1/customers", Map.of("identities", List.of(id("phone", phone)))).status()).isEqualTo(201);
    }

    @Test
    void listFiltersAndPagesWithACursor() {
        String tier = Ids.unique("tier");
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            created.add(create(Map.of("identities", List.of(id("external_id", Ids.unique("l"))),
                    "attributes", Map.of("tier", tier, "spend", i * 100))));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var page = operator.get("/api/v1/customers?limit=3&attr.tier=" + tier + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.body().at("/items").forEach(n -> seen.add(n.get("id").asString()));
            cursor = page.str("/nextCursor");
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(7).doesNotHaveDuplicates();
        assertThat(new HashSet<>(seen)).isEqualTo(created);

        var rich = operator.get("/api/v1/customers?attr.tier=" + tier + "&attr.spend.gte=400&sort=createdAt");
        assertThat(rich.body().at("/items").size()).isEqualTo(3);
        assertThat(rich.body().at("/items/0/attributes/spend").intValue()).isEqualTo(400);

        String ext = Ids.unique("find");
        String target = create(Map.of("identities", List.of(id("external_id", ext))));
        var byIdentity = operator.get("/api/v1/customers?identityType=external_id&identityValue=" + ext);
        assertThat(byIdentity.body().at("/items").size()).isEqualTo(1);
        assertThat(byIdentity.str("/items/0/id")).isEqualTo(target);

        assertThat(operator.get("/api/v1/customers?createdFrom=2099-01-01").body().at("/items").size()).isZero();
        assertThat(operator.get("/api/v1/customers?colour=red").str("/code")).isEqualTo("unknown-parameter");
        assertThat(operator.get("/api/v1/customers?cursor=garbage").str("/code")).isEqualTo("invalid-cursor");
        assertThat(operator.get("/api/v1/customers?limit=100000").str("/code")).isEqualTo("invalid-limit");
        assertThat(operator.get("/api/v1/customers?attr.spend=lots").str("/code")).isEqualTo("invalid-attribute-type");
        assertThat(operator.get("/api/v1/customers?sort=name").str("/code")).isEqualTo("invalid-sort");
    }

    @Test
    void attributeSchemaIsManagedByAdminsAndProtectsData() {
        String attr = "a" + Ids.unique("x").replaceAll("[^a-zA-Z0-9]", "");
        assertThat(operator.post("/api/v1/attribute-definitions", Map.of("name", attr, "type", "number")).status())
                .isEqualTo(201);
        assertThat(operator.post("/api/v1/attribute-definitions", Map.of("name", attr, "type", "number")).status())
                .isEqualTo(409);
        var badType = operator.post("/api/v1/attribute-definitions", Map.of("name", attr + "b", "type", "money"));
        assertThat(badType.str("/code")).isEqualTo("invalid-attribute-data-type");
        create(Map.of("identities", List.of(id("external_id", Ids.unique("s"))), "attributes", Map.of(attr, 3)));
        assertThat(operator.patch("/api/v1/attribute-definitions/" + attr, Map.of("type", "string")).str("/code"))
                .isEqualTo("attribute-in-use");
        assertThat(operator.delete("/api/v1/attribute-definitions/" + attr).status()).isEqualTo(409);
        var relabel = operator.patch("/api/v1/attribute-definitions/" + attr, Map.of("labelZh", "等级", "mergeStrategy", "min"));
        assertThat(relabel.status()).isEqualTo(200);
        assertThat(relabel.str("/mergeStrategy")).isEqualTo("min");
        var analyst = api().basic(TestUsers.create(db, "analyst"), TestUsers.PASSWORD);
        assertThat(analyst.post("/api/v1/attribute-definitions", Map.of("name", attr + "c", "type", "date")).status())
                .isEqualTo(403);
    }

    @Test
    void identityTypesAreListed() {
        var res = operator.get("/api/v1/identity-types");
        assertThat(res.body().at("/items").valueStream().map(n -> n.get("name").asString()))
                .contains("wecom_external_userid", "wechat_unionid", "wechat_openid", "miniapp_openid", "phone", "email",
                        "external_id", "pos_member_no", "douyin_openid", "anonymous_id");
    }

    @Test
    void concurrentIdentificationsOfTheSameNewPersonMakeOneCustomer() throws Exception {
        String unionid = Ids.unique("cu");
        String phone = Ids.phone();
        int threads = 8;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<String>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String anon = Ids.unique("anon");
                results.add(pool.submit(() -> operator.post("/api/v1/customers/identify", Map.of("identities",
                        List.of(id("wechat_unionid", unionid), id("phone", phone), id("anonymous_id", anon))))
                        .str("/customerId")));
            }
            Set<String> ids = new HashSet<>();
            for (var f : results) {
                ids.add(f.get());
            }
            assertThat(ids).hasSize(1).doesNotContainNull();
            var view = operator.get("/api/v1/customers/" + ids.iterator().next());
            assertThat(view.body().at("/identities").size()).isEqualTo(2 + threads);
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<String> values(JsonNode customer, String type) {
        return customer.at("/identities").valueStream().filter(n -> n.get("type").asString().equals(type))
                .map(n -> n.get("value").asString()).toList();
    }

    private int auditCount(String action, String targetId) {
        return db.fetchCount(table(name("audit_log")),
                field(name("action")).eq(action).and(field(name("target_id")).eq(targetId)));
    }
}
