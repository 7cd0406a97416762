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
import me.chanjar.weixin.common.util.crypto.SHA1;
import me.chanjar.weixin.common.util.crypto.WxCryptUtil;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Follows and unfollows of an official account, sent as WeChat sends them, in plaintext and in safe mode. */
class OfficialAccountIT extends ApiTest {

    private static final String APP = FakeWecom.OA_APP_ID;
    private static final WxCryptUtil WECHAT = new WxCryptUtil(FakeWecom.TOKEN, FakeWecom.AES_KEY, APP);

    @Autowired
    EventProcessing processing;

    private static String event(String openId, String event) {
        return "<xml><ToUserName><![CDATA[gh_fake]]></ToUserName><FromUserName><![CDATA[" + openId + "]]></FromUserName>"
                + "<CreateTime>1764000000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[" + event
                + "]]></Event><EventKey><![CDATA[]]></EventKey></xml>";
    }

    /** Safe mode: the message encrypted, {@code msg_signature} over the ciphertext. */
    private Api.Res safe(String xml) {
        WxCryptUtil.EncryptContext c = WECHAT.encryptContext(xml);
        String signature = SHA1.gen(FakeWecom.TOKEN, c.getTimeStamp(), c.getNonce());
        return api().raw("POST", "/hooks/wechat/" + APP + "?signature=" + signature + "&timestamp=" + c.getTimeStamp()
                + "&nonce=" + c.getNonce() + "&openid=x&encrypt_type=aes&msg_signature=" + c.getSignature(),
                "<xml><ToUserName><![CDATA[gh_fake]]></ToUserName><Encrypt><![CDATA[" + c.getEncrypt()
                        + "]]></Encrypt></xml>", "text/xml");
    }

    /** Plaintext mode: the message as is, {@code signature} over token, timestamp and nonce. */
    private Api.Res plain(String app, String xml, String token) {
        String ts = String.valueOf(System.currentTimeMillis() / 1000);
        return api().raw("POST", "/hooks/wechat/" + app + "?signature=" + SHA1.gen(token, ts, "n0nce") + "&timestamp="
                + ts + "&nonce=n0nce&openid=x", xml, "text/xml");
    }

    private String customerOf(String openId) {
        return customerOf(APP, openId);
    }

    private String customerOf(String app, String openId) {
        var res = admin().get("/api/v1/customers/lookup?type=wechat_openid&appId=" + app + "&value="
                + URLEncoder.encode(openId, StandardCharsets.UTF_8));
        return res.status() == 200 ? res.str("/id") : null;
    }

    private int followers() {
        processing.drain();
        var preview = admin().post("/api/v1/segments/preview", Map.of("version", 1, "rule",
                Map.of("channel", "official_account")));
        assertThat(preview.status()).as(preview.toString()).isEqualTo(200);
        return preview.body().at("/count").asInt();
    }

    private void awaitFollowers(int expected) throws InterruptedException {
        for (int i = 0; i < 200 && followers() != expected; i++) {
            Thread.sleep(100);
        }
        assertThat(followers()).isEqualTo(expected);
    }

    @Test
    void theUrlCheckEchoesForTheConfiguredAccountOnly() {
        String ts = "1764000000";
        String ok = "/hooks/wechat/" + APP + "?signature=" + SHA1.gen(FakeWecom.TOKEN, ts, "abc") + "&timestamp=" + ts
                + "&nonce=abc&echostr=4711";
        assertThat(api().get(ok).text()).isEqualTo("4711");
        assertThat(api().get(ok.replace("nonce=abc", "nonce=abd")).status()).isEqualTo(403);
        var unknown = api().lang("en").get(ok.replace(APP, "wxUnknown"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.str("/code")).isEqualTo("official-account-not-configured");
    }

    @Test
    void followsAndUnfollowsMakeFollowersInBothModes() throws InterruptedException {
        int before = followers();
        String a = "oFake" + UUID.randomUUID();
        String b = "oFake" + UUID.randomUUID();
        assertThat(safe(event(a, "subscribe")).text()).isEqualTo("success");
        assertThat(plain(FakeWecom.OA_PLAIN_APP_ID, event(b, "subscribe"), FakeWecom.TOKEN).text()).isEqualTo("success");
        // repeated, as WeChat repeats an unanswered message
        assertThat(safe(event(a, "subscribe")).text()).isEqualTo("success");
        String ca = customerOf(a);
        assertThat(ca).isNotNull();
        assertThat(customerOf(FakeWecom.OA_PLAIN_APP_ID, b)).isNotNull();
        var channels = admin().get("/api/v1/customers/" + ca + "/channels").body().at("/items");
        assertThat(channels.size()).isEqualTo(1);
        assertThat(channels.at("/0/channel").asString()).isEqualTo("official_account");
        assertThat(channels.at("/0/target").asString()).isEqualTo(APP);
        awaitFollowers(before + 2);

        // a forged plaintext message and a menu click change nothing
        String c = "oFake" + UUID.randomUUID();
        var forged = plain(FakeWecom.OA_PLAIN_APP_ID, event(c, "subscribe"), "wrongToken");
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.str("/code")).isEqualTo("callback-signature-invalid");
        // an account set up for safe mode takes no plaintext message, even correctly signed
        var plainToSafe = plain(APP, event(c, "subscribe"), FakeWecom.TOKEN);
        assertThat(plainToSafe.status()).isEqualTo(403);
        assertThat(plainToSafe.str("/code")).isEqualTo("callback-encryption-required");
        assertThat(plain(FakeWecom.OA_PLAIN_APP_ID, event(c, "CLICK"), FakeWecom.TOKEN).text()).isEqualTo("success");
        assertThat(customerOf(c)).isNull();
        assertThat(customerOf(FakeWecom.OA_PLAIN_APP_ID, c)).isNull();

        assertThat(safe(event(a, "unsubscribe")).text()).isEqualTo("success");
        assertThat(admin().get("/api/v1/customers/" + ca + "/channels").body().at("/items").size()).isZero();
        awaitFollowers(before + 1);
        List<String> names = admin().get("/api/v1/customers/" + ca + "/events").body().at("/items").valueStream()
                .map(e -> e.get("name").asString()).toList();
        assertThat(names).contains("Official Account Followed", "Official Account Unfollowed");
    }
}
