package io.siyu.wecom;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.event.EventProcessing;
import io.siyu.testing.Api;
import io.siyu.testing.ApiTest;
import io.siyu.testing.FakeWecom;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import me.chanjar.weixin.common.util.crypto.SHA1;
import me.chanjar.weixin.common.util.crypto.WxCryptUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * WeCom through its callback and its API, as WeCom would drive them: callbacks encrypted and signed
 * with the configured token and key (WxJava's implementation of WeCom's scheme), and customer groups
 * read from a local fake of WeCom's server API. What they report becomes channel relations, system
 * events and segment membership, on both evaluators.
 */
class WecomIT extends ApiTest {

    private static final WxCryptUtil WECOM = new WxCryptUtil(FakeWecom.TOKEN, FakeWecom.AES_KEY, FakeWecom.CORP_ID);

    @Autowired
    EventProcessing processing;

    private final FakeWecom fake = FakeWecom.get();

    @AfterEach
    void reset() {
        fake.clear();
    }

    private static String uid(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** Posts a callback as WeCom does: the message encrypted, the signature over token, timestamp, nonce and ciphertext. */
    private Api.Res callback(String xml) {
        WxCryptUtil.EncryptContext c = WECOM.encryptContext(xml);
        String body = "<xml><ToUserName><![CDATA[" + FakeWecom.CORP_ID + "]]></ToUserName><Encrypt><![CDATA["
                + c.getEncrypt() + "]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>";
        return api().raw("POST", "/hooks/wecom?msg_signature=" + c.getSignature() + "&timestamp=" + c.getTimeStamp()
                + "&nonce=" + c.getNonce(), body, "text/xml");
    }

    private static String contactChange(String change, String staff, String external) {
        return "<xml><ToUserName><![CDATA[" + FakeWecom.CORP_ID + "]]></ToUserName><FromUserName><![CDATA[sys]]>"
                + "</FromUserName><CreateTime>1764000000</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                + "<Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[" + change + "]]></ChangeType>"
                + "<UserID><![CDATA[" + staff + "]]></UserID><ExternalUserID><![CDATA[" + external + "]]></ExternalUserID>"
                + "<State><![CDATA[]]></State><WelcomeCode><![CDATA[w]]></WelcomeCode></xml>";
    }

