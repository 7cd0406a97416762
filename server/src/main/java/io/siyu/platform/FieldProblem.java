package io.siyu.platform;

import java.util.List;

/**
 * One offending part of a request: a JSON pointer into the body (or a parameter name), a stable
 * code and the arguments of its localised message.
 */
public record FieldProblem(String pointer, String code, List<Object> args) {

    public FieldProblem {
        args = List.copyOf(args);
    }

    public static FieldProblem of(String pointer, String code, Object... args) {
        return new FieldProblem(pointer, code, List.of(args));
    }
}
