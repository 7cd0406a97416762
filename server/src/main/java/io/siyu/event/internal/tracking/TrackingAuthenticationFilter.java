package io.siyu.event.internal.tracking;

import io.siyu.platform.BrandClock;
import io.siyu.platform.ProblemRenderer;
import io.siyu.platform.SiyuException;
import io.siyu.security.WriteKey;
import io.siyu.security.WriteKeys;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.GZIPInputStream;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Authenticates tracking calls by write key and reads their body once. Segment clients present the
 * key as the HTTP Basic user name with an empty password; some (analytics-java 3.x) put it in the
 * body as {@code writeKey} instead, so the body is read before a missing header is refused. The
 * body may be gzip-compressed; the limits (32 KB per call, 500 KB per batch) apply to the
 * decompressed bytes, which also bounds what a compression bomb can cost. As in Segment's API an
 * oversized or unparseable body is a 400. A key sending more events per second than its limit
 * ({@link WriteKeyRateLimiter}) gets 429 with {@code Retry-After}, and nothing of the call is stored.
 */
final class TrackingAuthenticationFilter extends OncePerRequestFilter {

    static final int CALL_LIMIT = 32 * 1024;
    static final int BATCH_LIMIT = 500 * 1024;
    static final String AUTHORITY = "tracking:write";

    private final WriteKeys writeKeys;
    private final ProblemRenderer problems;
    private final ObjectMapper json;
    private final BrandClock clock;
    private final TrackingMetrics metrics;
    private final WriteKeyRateLimiter limiter;

    TrackingAuthenticationFilter(WriteKeys writeKeys, ProblemRenderer problems, ObjectMapper json, BrandClock clock,
            TrackingMetrics metrics, WriteKeyRateLimiter limiter) {
        this.metrics = metrics;
        this.limiter = limiter;
        this.writeKeys = writeKeys;
        this.problems = problems;
        this.json = json;
        this.clock = clock;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        OffsetDateTime receivedAt = clock.now();
        try {
            Optional<WriteKey> key = Optional.empty();
            String header = request.getHeader(HttpHeaders.AUTHORIZATION);
            if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
                key = writeKeys.authenticate(basicUser(header.substring(6).trim()));
                if (key.isEmpty()) {
                    throw unauthenticated();
                }
            }
            JsonNode body = parse(read(request, isBatch(request) ? BATCH_LIMIT : CALL_LIMIT));
            if (key.isEmpty()) {
                key = writeKeys.authenticate(MessageMapper.text(body, "writeKey"));
            }
            WriteKey writeKey = key.orElseThrow(TrackingAuthenticationFilter::unauthenticated);
            JsonNode messages = isBatch(request) ? body.get("batch") : null;
            OptionalLong wait = limiter.take(writeKey.id(), messages != null && messages.isArray() ? messages.size() : 1);
            if (wait.isPresent()) {
                long seconds = Math.max(1, (wait.getAsLong() + 999_999_999L) / 1_000_000_000L);
                throw SiyuException.of(HttpStatus.TOO_MANY_REQUESTS, "write-key-rate-limited", seconds)
                        .withProperty("retryAfterSeconds", seconds);
            }
            SecurityContext context = SecurityContextHolder.getContextHolderStrategy().createEmptyContext();
            context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(writeKey, null,
                    List.of(new SimpleGrantedAuthority(AUTHORITY))));
            SecurityContextHolder.getContextHolderStrategy().setContext(context);
            request.setAttribute(TrackingRequest.ATTRIBUTE, new TrackingRequest(writeKey, body, receivedAt));
        } catch (SiyuException e) {
            metrics.rejected(e.code());
            if (e.status() == HttpStatus.UNAUTHORIZED) {
                response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"siyu-tracking\"");
            }
            problems.write(request, response, e);
            return;
        }
        chain.doFilter(request, response);
    }

    static boolean isBatch(HttpServletRequest request) {
        String path = request.getRequestURI();
        return path.startsWith("/v1/batch") || path.startsWith("/v1/import");
    }

    static SiyuException unauthenticated() {
        return SiyuException.of(HttpStatus.UNAUTHORIZED, "invalid-write-key");
    }

    private static String basicUser(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? decoded : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            throw unauthenticated();
        }
    }

    private static byte[] read(HttpServletRequest request, int limit) throws IOException {
        if (request.getContentLengthLong() > limit && request.getHeader(HttpHeaders.CONTENT_ENCODING) == null) {
            throw tooLarge(limit);
        }
        String encoding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
        InputStream in = request.getInputStream();
        if (encoding != null && !encoding.isBlank() && !"identity".equalsIgnoreCase(encoding.trim())) {
            if (!"gzip".equalsIgnoreCase(encoding.trim())) {
                throw SiyuException.badRequest("unsupported-encoding", encoding);
            }
            try {
                in = new GZIPInputStream(in);
            } catch (IOException notGzip) {
                throw SiyuException.badRequest("invalid-gzip");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                if (out.size() > limit) {
                    throw tooLarge(limit);
                }
            }
        } catch (java.util.zip.ZipException | java.io.EOFException corrupt) {
            throw SiyuException.badRequest("invalid-gzip");
        }
        return out.toByteArray();
    }

    private static SiyuException tooLarge(int limit) {
        return SiyuException.badRequest("payload-too-large", limit / 1024);
    }

    private JsonNode parse(byte[] bytes) {
        try {
            JsonNode body = json.readTree(bytes);
            if (body != null && body.isObject()) {
                return body;
            }
        } catch (JacksonException unreadable) {
            // reported below, like any other body that is not a JSON object
        }
        throw SiyuException.badRequest("malformed-json");
    }
}
