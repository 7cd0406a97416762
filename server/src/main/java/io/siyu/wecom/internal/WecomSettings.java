package io.siyu.wecom.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The WeCom connection ({@code siyu.wecom.*}): the corp id, the secret of the customer-contact
 * (客户联系) application, and the callback's token and EncodingAESKey, as set in WeCom's admin console.
 * Without a corp id, token and key the callback endpoint answers 404 and nothing calls WeCom.
 *
 * @param baseUrl   WeCom's server API; a test or a proxy points it elsewhere
 *                  (the daily syncs' schedule, {@code siyu.wecom.sync-cron}, is read by the scheduler)
 */
@ConfigurationProperties("siyu.wecom")
record WecomSettings(
        String corpId,
        String secret,
        String token,
        String aesKey,
        @DefaultValue("https://qyapi.weixin.qq.com") String baseUrl) {

    boolean callbacksEnabled() {
        return present(corpId) && present(token) && present(aesKey);
    }

    boolean apiEnabled() {
        return present(corpId) && present(secret);
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
