package io.siyu.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.SiyuApplication;
import io.siyu.testing.TestDatabase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Identity resolution is order-independent: linking the same identity pairs in any order yields
 * the same partition of customers — the connected components of the pairs. With per-type limits
 * in play, whatever the order, no customer ever exceeds a limit, an identity of an unlimited type
 * always finds its owner, and every owner is an active customer. Runs on H2 and PostgreSQL.
 */
class IdentityResolutionPropertyIT {

    private static ConfigurableApplicationContext context;

    private static Customers customers() {
        if (context == null) {
            if (TestDatabase.isPostgres() && !TestDatabase.preparePostgres()) {
                throw new IllegalStateException("PostgreSQL not reachable for the property test");
            }
            context = new SpringApplicationBuilder(SiyuApplication.class)
                    .web(WebApplicationType.SERVLET)
                    .run("--spring.datasource.url=" + TestDatabase.url().replace("siyu-it", "siyu-prop"),
                            "--spring.datasource.username=" + TestDatabase.user(),
                            "--spring.datasource.password=" + "",
                            "--server.port=" + "0",
                            "--siyu.security.admin-password=" + "prop-admin-Pa55word",
                            "--siyu.data-dir=" + System.getProperty("java.io.tmpdir") + "/siyu-prop-" + ProcessHandle.current().pid());
        }
        return context.getBean(Customers.class);
    }

    @AfterContainer
    static void close() {
        if (context != null) {
            context.close();
            context = null;
        }
    }

    record Link(int a, int b) {
    }

    @Provide
    Arbitrary<List<Link>> links() {
        Arbitrary<Integer> index = Arbitraries.integers().between(0, 9);
        return Combinators.combine(index, index).as(Link::new).list().ofMinSize(1).ofMaxSize(14);
    }

    private static final String[] UNLIMITED = {"anonymous_id", "wecom_external_userid", "email"};

    @Property(tries = 60)
    void anyOrderOfLinksGivesTheSamePartition(@ForAll("links") List<Link> links, @ForAll Random random) {
        List<Link> shuffled = new ArrayList<>(links);
        Collections.shuffle(shuffled, random);

        Set<Set<Integer>> inOrder = partition(links, UUID.randomUUID().toString());
        Set<Set<Integer>> reordered = partition(shuffled, UUID.randomUUID().toString());

        assertThat(reordered).isEqualTo(inOrder);
        assertThat(inOrder).isEqualTo(components(links));
    }

    private Set<Set<Integer>> partition(List<Link> links, String namespace) {
        Customers service = customers();
        for (Link l : links) {
            service.identify(List.of(identity(l.a(), namespace), identity(l.b(), namespace)), CustomerTraits.NONE);
        }
        Map<Long, Set<Integer>> byCustomer = new HashMap<>();
        for (int i : used(links)) {
            long owner = service.lookup(identity(i, namespace)).orElseThrow();
            byCustomer.computeIfAbsent(owner, k -> new TreeSet<>()).add(i);
        }
        return new HashSet<>(byCustomer.values());
    }

    private static IdentityInput identity(int i, String namespace) {
        String type = UNLIMITED[i % UNLIMITED.length];
        String value = type.equals("email") ? "p" + i + "." + namespace + "@example.com" : namespace + "-" + i;
        return IdentityInput.of(type, value);
    }

    private static Set<Integer> used(List<Link> links) {
        Set<Integer> used = new TreeSet<>();
        links.forEach(l -> {
            used.add(l.a());
            used.add(l.b());
        });
        return used;
    }

