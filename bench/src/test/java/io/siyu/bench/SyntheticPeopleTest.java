package io.siyu.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SyntheticPeopleTest {

    @Test
    void phonesAreMainlandMobilesNumberedByPerson() {
        assertEquals("13800000000", SyntheticPeople.phoneNational(0));
        assertEquals("+8613801000000", SyntheticPeople.phoneE164(1_000_000));
        assertEquals("13899999999", SyntheticPeople.phoneNational(SyntheticPeople.MAX_PEOPLE - 1));
        assertThrows(IllegalArgumentException.class, () -> SyntheticPeople.phoneNational(SyntheticPeople.MAX_PEOPLE));
    }

    @Test
    void identitiesAreStableAndDistinct() {
        assertEquals(SyntheticPeople.unionId(42), SyntheticPeople.unionId(42));
        assertEquals(SyntheticPeople.anonymousId(42), SyntheticPeople.anonymousId(42));
        assertNotEquals(SyntheticPeople.anonymousId(42), SyntheticPeople.anonymousId(SyntheticPeople.EXTRA_ANONYMOUS_BASE + 42));
        Set<String> unionIds = new HashSet<>();
        Set<String> anonymousIds = new HashSet<>();
        LongStream.range(0, 100_000).forEach(p -> {
            unionIds.add(SyntheticPeople.unionId(p));
            anonymousIds.add(SyntheticPeople.anonymousId(p));
            anonymousIds.add(SyntheticPeople.anonymousId(SyntheticPeople.EXTRA_ANONYMOUS_BASE + p));
        });
        assertEquals(100_000, unionIds.size());
        assertEquals(200_000, anonymousIds.size());
        assertEquals(25, SyntheticPeople.unionId(7).length());
    }
}
