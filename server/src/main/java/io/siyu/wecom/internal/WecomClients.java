package io.siyu.wecom.internal;

import io.siyu.platform.SiyuException;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/** The WeCom API client and the callback crypto, as far as {@code siyu.wecom} configures them. */
@Component
@EnableConfigurationProperties(WecomSettings.class)
class WecomClients {

    private final WecomApi api;
    private final SignedCallbacks callbacks;

    WecomClients(WecomSettings settings) {
        this.api = settings.apiEnabled() ? new WxJavaWecomApi(settings) : null;
        this.callbacks = settings.callbacksEnabled()
                ? new SignedCallbacks(settings.token(), settings.aesKey(), settings.corpId()) : null;
    }

    /** The API client; a 409 {@code wecom-not-configured} when no corp id and secret are set. */
    WecomApi api() {
        if (api == null) {
            throw SiyuException.of(HttpStatus.CONFLICT, "wecom-not-configured");
        }
        return api;
    }

    boolean enabled() {
        return api != null;
    }

    /** The callback crypto; a 404 {@code wecom-not-configured} when no corp id, token and key are set. */
    SignedCallbacks callbacks() {
        if (callbacks == null) {
            throw SiyuException.notFound("wecom-not-configured");
        }
        return callbacks;
    }
}
