package io.siyu.wecom.internal;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Official accounts (公众号) whose event callbacks Siyu receives ({@code siyu.wechat.official-accounts}):
 * for each, the app id, and the server configuration's token and EncodingAESKey (the key is needed in
 * the safe and compatible modes, not in plaintext mode).
 */
@ConfigurationProperties("siyu.wechat")
record OfficialAccountSettings(@DefaultValue List<Account> officialAccounts) {

    /** One official account's callback settings. */
    record Account(String appId, String token, String aesKey) {
    }
}
