package io.siyu.platform;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Opaque cursors for keyset paging. A cursor carries the sort it was made for and the sort key
 * of the last row returned, so a cursor from another sort is refused rather than misread.
 */
public final class Cursors {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    private Cursors() {
    }

    public static String encode(String sort, List<String> values) {
        String raw = sort + "\n" + String.join("\n", values);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The key values of a cursor made for {@code sort}; a 400 {@code invalid-cursor} otherwise. */
    public static List<String> decode(String cursor, String sort, int expectedValues) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            List<String> parts = List.of(raw.split("\n", -1));
            if (parts.size() != expectedValues + 1 || !parts.getFirst().equals(sort)) {
                throw SiyuException.badRequest("invalid-cursor");
            }
            return parts.subList(1, parts.size());
        } catch (IllegalArgumentException e) {
            throw SiyuException.badRequest("invalid-cursor");
        }
    }

    /** The single number a cursor of {@code sort} carries (an id), or a 400 {@code invalid-cursor}. */
    public static long decodeLong(String cursor, String sort) {
        try {
            return Long.parseLong(decode(cursor, sort, 1).getFirst());
        } catch (NumberFormatException e) {
            throw SiyuException.badRequest("invalid-cursor");
        }
    }

    /**
     * A page of ids from a query that asked for {@code limit + 1}: the first {@code limit}, and a
     * cursor carrying the last one when there were more.
     */
    public static Page<String> idPage(List<Long> idsPlusOne, int limit, String sort) {
        List<Long> ids = idsPlusOne.size() > limit ? idsPlusOne.subList(0, limit) : idsPlusOne;
        String next = idsPlusOne.size() > limit ? encode(sort, List.of(String.valueOf(ids.getLast()))) : null;
        return new Page<>(ids.stream().map(String::valueOf).toList(), next);
    }

    public static int limit(Integer requested) {
        if (requested == null) {
            return DEFAULT_LIMIT;
        }
        if (requested < 1 || requested > MAX_LIMIT) {
            throw SiyuException.badRequest("invalid-limit", MAX_LIMIT);
        }
        return requested;
    }
}
