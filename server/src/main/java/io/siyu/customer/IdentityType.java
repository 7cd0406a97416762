package io.siyu.customer;

/**
 * A kind of identifier a customer can be known by ({@code phone}, {@code wechat_unionid}, ...).
 *
 * @param name            the type name used in the API
 * @param maxPerCustomer  how many values of this type one customer may hold (0 = unlimited); for
 *                        per-app types the limit counts per app id
 * @param priority        which identity decides the customer when a merge is refused (higher wins)
 * @param pii             whether values are personal data: encrypted at rest, looked up by blind index
 * @param perApp          whether values are scoped by an app id (WeChat openids), which is then required
 * @param format          how values are normalised and validated
 */
public record IdentityType(String name, int maxPerCustomer, int priority, boolean pii, boolean perApp, Format format) {

    /** How values of a type are normalised and validated. */
    public enum Format {
        /** trimmed, case kept */
        TEXT,
        /** E.164 via libphonenumber, default region from configuration */
        PHONE,
        /** trimmed and lower-cased, must look like an address */
        EMAIL
    }

    public boolean unlimited() {
        return maxPerCustomer <= 0;
    }
}
