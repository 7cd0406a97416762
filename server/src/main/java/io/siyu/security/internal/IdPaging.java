package io.siyu.security.internal;

import io.siyu.platform.Cursors;
import io.siyu.platform.Page;
import io.siyu.platform.SiyuException;
import java.util.List;
import java.util.function.ToLongFunction;

/** Keyset paging by id, shared by this module's lists (users, API tokens, write keys). */
final class IdPaging {

    private IdPaging() {
    }

    /** The id a page continues from, or {@code null} for the first page. */
    static Long start(String cursor, String sort) {
        if (cursor == null) {
            return null;
        }
        try {
            return Long.parseLong(Cursors.decode(cursor, sort, 1).getFirst());
        } catch (NumberFormatException e) {
            throw SiyuException.badRequest("invalid-cursor");
        }
    }

    /** A page from up to {@code size + 1} rows: the extra row only tells that there is a next page. */
    static <T> Page<T> page(List<T> rows, int size, ToLongFunction<T> id, String sort) {
        if (rows.size() <= size) {
            return new Page<>(rows, null);
        }
        List<T> items = rows.subList(0, size);
        return new Page<>(items, Cursors.encode(sort, List.of(String.valueOf(id.applyAsLong(items.getLast())))));
    }
}