    /** The expected partition: connected components of the links (union-find). */
    private static Set<Set<Integer>> components(List<Link> links) {
        int[] parent = new int[10];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        for (Link l : links) {
            parent[find(parent, l.a())] = find(parent, l.b());
        }
        Map<Integer, Set<Integer>> groups = new HashMap<>();
        for (int i : used(links)) {
            groups.computeIfAbsent(find(parent, i), k -> new TreeSet<>()).add(i);
        }
        return new HashSet<>(groups.values());
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            i = parent[i];
        }
        return i;
    }

    @Property(tries = 40)
    void limitsHoldInAnyOrder(@ForAll("links") List<Link> links, @ForAll Random random) {
        List<Link> shuffled = new ArrayList<>(links);
        Collections.shuffle(shuffled, random);
        String namespace = UUID.randomUUID().toString().substring(0, 8);
        Customers service = customers();
        Map<Integer, IdentityInput> pool = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            pool.put(i, limitedIdentity(i, namespace));
        }
        for (Link l : shuffled) {
            service.identify(List.of(pool.get(l.a()), pool.get(l.b())), CustomerTraits.NONE);
        }
        Map<Long, Map<String, Integer>> countsByCustomer = new HashMap<>();
        for (int i : used(links)) {
            IdentityInput in = pool.get(i);
            var found = service.lookup(in);
            if (in.type().equals("anonymous_id")) {
                // an unlimited identity can always be linked; a limited one may have been refused
                assertThat(found).as("owner of %s", in).isPresent();
            }
            if (found.isEmpty()) {
                continue;
            }
            long owner = found.get();
            assertThat(service.resolveId(owner)).contains(owner);
            countsByCustomer.computeIfAbsent(owner, k -> new HashMap<>()).merge(in.type(), 1, Integer::sum);
        }
        countsByCustomer.values().forEach(counts -> {
            assertThat(counts.getOrDefault("phone", 0)).isLessThanOrEqualTo(1);
            assertThat(counts.getOrDefault("wechat_unionid", 0)).isLessThanOrEqualTo(1);
        });
    }

    private static final Random PHONES = new Random();

    /** Indices 0–2 are phones, 3–5 unionids (one allowed per customer), the rest anonymous ids. */
    private static IdentityInput limitedIdentity(int i, String namespace) {
        if (i < 3) {
            return IdentityInput.of("phone", "137" + String.format("%08d", PHONES.nextInt(100_000_000)));
        }
        if (i < 6) {
            return IdentityInput.of("wechat_unionid", namespace + "-u" + i);
        }
        return IdentityInput.of("anonymous_id", namespace + "-a" + i);
    }

    /** One identification of a generated batch: one or two identities of the pool, maybe a name and a city. */
    record Step(int a, int b, String name, String city) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Integer> index = Arbitraries.integers().between(0, 9);
        Arbitrary<String> name = Arbitraries.of("安", "Bo", "Cy").injectNull(0.5);
        Arbitrary<String> city = Arbitraries.of("上海", "杭州").injectNull(0.6);
        return Combinators.combine(index, index, name, city).as(Step::new).list().ofMinSize(1).ofMaxSize(16);
    }

    /**
     * {@code identifyAll} resolves a batch as if its identifications had gone through
     * {@code identify} one after the other: same partition, same customers created, merged and
     * refused, same profiles — with limits in play and identities repeated across the batch.
     */
    @Property(tries = 50)
    void aBatchResolvesAsItsIdentificationsOneByOne(@ForAll("steps") List<Step> steps) {
        Customers service = customers();
        var tx = context.getBean(org.springframework.transaction.support.TransactionTemplate.class);
        String one = UUID.randomUUID().toString().substring(0, 8);
        String all = UUID.randomUUID().toString().substring(0, 8);
        // the same phones in both runs, so that they differ only by namespace where it matters
        List<String> phones = phones("136");
        List<Customers.Identification> byOne = batch(steps, one, phones, 0);
        List<Customers.Identification> together = batch(steps, all, phones, 1);
        List<String> expected = new ArrayList<>();
        for (Customers.Identification i : byOne) {
            expected.add(shape(service.identify(i.identities(), i.traits(), i.observedAt())));
        }
        List<String> actual = new ArrayList<>();
        tx.executeWithoutResult(s -> service.identifyAll(together).forEach(r -> actual.add(
                shape(((Customers.Identified.Resolved) r).resolution()))));
        assertThat(actual).isEqualTo(expected);
        assertThat(outcome(steps, one, phones, 0)).isEqualTo(outcome(steps, all, phones, 1));
    }

    /**
     * A batch whose identifications carry the customer their identities belong to (as the tracking
     * API's identity cache passes it) resolves as the same batch without: same outcomes, partition and
     * profiles. The hints are taken before the batch, so an earlier identification of the batch may
     * merge or update the customer a later one names.
     */
    @Property(tries = 40)
    void knownCustomersResolveAsLookedUpOnes(@ForAll("steps") List<Step> before, @ForAll("steps") List<Step> steps) {
        Customers service = customers();
        var tx = context.getBean(org.springframework.transaction.support.TransactionTemplate.class);
        String plain = UUID.randomUUID().toString().substring(0, 8);
        String told = UUID.randomUUID().toString().substring(0, 8);
        List<String> phones = phones("135");
        // the same people in both namespaces first
        tx.executeWithoutResult(s -> service.identifyAll(batch(before, plain, phones, 0)));
        tx.executeWithoutResult(s -> service.identifyAll(batch(before, told, phones, 1)));

        List<Customers.Identification> withHints = new ArrayList<>();
        for (Customers.Identification i : batch(steps, told, phones, 1)) {
            List<Long> owners = i.identities().stream().map(id -> service.lookup(id).orElse(-1L)).distinct().toList();
            Long known = owners.size() == 1 && owners.getFirst() > 0 ? owners.getFirst() : null;
            withHints.add(new Customers.Identification(i.identities(), i.traits(), i.observedAt(), known));
        }
        List<String> expected = new ArrayList<>();
        tx.executeWithoutResult(s -> service.identifyAll(batch(steps, plain, phones, 0)).forEach(r -> expected.add(
                shape(((Customers.Identified.Resolved) r).resolution()))));
        List<String> actual = new ArrayList<>();
        tx.executeWithoutResult(s -> service.identifyAll(withHints).forEach(r -> actual.add(
                shape(((Customers.Identified.Resolved) r).resolution()))));
        assertThat(actual).isEqualTo(expected);
        List<Step> all = new ArrayList<>(before);
        all.addAll(steps);
        assertThat(outcome(all, told, phones, 1)).isEqualTo(outcome(all, plain, phones, 0));
    }

    /** Three random mobile numbers with the given prefix, for {@link #stepIdentity}. */
    private static List<String> phones(String prefix) {
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            phones.add(prefix + String.format("%08d", PHONES.nextInt(100_000_000)));
        }
        return phones;
    }

    private static List<Customers.Identification> batch(List<Step> steps, String namespace, List<String> phones, int run) {
        java.time.OffsetDateTime t0 = java.time.OffsetDateTime.parse("2026-01-01T00:00:00Z");
        List<Customers.Identification> out = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            List<IdentityInput> ids = new ArrayList<>();
            ids.add(stepIdentity(s.a(), namespace, phones, run));
            ids.add(stepIdentity(s.b(), namespace, phones, run));
            CustomerTraits traits = new CustomerTraits(s.name(), null, null, null, null, null, s.city(), null, null, Map.of());
            out.add(new Customers.Identification(ids, traits, t0.plusMinutes(i)));
        }
        return out;
    }

    /** Indices 0–2 phones (the run's own), 3–5 unionids (one per customer), the rest anonymous ids. */
    private static IdentityInput stepIdentity(int i, String namespace, List<String> phones, int run) {
        if (i < 3) {
            // each run needs its own phones, or the second would find the first one's customers
            return IdentityInput.of("phone", phones.get(i).substring(0, 10) + run);
        }
        return i < 6 ? IdentityInput.of("wechat_unionid", namespace + "-u" + i)
                : IdentityInput.of("anonymous_id", namespace + "-a" + i);
    }

    private static String shape(Resolution r) {
        return r.created() + "/" + r.mergedCustomerIds().size() + "/" + r.conflicts().size();
    }

    /** Who holds which identity, and each holder's name and city, in terms of the steps' indices. */
    private Set<String> outcome(List<Step> steps, String namespace, List<String> phones, int run) {
        Customers service = customers();
        org.jooq.DSLContext db = context.getBean(org.jooq.DSLContext.class);
        Map<Long, Set<Integer>> byCustomer = new HashMap<>();
        for (Step s : steps) {
            for (int i : new int[] {s.a(), s.b()}) {
                service.lookup(stepIdentity(i, namespace, phones, run))
                        .ifPresent(c -> byCustomer.computeIfAbsent(c, k -> new TreeSet<>()).add(i));
            }
        }
        Set<String> out = new HashSet<>();
        byCustomer.forEach((c, held) -> {
            var row = db.select(org.jooq.impl.DSL.field("display_name", String.class), org.jooq.impl.DSL.field("city",
                    String.class)).from(org.jooq.impl.DSL.table("customer")).where(org.jooq.impl.DSL.field("id", Long.class)
                    .eq(c)).fetchOne();
            out.add(held + " " + row.value1() + " " + row.value2());
        });
        return out;
    }
}
