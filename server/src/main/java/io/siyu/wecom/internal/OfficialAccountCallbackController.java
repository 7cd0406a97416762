package io.siyu.wecom.internal;

import io.siyu.customer.CustomerTraits;
import io.siyu.customer.Customers;
import io.siyu.customer.IdentityInput;
import io.siyu.platform.BrandClock;
import io.siyu.platform.SiyuException;
import io.siyu.reach.Channel;
import io.siyu.reach.ChannelRelations;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The server URL of an official account ({@code /hooks/wechat/{appId}}): a follow ({@code subscribe})
 * makes the follower a customer (by their OpenID for that account) reachable on the account, an
 * unfollow ({@code unsubscribe}) ends that. Plaintext mode is checked by {@code signature}; safe and
 * compatible modes ({@code encrypt_type=aes}) by {@code msg_signature}, and the message decrypted.
 * Other messages are answered {@code success} and ignored (replies belong to messaging).
 */
@RestController
@Tag(name = "WeChat official account", description = "Official-account event callbacks")
@EnableConfigurationProperties(OfficialAccountSettings.class)
class OfficialAccountCallbackController {

    private final Map<String, Account> accounts = new HashMap<>();
    private final Customers customers;
    private final ChannelRelations relations;
    private final TransactionTemplate tx;
    private final BrandClock clock;
    private final CallbackGuard guard;

    /** A configured account: its token, and its crypto when a key is set. */
    private record Account(String appId, String token, SignedCallbacks crypto) {
    }

    OfficialAccountCallbackController(OfficialAccountSettings settings, Customers customers, ChannelRelations relations,
            TransactionTemplate tx, BrandClock clock, CallbackGuard guard) {
        this.guard = guard;
        for (OfficialAccountSettings.Account a : settings.officialAccounts()) {
            if (a.appId() == null || a.appId().isBlank() || a.token() == null || a.token().isBlank()) {
                throw new IllegalStateException("siyu.wechat.official-accounts: each account needs app-id and token");
            }
            accounts.put(a.appId(), new Account(a.appId(), a.token(), a.aesKey() == null || a.aesKey().isBlank() ? null
                    : new SignedCallbacks(a.token(), a.aesKey(), a.appId())));
        }
        this.customers = customers;
        this.relations = relations;
        this.tx = tx;
        this.clock = clock;
    }

    @GetMapping(value = "/hooks/wechat/{appId}", produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(summary = "The official account's URL check", description = "Answers `echostr` when `signature` "
            + "(SHA-1 of the sorted token, timestamp and nonce) is right. 404 `official-account-not-configured` for an "
            + "app id not under `siyu.wechat.official-accounts`.")
    String verify(@PathVariable String appId, @RequestParam(required = false) String signature,
            @RequestParam(required = false) String timestamp, @RequestParam(required = false) String nonce,
            @RequestParam(required = false) String echostr) {
        return guard.count("wechat", () -> {
            checkPlain(account(appId), signature, timestamp, nonce);
            if (echostr == null) {
                throw SiyuException.badRequest("callback-incomplete");
            }
            return echostr;
        });
    }

    @PostMapping(value = "/hooks/wechat/{appId}", produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(summary = "An official-account event callback", description = "Handles follows and unfollows; "
            + "answers `success`. An account configured with an `aes-key` takes only safe-mode messages (403 "
            + "`callback-encryption-required` otherwise). 403 `callback-signature-invalid` / `callback-stale`, 400 "
            + "`callback-malformed` / `callback-undecryptable`.")
    String receive(@PathVariable String appId, @RequestParam(required = false) String signature,
            @RequestParam(required = false) String timestamp, @RequestParam(required = false) String nonce,
            @RequestParam(name = "encrypt_type", required = false) String encryptType,
            @RequestParam(name = "msg_signature", required = false) String msgSignature,
            @RequestBody(required = false) String body) {
        return guard.message("wechat", appId, "aes".equals(encryptType) ? msgSignature : signature, timestamp, nonce,
                body, () -> {
            Account account = account(appId);
            handle(account, message(account, signature, timestamp, nonce, encryptType, msgSignature, body));
            return "success";
        });
    }

    private static Map<String, String> message(Account account, String signature, String timestamp, String nonce,
            String encryptType, String msgSignature, String body) {
        if ("aes".equals(encryptType)) {
            if (account.crypto() == null) {
                throw SiyuException.badRequest("callback-undecryptable");
            }
            return account.crypto().message(msgSignature, timestamp, nonce, body);
        }
        if (account.crypto() != null) {
            // configured for safe mode: a plaintext message's signature does not cover its body
            throw SiyuException.of(HttpStatus.FORBIDDEN, "callback-encryption-required");
        }
        checkPlain(account, signature, timestamp, nonce);
        if (body == null) {
            throw SiyuException.badRequest("callback-malformed");
        }
        return SignedCallbacks.fields(body);
    }

    private void handle(Account account, Map<String, String> msg) {
        String openId = msg.get("FromUserName");
        if (!"event".equals(msg.get("MsgType")) || openId == null || openId.isBlank()) {
            return;
        }
        OffsetDateTime at = at(msg);
        switch (msg.getOrDefault("Event", "")) {
            case "subscribe" -> Races.retry(() -> tx.execute(s -> {
                // identifyAll, not identify: a lost race must roll back this whole transaction for Races to rerun it
                Customers.Identified who = customers.identifyAll(List.of(new Customers.Identification(
                        List.of(new IdentityInput("wechat_openid", openId, account.appId())), CustomerTraits.NONE, at)))
                        .getFirst();
                if (who instanceof Customers.Identified.Refused refused) {
                    throw refused.problem();
                }
                long customerId = ((Customers.Identified.Resolved) who).resolution().customerId();
                return relations.add(customerId, Channel.OFFICIAL_ACCOUNT, account.appId(), at, "wechat-callback");
            }));
            case "unsubscribe" -> tx.executeWithoutResult(s -> {
                Optional<Long> customerId = customers.lookup(new IdentityInput("wechat_openid", openId, account.appId()));
                customerId.ifPresent(id -> relations.remove(id, Channel.OFFICIAL_ACCOUNT, account.appId(), at, "unsubscribe"));
            });
            default -> {
                // scans, menu clicks, locations: not about reach
            }
        }
    }

    private Account account(String appId) {
        Account a = accounts.get(appId);
        if (a == null) {
            throw SiyuException.notFound("official-account-not-configured", appId);
        }
        return a;
    }

    private static void checkPlain(Account account, String signature, String timestamp, String nonce) {
        if (signature == null || timestamp == null || nonce == null) {
            throw SiyuException.badRequest("callback-incomplete");
        }
        byte[] expected = SignedCallbacks.sign(account.token(), timestamp, nonce).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
            throw SiyuException.of(HttpStatus.FORBIDDEN, "callback-signature-invalid");
        }
    }

    private OffsetDateTime at(Map<String, String> msg) {
        return SignedCallbacks.createdAt(msg, clock.now());
    }
}
