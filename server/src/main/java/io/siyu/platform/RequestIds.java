package io.siyu.platform;

import org.slf4j.MDC;

/** The id of the request being served (from {@code X-Request-Id} or generated), for logs and audit. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";

    private RequestIds() {
    }

    public static String current() {
        String id = MDC.get(MDC_KEY);
        return id == null ? "system" : id;
    }
}
