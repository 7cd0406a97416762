package io.siyu.platform.internal;

import io.siyu.platform.Actors;
import io.siyu.platform.ProblemRenderer;
import io.siyu.platform.SiyuException;
import io.siyu.platform.internal.IdempotencyLedger.Claim;
import io.siyu.platform.internal.IdempotencyLedger.InProgress;
import io.siyu.platform.internal.IdempotencyLedger.Owned;
import io.siyu.platform.internal.IdempotencyLedger.Replay;
import io.siyu.platform.internal.IdempotencyLedger.Reused;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Makes every {@code POST} under {@code /api/} idempotent when it carries an {@code Idempotency-Key}:
 * the first request runs and its answer is recorded; a repeat by the same actor with the same key
 * and the same request gets that answer again ({@code Idempotent-Replayed: true}) without running.
 * Failures that may pass (5xx, 429, exceptions) are not recorded, so a retry runs again.
 */
class IdempotencyFilter extends OncePerRequestFilter {

    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private static final Logger log = LoggerFactory.getLogger(IdempotencyFilter.class);
    private static final String IN_FLIGHT = IdempotencyFilter.class.getName() + ".inFlight";

    private final IdempotencyLedger ledger;
    private final ProblemRenderer problems;
    private final long maxBody;

    IdempotencyFilter(IdempotencyLedger ledger, ProblemRenderer problems, long maxBody) {
        this.ledger = ledger;
        this.problems = problems;
        this.maxBody = maxBody;
    }

    /** A request that went asynchronous: its claim and the response being captured. */
    private record InFlight(Owned claim, CapturedResponse response) {
    }

    /** The request to pass on (its body readable again) and its fingerprint. */
    private record Fingerprinted(HttpServletRequest request, String hash) {
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isAsyncDispatch(request)) {
            resume(request, response, chain);
            return;
        }
        Optional<IdempotencyKey> key;
        Fingerprinted fingerprinted;
        try {
            key = IdempotencyKey.from(IdempotencyKey.headerValues(request));
            fingerprinted = key.isPresent() ? fingerprint(request) : null;
        } catch (SiyuException e) {
            problems.write(request, response, e);
            return;
        }
        if (key.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        Claim claim = ledger.claim(Actors.currentName(), key.get().value(), fingerprinted.hash());
        switch (claim) {
            case Owned owned -> run(fingerprinted.request(), response, chain, owned);
            case Replay replay -> replay(response, replay.response());
            case Reused reused -> problems.write(request, response,
                    SiyuException.unprocessable("idempotency-key-reused"));
            case InProgress inProgress -> problems.write(request, response,
                    SiyuException.conflict("idempotency-in-progress").withProperty("retryAfterSeconds", 1));
        }
    }

    private void run(HttpServletRequest request, HttpServletResponse response, FilterChain chain, Owned claim)
            throws ServletException, IOException {
        CapturedResponse captured = new CapturedResponse(response);
        try {
            chain.doFilter(request, captured);
        } catch (IOException | ServletException | RuntimeException e) {
            release(claim);
            throw e;
        }
        if (request.isAsyncStarted()) {
            request.setAttribute(IN_FLIGHT, new InFlight(claim, captured));
            return;
        }
        finish(claim, captured);
    }

