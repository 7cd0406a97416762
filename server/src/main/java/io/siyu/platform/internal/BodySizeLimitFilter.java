package io.siyu.platform.internal;

import io.siyu.platform.ProblemRenderer;
import io.siyu.platform.SiyuException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses management-API bodies above {@code siyu.api.max-body-size} with 413, whether the size is
 * declared up front or only discovered while streaming a chunked body. File uploads under one of
 * {@code siyu.api.upload-paths} (imports) have their own, larger limit {@code siyu.api.max-upload-size};
 * callbacks from outside ({@code /hooks/}, not authenticated until their signature is checked) a small
 * one, {@code siyu.api.max-callback-size}, so an anonymous caller cannot make the server buffer more.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class BodySizeLimitFilter extends OncePerRequestFilter {

    private final ProblemRenderer problems;
    private final long limit;
    private final List<String> uploadPaths;
    private final long uploadLimit;
    private final long callbackLimit;

    BodySizeLimitFilter(ProblemRenderer problems, @Value("${siyu.api.max-body-size:1MB}") DataSize limit,
            @Value("${siyu.api.upload-paths:}") List<String> uploadPaths,
            @Value("${siyu.api.max-upload-size:50MB}") DataSize uploadLimit,
            @Value("${siyu.api.max-callback-size:64KB}") DataSize callbackLimit) {
        this.callbackLimit = callbackLimit.toBytes();
        this.problems = problems;
        this.limit = limit.toBytes();
        this.uploadPaths = uploadPaths.stream().filter(p -> !p.isBlank()).toList();
        this.uploadLimit = uploadLimit.toBytes();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/") && !request.getRequestURI().startsWith("/hooks/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long max = limitFor(request.getRequestURI());
        if (request.getContentLengthLong() > max) {
            problems.write(request, response, tooLarge(max));
            return;
        }
        chain.doFilter(new Limited(request, max), response);
    }

    private long limitFor(String uri) {
        if (uri.startsWith("/hooks/")) {
            return callbackLimit;
        }
        for (String prefix : uploadPaths) {
            if (uri.startsWith(prefix)) {
                return uploadLimit;
            }
        }
        return limit;
    }

    private static SiyuException tooLarge(long max) {
        return SiyuException.of(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", max);
    }

    /** Counts bytes as they are read; the JSON reader sees the failure as an unreadable body. */
    private final class Limited extends HttpServletRequestWrapper {
        private final long max;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long max) {
            super(request);
            this.max = max;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    private long count;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0) {
                            count(1);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buf, int off, int len) throws IOException {
                        int n = in.read(buf, off, len);
                        if (n > 0) {
                            count(n);
                        }
                        return n;
                    }

                    private void count(int n) {
                        count += n;
                        if (count > max) {
                            throw tooLarge(max);
                        }
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return stream;
        }
    }
}
