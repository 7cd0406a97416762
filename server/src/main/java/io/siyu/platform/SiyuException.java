package io.siyu.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import org.springframework.http.HttpStatus;

/**
 * A failure with a stable machine code, mapped once to problem+json. Its title and detail come
 * from the message bundles ({@code problem.<code>.title}, {@code problem.<code>.detail}) in the
 * request's language, filled with {@link #args()}.
 */
public class SiyuException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final List<Object> args;
    private final List<FieldProblem> errors;
    private final Map<String, Object> properties;

    public SiyuException(HttpStatus status, String code, List<Object> args, List<FieldProblem> errors,
            Map<String, Object> properties) {
        super(code + " " + args);
        this.status = status;
        this.code = code;
        this.args = List.copyOf(args);
        this.errors = List.copyOf(errors);
        this.properties = Map.copyOf(properties);
    }

    public static SiyuException of(HttpStatus status, String code, Object... args) {
        return new SiyuException(status, code, List.of(args), List.of(), Map.of());
    }

    public static SiyuException badRequest(String code, Object... args) {
        return of(HttpStatus.BAD_REQUEST, code, args);
    }

    public static SiyuException notFound(String code, Object... args) {
        return of(HttpStatus.NOT_FOUND, code, args);
    }

    public static SiyuException conflict(String code, Object... args) {
        return of(HttpStatus.CONFLICT, code, args);
    }

    public static SiyuException unprocessable(String code, Object... args) {
        return of(HttpStatus.UNPROCESSABLE_CONTENT, code, args);
    }

    public static SiyuException forbidden(String code, Object... args) {
        return of(HttpStatus.FORBIDDEN, code, args);
    }

    /** A 400 whose cause is one or more parts of the body, each reported with its pointer. */
    public static SiyuException invalid(List<FieldProblem> errors) {
        FieldProblem first = errors.getFirst();
        return new SiyuException(HttpStatus.BAD_REQUEST, first.code(), first.args(), errors, Map.of());
    }

    public SiyuException withProperty(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(properties);
        more.put(name, value);
        return new SiyuException(status, code, args, errors, more);
    }

    public SiyuException withError(FieldProblem error) {
        List<FieldProblem> more = new ArrayList<>(errors);
        more.add(error);
        return new SiyuException(status, code, args, more, properties);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<Object> args() {
        return args;
    }

    public List<FieldProblem> errors() {
        return errors;
    }

    public Map<String, Object> properties() {
        return properties;
    }
}
