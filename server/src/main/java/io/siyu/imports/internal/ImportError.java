package io.siyu.imports.internal;

import java.util.List;

/** A refused row: its number in the file, the column at fault ("" for the row as a whole), why, and its cells. */
record ImportError(long row, String column, String code, String message, List<String> values) {

    ImportError {
        values = List.copyOf(values);
    }
}
