package io.siyu.security.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Bearer secrets (API tokens, write keys): a kind prefix and 256 random bits, stored only as their
 * SHA-256. A plain hash is enough here, unlike for passwords, because the secret has full entropy;
 * it also lets a presented secret be found by an indexed lookup.
 */
final class Secrets {

    static final String API_TOKEN = "siyu_at_";
    static final String WRITE_KEY = "siyu_wk_";

    /** How many characters of the random part are kept in clear, to tell secrets apart in lists. */
    static final int SHOWN_CHARS = 4;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern RANDOM_PART = Pattern.compile("[A-Za-z0-9_-]{43}");

    private Secrets() {
    }

    /** A new secret of the given kind: the prefix and 43 url-safe characters (32 random bytes). */
    static String generate(String kind) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return kind + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether {@code presented} has the shape of a secret of that kind (checked before any lookup). */
    static boolean looksLike(String kind, String presented) {
        return presented != null && presented.startsWith(kind)
                && RANDOM_PART.matcher(presented.substring(kind.length())).matches();
    }

    static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    /** The non-secret part shown in lists, e.g. {@code siyu_at_Ab3x}. */
    static String displayPrefix(String kind, String secret) {
        return secret.substring(0, kind.length() + SHOWN_CHARS);
    }
}
