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
}
