package io.siyu.wecom.internal;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The URL set as the customer-contact application's callback in WeCom's admin console. It is
 * authenticated by WeCom's signature, not by a Siyu credential. A message is answered
 * {@code success} only after it was handled and committed; otherwise WeCom repeats it.
 */
@RestController
@Tag(name = "WeCom", description = "WeCom callbacks and customer groups")
class WecomCallbackController {

    private final WecomClients clients;
    private final WecomEvents events;
    private final CallbackGuard guard;

    WecomCallbackController(WecomClients clients, WecomEvents events, CallbackGuard guard) {
        this.clients = clients;
        this.events = events;
        this.guard = guard;
    }

    @GetMapping(value = "/hooks/wecom", produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(summary = "WeCom's URL check", description = "Answers the decrypted `echostr` when the signature is "
            + "right. 404 `wecom-not-configured` without `siyu.wecom.corp-id`, `token` and `aes-key`.")
    String verify(@RequestParam(name = "msg_signature", required = false) String signature,
            @RequestParam(required = false) String timestamp, @RequestParam(required = false) String nonce,
            @RequestParam(required = false) String echostr) {
        return guard.count("wecom", () -> callbacks().open(signature, timestamp, nonce, echostr));
    }

    @PostMapping(value = "/hooks/wecom", produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(summary = "A WeCom event callback", description = "Handles customer-contact changes (friend added or "
            + "removed) and customer-group changes (created, members changed, dismissed); answers `success`. "
            + "403 `callback-signature-invalid` / `callback-stale` (timestamp more than `siyu.wecom.callback-max-age` off), "
            + "400 `callback-malformed` / `callback-undecryptable`. A message handled before is acknowledged again "
            + "without being handled.")
    String receive(@RequestParam(name = "msg_signature", required = false) String signature,
            @RequestParam(required = false) String timestamp, @RequestParam(required = false) String nonce,
            @RequestBody(required = false) String body) {
        return guard.message("wecom", "wecom", signature, timestamp, nonce, body, () -> {
            events.handle(callbacks().message(signature, timestamp, nonce, body));
            return "success";
        });
    }

    private SignedCallbacks callbacks() {
        return clients.callbacks();
    }
}
