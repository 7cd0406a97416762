package io.siyu.customer;

/**
 * An identifier as it arrives from a channel, before normalisation.
 *
 * @param type  an identity type name
 * @param value the raw value (a phone as typed, an openid, ...)
 * @param appId the WeChat app id for per-app types; empty otherwise
 */
public record IdentityInput(String type, String value, String appId) {

    public IdentityInput {
        appId = appId == null ? "" : appId.trim();
    }

    public static IdentityInput of(String type, String value) {
        return new IdentityInput(type, value, "");
    }
}