    /** The dispatch that completes an asynchronous handler: record its answer now. */
    private void resume(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!(request.getAttribute(IN_FLIGHT) instanceof InFlight inFlight)) {
            chain.doFilter(request, response);
            return;
        }
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException e) {
            request.removeAttribute(IN_FLIGHT);
            release(inFlight.claim());
            throw e;
        }
        if (!request.isAsyncStarted()) {
            request.removeAttribute(IN_FLIGHT);
            finish(inFlight.claim(), inFlight.response());
        }
    }

    private void finish(Owned claim, CapturedResponse captured) throws IOException {
        try {
            int status = captured.getStatus();
            if (captured.passedThrough() || !RecordedResponse.isFinal(status)) {
                ledger.release(claim);
                return;
            }
            RecordedResponse answer = RecordedResponse.of(status, captured.getContentType(),
                    captured.getHeader(HttpHeaders.LOCATION), captured.getContentAsByteArray());
            RecordedResponse stored = answer.fittedToRecord();
            if (stored != answer) {
                log.warn("Answer to idempotent request {} is too large to record in full; a repeat gets status {} "
                        + "without the body", claim.key(), status);
            }
            if (!ledger.complete(claim, stored)) {
                log.warn("Claim of idempotency key {} was given up before its request finished", claim.key());
            }
        } catch (RuntimeException e) {
            // The handler's work is done; the caller gets its answer even when the record is lost.
            log.error("Could not record the answer to idempotency key {}", claim.key(), e);
        } finally {
            captured.copyBodyToResponse();
        }
    }

    private void release(Owned claim) {
        try {
            ledger.release(claim);
        } catch (RuntimeException e) {
            log.error("Could not release idempotency key {}; it frees itself once abandoned", claim.key(), e);
        }
    }

    private static void replay(HttpServletResponse response, RecordedResponse answer) throws IOException {
        byte[] body = answer.bodyBytes();
        response.setStatus(answer.status());
        response.setHeader(REPLAYED_HEADER, "true");
        if (answer.location() != null) {
            response.setHeader(HttpHeaders.LOCATION, answer.location());
        }
        if (answer.contentType() != null) {
            response.setContentType(answer.contentType());
        }
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /**
     * Forms are parsed by the servlet container from the raw stream, so they are fingerprinted from
     * their parameters and parts and left unread; any other body is read here and served again.
     */
    private Fingerprinted fingerprint(HttpServletRequest request) throws IOException, ServletException {
        RequestFingerprint fingerprint = RequestFingerprint.of(request.getMethod(), request.getRequestURI(),
                request.getQueryString());
        if (isForm(request)) {
            for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
                fingerprint.text(parameter.getKey()).text(Integer.toString(parameter.getValue().length));
                for (String value : parameter.getValue()) {
                    fingerprint.text(value);
                }
            }
            if (isMultipart(request)) {
                for (Part part : request.getParts()) {
                    fingerprint.text(part.getName()).text(part.getSubmittedFileName()).text(part.getContentType());
                    try (InputStream in = part.getInputStream()) {
                        fingerprint.bytes(in.readAllBytes());
                    }
                }
            }
            return new Fingerprinted(request, fingerprint.hex());
        }
        byte[] body = readBody(request);
        return new Fingerprinted(new BufferedBodyRequest(request, body), fingerprint.bytes(body).hex());
    }

    private byte[] readBody(HttpServletRequest request) throws IOException {
        byte[] body = request.getInputStream().readNBytes((int) Math.min(maxBody + 1, Integer.MAX_VALUE - 8));
        if (body.length > maxBody) {
            throw SiyuException.of(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", maxBody);
        }
        return body;
    }

    private static boolean isForm(HttpServletRequest request) {
        return isMultipart(request) || hasType(request, MediaType.APPLICATION_FORM_URLENCODED);
    }

    private static boolean isMultipart(HttpServletRequest request) {
        return hasType(request, MediaType.MULTIPART_FORM_DATA);
    }

    private static boolean hasType(HttpServletRequest request, MediaType type) {
        String contentType = request.getContentType();
        if (contentType == null) {
            return false;
        }
        try {
            return type.includes(MediaType.parseMediaType(contentType));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Holds the handler's answer until it is recorded, so that nobody sees an answer its repeat
     * could not get. An error page or redirect made by the container is not captured and so not
     * recorded.
     */
    static final class CapturedResponse extends ContentCachingResponseWrapper {
        private boolean passedThrough;

        CapturedResponse(HttpServletResponse response) {
            super(response);
        }

        boolean passedThrough() {
            return passedThrough;
        }

        @Override
        public void sendError(int status) throws IOException {
            passedThrough = true;
            super.sendError(status);
        }

        @Override
        public void sendError(int status, String message) throws IOException {
            passedThrough = true;
            super.sendError(status, message);
        }

        @Override
        public void sendRedirect(String location) throws IOException {
            passedThrough = true;
            super.sendRedirect(location);
        }
    }
}
