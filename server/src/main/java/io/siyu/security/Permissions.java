package io.siyu.security;

/** The permissions that roles grant, as Spring authorities ({@code resource:action}). */
public final class Permissions {

    public static final String CUSTOMER_READ = "customer:read";
    public static final String CUSTOMER_WRITE = "customer:write";
    public static final String CUSTOMER_DELETE = "customer:delete";
    public static final String CUSTOMER_MERGE = "customer:merge";
    public static final String PII_READ = "pii:read";
    /** Reading the raw event log by offset (exports to a warehouse): every customer's events at once. */
    public static final String EVENT_READ = "event:read";
    public static final String SCHEMA_WRITE = "schema:write";
    /** Saving segments (rules and static lists). */
    public static final String SEGMENT_WRITE = "segment:write";
    /** Downloading a segment's members as CSV (audited). */
    public static final String SEGMENT_EXPORT = "segment:export";
    public static final String AUDIT_READ = "audit:read";
    public static final String USER_ADMIN = "user:admin";
    public static final String TOKEN_ADMIN = "token:admin";
    public static final String SETTINGS_ADMIN = "settings:admin";

    private Permissions() {
    }
}
