package io.siyu.platform.internal;

import io.siyu.platform.FieldProblem;
import io.siyu.platform.ProblemRenderer;
import io.siyu.platform.SiyuException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** Maps every failure reaching MVC to problem+json, once, with a stable code. */
@RestControllerAdvice
class ProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    private final ProblemRenderer renderer;

    ProblemHandler(ProblemRenderer renderer) {
        this.renderer = renderer;
    }

    @ExceptionHandler(SiyuException.class)
    ResponseEntity<ProblemDetail> siyu(SiyuException e, HttpServletRequest request, Locale locale) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(e.status()).contentType(ProblemRenderer.PROBLEM_JSON);
        if (e.properties().get("retryAfterSeconds") instanceof Number seconds) {
            builder.header(HttpHeaders.RETRY_AFTER, String.valueOf(seconds.longValue()));
        }
        return builder.body(renderer.render(e, locale, request.getRequestURI()));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e, HttpServletRequest request, Locale locale) {
        return siyu(fromJackson(e.getCause()), request, locale);
    }

    static SiyuException fromJackson(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SiyuException siyu) {
                return siyu;
            }
        }
        if (cause instanceof UnrecognizedPropertyException u) {
            return SiyuException.invalid(List.of(FieldProblem.of(pointer(u), "unknown-field", u.getPropertyName())));
        }
        if (cause instanceof InvalidFormatException f) {
            return SiyuException.invalid(List.of(FieldProblem.of(pointer(f), "invalid-value", String.valueOf(f.getValue()))));
        }
        if (cause instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            return SiyuException.invalid(List.of(FieldProblem.of(pointer(m), "invalid-type")));
        }
        if (cause instanceof JacksonException || cause == null) {
            return SiyuException.badRequest("malformed-json");
        }
        return SiyuException.badRequest("malformed-json");
    }

    private static String pointer(tools.jackson.databind.DatabindException e) {
        StringBuilder sb = new StringBuilder();
        for (var ref : e.getPath()) {
            sb.append('/');
            sb.append(ref.getPropertyName() != null ? ref.getPropertyName() : String.valueOf(ref.getIndex()));
        }
        return sb.isEmpty() ? "/" : sb.toString();
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ProblemDetail> invalid(MethodArgumentNotValidException e, HttpServletRequest request, Locale locale) {
        List<FieldProblem> errors = e.getBindingResult().getFieldErrors().stream()
                .map(f -> FieldProblem.of("/" + f.getField().replace('.', '/').replace("[", "/").replace("]", ""),
                        "invalid-field", f.getField(), String.valueOf(f.getDefaultMessage())))
                .toList();
        return siyu(errors.isEmpty() ? SiyuException.badRequest("malformed-json") : SiyuException.invalid(errors), request, locale);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> mismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request, Locale locale) {
        return siyu(SiyuException.invalid(List.of(FieldProblem.of(e.getName(), "invalid-parameter", e.getName(),
                String.valueOf(e.getValue())))), request, locale);
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ProblemDetail> missing(MissingServletRequestParameterException e, HttpServletRequest request, Locale locale) {
        return siyu(SiyuException.invalid(List.of(FieldProblem.of(e.getParameterName(), "missing-parameter",
                e.getParameterName()))), request, locale);
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<ProblemDetail> missingHeader(MissingRequestHeaderException e, HttpServletRequest request, Locale locale) {
        return siyu(SiyuException.badRequest("missing-header", e.getHeaderName()), request, locale);
    }

    /** A multipart upload over {@code spring.servlet.multipart} limits (a chunked body the filter could not size). */
    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<ProblemDetail> uploadTooLarge(MaxUploadSizeExceededException e, HttpServletRequest request,
            Locale locale) {
        return siyu(SiyuException.of(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", e.getMaxUploadSize()), request,
                locale);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request, Locale locale) {
        return siyu(SiyuException.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                String.valueOf(e.getContentType())), request, locale);
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ProblemDetail> notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletRequest request, Locale locale) {
        return siyu(SiyuException.of(HttpStatus.NOT_ACCEPTABLE, "not-acceptable"), request, locale);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request, Locale locale) {
        return siyu(SiyuException.of(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", e.getMethod()), request, locale);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noResource(NoResourceFoundException e, HttpServletRequest request, Locale locale) {
        return siyu(SiyuException.notFound("not-found"), request, locale);
    }

    @ExceptionHandler({AccessDeniedException.class, AuthorizationDeniedException.class})
    ResponseEntity<ProblemDetail> denied(RuntimeException e, HttpServletRequest request, Locale locale) {
        return siyu(SiyuException.forbidden("forbidden"), request, locale);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request, Locale locale) {
        log.error("Unexpected failure serving {} {}", request.getMethod(), request.getRequestURI(), e);
        return siyu(SiyuException.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error"), request, locale);
    }
}
