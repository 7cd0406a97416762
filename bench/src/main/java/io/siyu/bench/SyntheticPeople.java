package io.siyu.bench;

import io.siyu.customer.IdentityInput;
import java.util.UUID;

/**
 * Deterministic synthetic people: person {@code p} always has the same mainland mobile number,
 * WeChat unionid and anonymous id, so the loader and the measured identify calls agree on who is
 * known without keeping a million identities in memory. Values are spread with a bijective mix so
 * index inserts and lookups hit random pages, as real unionids and UUIDs do.
 */
final class SyntheticPeople {

    /** Phones are {@code 138} + eight digits of the person index. */
    static final long MAX_PEOPLE = 100_000_000L;
    /** Anonymous ids handed out on top of a person's own (a new device) are numbered from here. */
    static final long EXTRA_ANONYMOUS_BASE = 1_000_000_000_000L;

    private SyntheticPeople() {
    }

    /** The number as a user types it, national format; the app normalises it to E.164. */
    static String phoneNational(long person) {
        checkRange(person);
        String digits = Long.toString(person);
        return "138" + "0".repeat(8 - digits.length()) + digits;
    }

    static String phoneE164(long person) {
        return "+86" + phoneNational(person);
    }

    static String unionId(long person) {
        String hex = Long.toHexString(mix(person));
        return "oU" + "0".repeat(16 - hex.length()) + hex + "Bench01";
    }

    /** Slot {@code p < MAX_PEOPLE} is person p's own device; slots from EXTRA_ANONYMOUS_BASE are new ones. */
    static String anonymousId(long slot) {
        return new UUID(mix(slot), mix(slot ^ 0x5DEECE66DL)).toString();
    }

    static IdentityInput phone(long person) {
        return IdentityInput.of("phone", phoneNational(person));
    }

    static IdentityInput union(long person) {
        return IdentityInput.of("wechat_unionid", unionId(person));
    }

    static IdentityInput anonymous(long slot) {
        return IdentityInput.of("anonymous_id", anonymousId(slot));
    }

    private static void checkRange(long person) {
        if (person < 0 || person >= MAX_PEOPLE) {
            throw new IllegalArgumentException("person index out of range: " + person);
        }
    }

    /** SplitMix64's finaliser: a bijection on longs, so distinct inputs never collide. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