    private static String chatChange(String change, String chatId) {
        return "<xml><ToUserName><![CDATA[" + FakeWecom.CORP_ID + "]]></ToUserName><FromUserName><![CDATA[sys]]>"
                + "</FromUserName><CreateTime>1764000000</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                + "<Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[" + chatId + "]]></ChatId>"
                + "<ChangeType><![CDATA[" + change + "]]></ChangeType><UpdateDetail><![CDATA[add_member]]></UpdateDetail>"
                + "<JoinScene>1</JoinScene><MemChangeCnt>1</MemChangeCnt></xml>";
    }

    private String customerOf(String external) {
        var res = admin().get("/api/v1/customers/lookup?type=wecom_external_userid&value="
                + URLEncoder.encode(external, StandardCharsets.UTF_8));
        return res.status() == 200 ? res.str("/id") : null;
    }

    private List<String> channels(String customer, String channel) {
        return admin().get("/api/v1/customers/" + customer + "/channels").body().at("/items").valueStream()
                .filter(r -> r.get("channel").asString().equals(channel)).map(r -> r.get("target").asString()).toList();
    }

    private List<String> eventNames(String customer) {
        return admin().get("/api/v1/customers/" + customer + "/events").body().at("/items").valueStream()
                .map(e -> e.get("name").asString()).toList();
    }

    private void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            processing.drain();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Starts a job (202), waits for it to succeed and answers it. */
    private JsonNode runJob(String path) throws InterruptedException {
        var started = admin().post(path, Map.of());
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        JsonNode job = admin().get("/api/v1/jobs/" + started.str("/id")).body();
        for (int i = 0; i < 200 && !job.at("/status").asString().equals("succeeded"); i++) {
            assertThat(job.at("/status").asString()).isIn("queued", "running");
            Thread.sleep(100);
            job = admin().get("/api/v1/jobs/" + started.str("/id")).body();
        }
        assertThat(job.at("/status").asString()).as(job.toString()).isEqualTo("succeeded");
        return job;
    }

    /** The count of a rule on the bitmap engine (preview) once it settles at {@code expected}, and on SQL. */
    private void expectMembers(Map<String, Object> rule, int expected) {
        Map<String, Object> doc = Map.of("version", 1, "rule", rule);
        await("the preview to count " + expected + " for " + rule,
                () -> admin().post("/api/v1/segments/preview", doc).body().at("/count").asInt() == expected);
        var saved = admin().post("/api/v1/segments", Map.of("name", "reach-" + UUID.randomUUID(), "rule", doc));
        assertThat(saved.status()).as(saved.toString()).isEqualTo(201);
        String id = saved.str("/id");
        assertThat(admin().get("/api/v1/segments/" + id + "/count?engine=sql").body().at("/count").asInt())
                .isEqualTo(expected);
        assertThat(admin().get("/api/v1/segments/" + id + "/count?engine=bitmap").body().at("/count").asInt())
                .isEqualTo(expected);
        assertThat(admin().delete("/api/v1/segments/" + id).status()).isEqualTo(204);
    }

    @Test
    void theUrlCheckAnswersTheDecryptedEchoAndWrongSignaturesAreRefused() {
        WxCryptUtil.EncryptContext c = WECOM.encryptContext("echo-" + 12345);
        String q = "?msg_signature=" + c.getSignature() + "&timestamp=" + c.getTimeStamp() + "&nonce=" + c.getNonce()
                + "&echostr=" + URLEncoder.encode(c.getEncrypt(), StandardCharsets.UTF_8);
        var ok = api().get("/hooks/wecom" + q);
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ok.text()).isEqualTo("echo-12345");

        var forged = api().get("/hooks/wecom" + q.replace("msg_signature=" + c.getSignature(),
                "msg_signature=" + "0".repeat(40)));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.str("/code")).isEqualTo("callback-signature-invalid");
        var incomplete = api().lang("en").get("/hooks/wecom?timestamp=1");
        assertThat(incomplete.status()).isEqualTo(400);
        assertThat(incomplete.str("/code")).isEqualTo("callback-incomplete");
        assertThat(incomplete.str("/title")).isEqualTo("Incomplete callback");
    }

    @Test
    void aForgedOrMalformedCallbackChangesNothing() {
        String staff = uid("staff");
        String external = uid("wm");
        WxCryptUtil.EncryptContext c = WECOM.encryptContext(contactChange("add_external_contact", staff, external));
        String body = "<xml><Encrypt><![CDATA[" + c.getEncrypt() + "]]></Encrypt></xml>";
        // signed with another token
        String wrong = SHA1.gen("otherToken", c.getTimeStamp(), c.getNonce(),
                c.getEncrypt());
        var forged = api().raw("POST", "/hooks/wecom?msg_signature=" + wrong + "&timestamp=" + c.getTimeStamp()
                + "&nonce=" + c.getNonce(), body, "text/xml");
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.str("/code")).isEqualTo("callback-signature-invalid");
        // encrypted with another key, correctly signed
        WxCryptUtil other = new WxCryptUtil(FakeWecom.TOKEN, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFG", FakeWecom.CORP_ID);
        WxCryptUtil.EncryptContext o = other.encryptContext(contactChange("add_external_contact", staff, external));
        var undecryptable = api().raw("POST", "/hooks/wecom?msg_signature=" + o.getSignature() + "&timestamp="
                + o.getTimeStamp() + "&nonce=" + o.getNonce(), "<xml><Encrypt>" + o.getEncrypt() + "</Encrypt></xml>",
                "text/xml");
        assertThat(undecryptable.status()).isEqualTo(400);
        assertThat(undecryptable.str("/code")).isEqualTo("callback-undecryptable");
        // not XML; an XML bomb's DOCTYPE is refused before anything is expanded
        String now = String.valueOf(System.currentTimeMillis() / 1000);
        var notXml = api().raw("POST", "/hooks/wecom?msg_signature=a&timestamp=" + now + "&nonce=n", "{\"a\":1}",
                "text/xml");
        assertThat(notXml.str("/code")).isEqualTo("callback-malformed");
        var doctype = api().raw("POST", "/hooks/wecom?msg_signature=a&timestamp=" + now + "&nonce=n",
                "<!DOCTYPE x [<!ENTITY a \"aaaa\">]><xml><Encrypt>&a;</Encrypt></xml>", "text/xml");
        assertThat(doctype.str("/code")).isEqualTo("callback-malformed");
        // correctly signed and encrypted, but captured long ago
        String old = String.valueOf(System.currentTimeMillis() / 1000 - 3600);
        String enc = c.getEncrypt();
        var stale = api().raw("POST", "/hooks/wecom?msg_signature=" + SHA1.gen(FakeWecom.TOKEN, old, "n", enc)
                + "&timestamp=" + old + "&nonce=n", body, "text/xml");
        assertThat(stale.status()).isEqualTo(403);
        assertThat(stale.str("/code")).isEqualTo("callback-stale");
        // larger than a callback can be: refused before it is read whole
        var huge = api().raw("POST", "/hooks/wecom?msg_signature=a&timestamp=" + now + "&nonce=n",
                "<xml><Encrypt>" + "A".repeat(200_000) + "</Encrypt></xml>", "text/xml");
        assertThat(huge.status()).isEqualTo(413);
        assertThat(customerOf(external)).isNull();
        // every refusal is counted by its code
        String metrics = api().get("/actuator/prometheus").text();
        assertThat(metrics).containsPattern("siyu_callbacks_total\\{[^}]*result=\"callback-signature-invalid\"[^}]*sender=\"wecom\"[^}]*\\} [1-9]");
        assertThat(metrics).containsPattern("siyu_callbacks_total\\{[^}]*result=\"callback-undecryptable\"[^}]*\\} [1-9]");
        assertThat(admin().get("/api/v1/staff").body().at("/items").valueStream()
                .noneMatch(s -> staff.equals(s.path("wecomUserId").asString(null)))).isTrue();
    }

    @Test
    void friendshipsFollowContactCallbacks() {
        String staff = uid("staff");
        String a = uid("wm");
        String b = uid("wm");
        assertThat(callback(contactChange("add_external_contact", staff, a)).text()).isEqualTo("success");
        assertThat(callback(contactChange("add_half_external_contact", staff, b)).text()).isEqualTo("success");
        // WeCom repeats a message it got no answer to: nothing happens twice
        assertThat(callback(contactChange("add_external_contact", staff, a)).text()).isEqualTo("success");

        String ca = customerOf(a);
        String cb = customerOf(b);
        assertThat(ca).isNotNull();
        assertThat(cb).isNotNull();
        String staffId = admin().get("/api/v1/staff").body().at("/items").valueStream()
                .filter(s -> staff.equals(s.path("wecomUserId").asString(null))).findFirst().orElseThrow()
                .get("id").asString();
        assertThat(channels(ca, "wecom_friend")).containsExactly(staffId);
        // the staff member who added the customer owns the relationship
        assertThat(admin().get("/api/v1/customers/" + ca + "/owner").str("/staffId")).isEqualTo(staffId);
        await("the friend event", () -> eventNames(ca).contains("WeCom Friend Added"));
        assertThat(eventNames(ca).stream().filter("WeCom Friend Added"::equals).count()).isEqualTo(1);
        expectMembers(Map.of("channel", "wecom_friend", "staff", staffId), 2);

        // the customer deletes the staff member; the staff member deletes the other
        assertThat(callback(contactChange("del_follow_user", staff, a)).text()).isEqualTo("success");
        assertThat(callback(contactChange("del_external_contact", staff, b)).text()).isEqualTo("success");
        assertThat(channels(ca, "wecom_friend")).isEmpty();
        assertThat(channels(cb, "wecom_friend")).isEmpty();
        await("the removal event", () -> eventNames(ca).contains("WeCom Friend Removed"));
        expectMembers(Map.of("channel", "wecom_friend", "staff", staffId), 0);
        // an unknown contact leaving creates no one
        String stranger = uid("wm");
        assertThat(callback(contactChange("del_follow_user", staff, stranger)).text()).isEqualTo("success");
        assertThat(customerOf(stranger)).isNull();
        // other events are acknowledged and ignored
        assertThat(callback(contactChange("edit_external_contact", staff, a)).text()).isEqualTo("success");
    }

    @Test
    void groupMembershipFollowsGroupCallbacksAndTheSync() throws InterruptedException {
        String chat = uid("wr");
        String owner = uid("staff");
        String a = uid("wm");
        String b = uid("wm");
        String c = uid("wm");
        String union = uid("o");
        fake.put(new FakeWecom.Group(chat, "宝妈交流群", owner, List.of(new FakeWecom.Member(owner, 1, null, 1_700_000_100L),
                new FakeWecom.Member(a, 2, union, 1_700_000_200L), new FakeWecom.Member(b, 2, null, 1_700_000_300L))));
        assertThat(callback(chatChange("create", chat)).text()).isEqualTo("success");

        String ca = customerOf(a);
        String cb = customerOf(b);
        assertThat(channels(ca, "wecom_group")).containsExactly(chat);
        assertThat(channels(cb, "wecom_group")).containsExactly(chat);
        // the union id WeCom gave is on the customer, so other channels meet the same profile
        assertThat(admin().get("/api/v1/customers/lookup?type=wechat_unionid&value=" + union).str("/id")).isEqualTo(ca);
        var group = admin().get("/api/v1/wecom/group-chats/" + chat);
        assertThat(group.status()).as(group.toString()).isEqualTo(200);
        assertThat(group.str("/name")).isEqualTo("宝妈交流群");
        assertThat(group.body().at("/customers").asInt()).isEqualTo(2);
        assertThat(group.body().at("/members").asInt()).isEqualTo(3);
        expectMembers(Map.of("channel", "wecom_group", "group", chat), 2);

        // b leaves and c joins
        fake.put(new FakeWecom.Group(chat, "宝妈交流群", owner, List.of(new FakeWecom.Member(owner, 1, null, 1_700_000_100L),
                new FakeWecom.Member(a, 2, union, 1_700_000_200L), new FakeWecom.Member(c, 2, null, 1_700_000_400L))));
        assertThat(callback(chatChange("update", chat)).text()).isEqualTo("success");
        String cc = customerOf(c);
        assertThat(channels(cb, "wecom_group")).isEmpty();
        assertThat(channels(cc, "wecom_group")).containsExactly(chat);
        await("the leave event", () -> eventNames(cb).contains("WeCom Group Left"));
        assertThat(eventNames(cc)).contains("WeCom Group Joined");
        expectMembers(Map.of("and", List.of(Map.of("channel", "wecom_group", "group", chat),
                Map.of("channel", "wecom_group"))), 2);

        // the same message again (WeCom repeating it, or a replay): acknowledged, not handled again
        WxCryptUtil.EncryptContext same = WECOM.encryptContext(chatChange("update", chat));
        String sameBody = "<xml><Encrypt><![CDATA[" + same.getEncrypt() + "]]></Encrypt></xml>";
        String sameQuery = "/hooks/wecom?msg_signature=" + same.getSignature() + "&timestamp=" + same.getTimeStamp()
                + "&nonce=" + same.getNonce();
        assertThat(api().raw("POST", sameQuery, sameBody, "text/xml").text()).isEqualTo("success");
        int reads = fake.getCalls();
        assertThat(api().raw("POST", sameQuery, sameBody, "text/xml").text()).isEqualTo("success");
        assertThat(fake.getCalls()).isEqualTo(reads);

        // WeCom is down while a change arrives: the callback is not acknowledged, so WeCom repeats it
        fake.failing(true);
        var refused = callback(chatChange("update", chat));
        assertThat(refused.status()).isEqualTo(502);
        assertThat(refused.str("/code")).isEqualTo("wecom-unavailable");
        fake.failing(false);

        // a missed dismissal is found by the full sync: the group is gone from WeCom
        String other = uid("wr");
        String d = uid("wm");
        fake.put(new FakeWecom.Group(other, "会员福利群", owner, List.of(new FakeWecom.Member(d, 2, null, 1_700_000_500L))));
        for (int i = 0; i < 3; i++) {
            fake.put(new FakeWecom.Group(uid("wr"), "空群" + i, owner, List.of()));
        }
        fake.remove(chat);
        JsonNode job = runJob("/api/v1/wecom/group-chats/sync");
        assertThat(job.at("/result/failed").size()).isZero();
        assertThat(job.at("/result/dismissed").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(channels(ca, "wecom_group")).isEmpty();
        assertThat(channels(customerOf(d), "wecom_group")).containsExactly(other);
        assertThat(admin().get("/api/v1/wecom/group-chats/" + chat).body().at("/dismissed").asBoolean()).isTrue();
        expectMembers(Map.of("channel", "wecom_group", "group", chat), 0);
        // syncing a group neither WeCom nor Siyu knows records nothing
        String never = uid("wr");
        var unknown = admin().lang("en").post("/api/v1/wecom/group-chats/" + never + "/sync", Map.of());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.str("/code")).isEqualTo("group-chat-not-found");
        assertThat(admin().get("/api/v1/wecom/group-chats/" + never).status()).isEqualTo(404);
        assertThat(callback(chatChange("dismiss", never)).text()).isEqualTo("success");
        assertThat(admin().get("/api/v1/wecom/group-chats/" + never).status()).isEqualTo(404);
        // one group synced on request
        fake.put(new FakeWecom.Group(never, "新群", owner, List.of(new FakeWecom.Member(d, 2, null, 1_700_000_600L))));
        var one = admin().post("/api/v1/wecom/group-chats/" + never + "/sync", Map.of());
        assertThat(one.status()).as(one.toString()).isEqualTo(200);
        assertThat(one.body().at("/joined").asInt()).isEqualTo(1);
        // the dismissed group is still listed, in chat-id order and paged
        var page = admin().get("/api/v1/wecom/group-chats?limit=1");
        assertThat(page.body().at("/items").size()).isEqualTo(1);
        assertThat(page.str("/nextCursor")).isNotNull();
    }

    @Test
    void theContactSyncBringsInEarlierFriendsAndDropsDeletedOnes() throws InterruptedException {
        String staff = uid("staff");
        String known = uid("wm");
        String gone = uid("wm");
        String earlier = uid("wm");
        String union = uid("o");
        // Siyu heard of two friendships; WeCom lists one of them and two Siyu never heard of
        assertThat(callback(contactChange("add_external_contact", staff, known)).text()).isEqualTo("success");
        assertThat(callback(contactChange("add_external_contact", staff, gone)).text()).isEqualTo("success");
        List<FakeWecom.Contact> listed = new java.util.ArrayList<>(List.of(new FakeWecom.Contact(known, null, 1_764_000_000L),
                new FakeWecom.Contact(earlier, union, 1_600_000_000L)));
        for (int i = 0; i < 3; i++) {
            listed.add(new FakeWecom.Contact(uid("wm"), null, 1_650_000_000L + i));
        }
        // a customer who deleted the staff member is still listed by WeCom for them: the sync does not bring them back
        String unfollowed = uid("wm");
        assertThat(callback(contactChange("add_external_contact", staff, unfollowed)).text()).isEqualTo("success");
        assertThat(callback(contactChange("del_follow_user", staff, unfollowed)).text()).isEqualTo("success");
        listed.add(new FakeWecom.Contact(unfollowed, null, 1_764_000_000L));
        fake.contacts(staff, listed);
        JsonNode job = runJob("/api/v1/wecom/contacts/sync");
        assertThat(job.at("/result/contacts").asInt()).isEqualTo(6);
        assertThat(job.at("/result/added").asInt()).isEqualTo(4);
        assertThat(job.at("/result/removed").asInt()).isEqualTo(1);

        String staffId = channels(customerOf(known), "wecom_friend").getFirst();
        String ce = customerOf(earlier);
        assertThat(channels(ce, "wecom_friend")).containsExactly(staffId);
        assertThat(admin().get("/api/v1/customers/lookup?type=wechat_unionid&value=" + union).str("/id")).isEqualTo(ce);
        // friends since when WeCom says they were added
        assertThat(admin().get("/api/v1/customers/" + ce + "/channels").str("/items/0/since")).startsWith("2020-09-13");
        assertThat(channels(customerOf(gone), "wecom_friend")).isEmpty();
        assertThat(channels(customerOf(unfollowed), "wecom_friend")).isEmpty();
        expectMembers(Map.of("channel", "wecom_friend", "staff", staffId), 5);
        // a second run changes nothing
        JsonNode second = runJob("/api/v1/wecom/contacts/sync");
        assertThat(second.at("/result/added").asInt()).isZero();
        assertThat(second.at("/result/removed").asInt()).isZero();
    }

    @Test
    void anOlderReadOfAGroupNeverOverwritesALaterChange() throws Exception {
        String chat = uid("wr");
        String owner = uid("staff");
        String a = uid("wm");
        fake.put(new FakeWecom.Group(chat, "g", owner, List.of(new FakeWecom.Member(a, 2, null, 1_700_000_200L))));
        assertThat(callback(chatChange("create", chat)).text()).isEqualTo("success");
        // a sync reads the group (a is in it) and is slow to apply; meanwhile the group is dismissed
        var release = fake.holdGets();
        var slow = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> admin().post("/api/v1/wecom/group-chats/" + chat + "/sync", Map.of()));
        fake.awaitHeldGet();
        assertThat(callback(chatChange("dismiss", chat)).text()).isEqualTo("success");
        release.countDown();
        var late = slow.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(late.status()).as(late.toString()).isEqualTo(200);
        assertThat(late.body().at("/joined").asInt()).isZero();
        // the dismissal stands: the older picture was dropped
        assertThat(admin().get("/api/v1/wecom/group-chats/" + chat).body().at("/dismissed").asBoolean()).isTrue();
        assertThat(channels(customerOf(a), "wecom_group")).isEmpty();
    }

    @Test
    void relationsFollowMergesAndErasure() {
        // a joined a group in 2023; b befriended a staff member in 2025; later they turn out to be one person
        String chat = uid("wr");
        String staff = uid("staff");
        String a = uid("wm");
        String b = uid("wm");
        fake.put(new FakeWecom.Group(chat, "g", staff, List.of(new FakeWecom.Member(a, 2, null, 1_700_000_200L))));
        assertThat(callback(chatChange("create", chat)).text()).isEqualTo("success");
        assertThat(callback(contactChange("add_external_contact", staff, b)).text()).isEqualTo("success");
        String ca = customerOf(a);
        String cb = customerOf(b);
        assertThat(ca).isNotEqualTo(cb);
        assertThat(channels(ca, "wecom_friend")).isEmpty();
        var merge = admin().post("/api/v1/customers/identify", Map.of("identities", List.of(
                Map.of("type", "wecom_external_userid", "value", a), Map.of("type", "wecom_external_userid", "value", b))));
        assertThat(merge.status()).as(merge.toString()).isEqualTo(200);
        // the older profile survives and now holds the friendship the merged one had
        assertThat(merge.str("/customerId")).isEqualTo(ca);
        assertThat(channels(ca, "wecom_group")).containsExactly(chat);
        assertThat(channels(ca, "wecom_friend")).hasSize(1);
        String staffId = channels(ca, "wecom_friend").getFirst();
        expectMembers(Map.of("and", List.of(Map.of("channel", "wecom_group", "group", chat),
                Map.of("channel", "wecom_friend", "staff", staffId))), 1);

        assertThat(admin().delete("/api/v1/customers/" + ca).status()).isEqualTo(204);
        expectMembers(Map.of("channel", "wecom_group", "group", chat), 0);
        expectMembers(Map.of("channel", "wecom_friend", "staff", staffId), 0);
    }

    @Test
    void rulesNamingAnUnknownGroupAreRefused() {
        var res = admin().lang("en").post("/api/v1/segments/validate", Map.of("version", 1, "rule",
                Map.of("channel", "wecom_group", "group", "wrNeverSynced")));
        assertThat(res.status()).isEqualTo(400);
        assertThat(res.str("/code")).isEqualTo("invalid-rule");
        assertThat(res.body().at("/errors/0/code").asString()).isEqualTo("rule-unknown-group-chat");
        assertThat(res.body().at("/errors/0/message").asString()).contains("wrNeverSynced");
        assertThat(res.body().at("/errors/0/pointer").asString()).isEqualTo("/rule/group");
    }
}
