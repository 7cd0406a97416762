package io.siyu.imports.internal;

import java.util.List;

/** A cell that cannot be read as what its column needs: a problem code and its message arguments. */
final class CellProblem extends Exception {

    private final String code;
    private final List<Object> args;

    CellProblem(String code, Object... args) {
        super(code, null, false, false);
        this.code = code;
        this.args = List.of(args);
    }

    String code() {
        return code;
    }

    List<Object> args() {
        return args;
    }
}
