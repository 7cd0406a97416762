package io.siyu.demo.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.customer.IdentityInput;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DemoBrandTest {

    private static final OffsetDateTime END = OffsetDateTime.of(2026, 11, 25, 12, 0, 0, 0, ZoneOffset.UTC);

    @Test
    void theSameSeedGivesTheSameTouches() {
        List<DemoBrand.Touch> a = new DemoBrand(42, 500, END).touches();
        List<DemoBrand.Touch> b = new DemoBrand(42, 500, END).touches();
        List<DemoBrand.Touch> c = new DemoBrand(43, 500, END).touches();
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void touchesSpanTwelveMonthsInTimeOrder() {
        List<DemoBrand.Touch> touches = new DemoBrand(7, 2000, END).touches();
        assertThat(touches).isSortedAccordingTo(java.util.Comparator.comparing(DemoBrand.Touch::at));
        assertThat(touches.getFirst().at()).isBefore(END.minusDays(300));
        assertThat(touches.getLast().at()).isBeforeOrEqualTo(END);
        assertThat(touches.stream().map(DemoBrand.Touch::person).distinct().count()).isEqualTo(2000);
    }

    @Test
    void channelsOverlapSoThatIdentitiesTieThemTogether() {
        List<DemoBrand.Touch> touches = new DemoBrand(7, 2000, END).touches();
        Map<String, Long> bySource = touches.stream().filter(t -> t.traits().source() != null)
                .collect(Collectors.groupingBy(t -> t.traits().source(), Collectors.counting()));
        assertThat(bySource.keySet()).contains("wecom", "miniapp", "official_account", "pos", "web");
        assertThat(bySource.get("wecom")).isGreaterThan(bySource.get("pos"));
        // people seen on several channels, with a unionid or phone on more than one touch
        Map<Integer, Set<String>> linking = touches.stream().collect(Collectors.groupingBy(DemoBrand.Touch::person,
                Collectors.flatMapping(t -> t.identities().stream().filter(i -> i.type().equals("wechat_unionid")
                        || i.type().equals("phone")).map(IdentityInput::value), Collectors.toSet())));
        long multiChannel = touches.stream().collect(Collectors.groupingBy(DemoBrand.Touch::person, Collectors.counting()))
                .values().stream().filter(n -> n > 1).count();
        assertThat(multiChannel).isGreaterThan(600);
        assertThat(linking.values().stream().filter(s -> !s.isEmpty()).count()).isGreaterThan(1000);
        // every WeCom touch is served by a staff member
        assertThat(touches.stream().filter(t -> "wecom".equals(t.traits().source())).allMatch(t -> t.staff() >= 0)).isTrue();
        // identifiers are unique per person: no two people share a phone
        Map<String, Set<Integer>> phoneOwners = touches.stream().flatMap(t -> t.identities().stream()
                .filter(i -> i.type().equals("phone")).map(i -> Map.entry(i.value(), t.person())))
                .collect(Collectors.groupingBy(Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toSet())));
        assertThat(phoneOwners.values()).allMatch(s -> s.size() == 1);
        assertThat(new HashSet<>(phoneOwners.keySet())).hasSizeGreaterThan(1000);
    }

    @Test
    void theSameGeneratorGivesFullyResolvedPeopleAtAnyScale() {
        var people = io.siyu.demo.DemoData.people(7, 3000, END).toList();
        assertThat(people).hasSize(3000);
        assertThat(people).allSatisfy(p -> {
            assertThat(p.identities()).isNotEmpty();
            assertThat(p.identities().stream().filter(i -> i.type().equals("phone")).count()).isLessThanOrEqualTo(1);
            assertThat(p.identities()).noneMatch(i -> i.value().equals("undefined"));
            assertThat(p.traits().source()).isNotNull();
        });
        // the resolved person holds exactly the identities of their touches (less junk and a changed phone)
        DemoBrand brand = new DemoBrand(7, 3000, END);
        for (int i = 0; i < 50; i++) {
            Set<String> fromTouches = brand.touchesOf(i).stream().flatMap(t -> t.identities().stream())
                    .filter(x -> !x.value().equals("undefined") && !x.type().equals("phone"))
                    .map(x -> x.type() + x.appId() + x.value()).collect(Collectors.toSet());
            Set<String> resolved = people.get(i).identities().stream().filter(x -> !x.type().equals("phone"))
                    .map(x -> x.type() + x.appId() + x.value()).collect(Collectors.toSet());
            assertThat(resolved).isEqualTo(fromTouches);
        }
        // identities never collide between people, so a bulk load needs no resolution
        Set<String> all = new HashSet<>();
        people.forEach(p -> p.identities().forEach(x -> assertThat(all.add(x.type() + "|" + x.appId() + "|" + x.value()))
                .as("unique %s", x).isTrue()));
    }
}
