package io.siyu.bench;

import io.siyu.customer.CustomerTraits;
import io.siyu.customer.Customers;
import io.siyu.customer.IdentityInput;
import io.siyu.customer.Resolution;
import io.siyu.demo.DemoPerson;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The measured work: threads calling {@link Customers#identify} with three identities each. With
 * probability {@code newRatio} a person never loaded (the next demo person after the loaded ones:
 * up to three of their identities, topped up with new anonymous ids: a create); otherwise a random
 * loaded demo person seen again, regenerated on demand: one or two of their identities picked at
 * random, plus new anonymous ids (a new device: a link). Known identities are already the
 * customer's and anonymous ids are unlimited, so no call should merge or end in a conflict.
 */
final class IdentifyWorkload {

    private final Customers customers;
    private final DemoPeopleIndex loaded;
    private final DemoPeopleIndex people;
    private final double newRatio;
    private final AtomicLong nextPerson;
    private final AtomicLong nextExtraAnonymous;

    /**
     * @param loaded              people {@code 0..loaded.count()-1}, loaded as customers {@code 1..loaded.count()}
     * @param people              the same generator, larger: new people are taken from it
     * @param firstNewPerson      the first person index of {@code people} never used before (new people count up)
     * @param firstExtraAnonymous the first extra anonymous-id slot never used before
     */
    IdentifyWorkload(Customers customers, DemoPeopleIndex loaded, DemoPeopleIndex people, double newRatio,
            long firstNewPerson, long firstExtraAnonymous) {
        this.customers = customers;
        this.loaded = loaded;
        this.people = people;
        this.newRatio = newRatio;
        this.nextPerson = new AtomicLong(firstNewPerson);
        this.nextExtraAnonymous = new AtomicLong(firstExtraAnonymous);
    }

    /** What one bounded run measured. Latencies are sorted, in nanoseconds. */
    record Result(int threads, long ops, double seconds, long created, long linked, long merged, long conflicts,
            long wrongCustomer, long errors, String firstError, long[] latencies) {

        double perSecond() {
            return ops / seconds;
        }

        double percentileMillis(double p) {
            if (latencies.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(p / 100.0 * latencies.length);
            return latencies[Math.max(0, Math.min(latencies.length - 1, rank - 1))] / 1e6;
        }
    }

    /** Runs until {@code maxOps} identify calls were made or {@code maxSeconds} passed, on {@code threads} threads. */
    Result run(int threads, long maxOps, double maxSeconds, long seed) throws InterruptedException {
        AtomicLong issued = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + (long) (maxSeconds * 1e9);
        Worker[] workers = new Worker[threads];
        Thread[] running = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Worker(new SplittableRandom(seed * 31 + i), issued, maxOps, deadline);
            running[i] = Thread.ofPlatform().name("identify-" + i).start(workers[i]);
        }
        for (Thread t : running) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long created = 0, linked = 0, merged = 0, conflicts = 0, wrong = 0, errors = 0;
        String firstError = null;
        int total = 0;
        for (Worker w : workers) {
            created += w.created;
            linked += w.linked;
            merged += w.merged;
            conflicts += w.conflicts;
            wrong += w.wrongCustomer;
            errors += w.errors;
            firstError = firstError != null ? firstError : w.firstError;
            total += w.count;
        }
        long[] all = new long[total];
        int at = 0;
        for (Worker w : workers) {
            System.arraycopy(w.latencies, 0, all, at, w.count);
            at += w.count;
        }
        Arrays.sort(all);
        return new Result(threads, total, seconds, created, linked, merged, conflicts, wrong, errors, firstError, all);
    }

    private final class Worker implements Runnable {
        private final SplittableRandom random;
        private final AtomicLong issued;
        private final long maxOps;
        private final long deadline;
        private long[] latencies = new long[4096];
        private int count;
        private long created, linked, merged, conflicts, wrongCustomer, errors;
        private String firstError;

        Worker(SplittableRandom random, AtomicLong issued, long maxOps, long deadline) {
            this.random = random;
            this.issued = issued;
            this.maxOps = maxOps;
            this.deadline = deadline;
        }

        @Override
        public void run() {
            while (issued.getAndIncrement() < maxOps && System.nanoTime() < deadline) {
                List<IdentityInput> inputs = new ArrayList<>(3);
                long expected = plan(inputs);
                long t0 = System.nanoTime();
                try {
                    Resolution r = customers.identify(inputs, CustomerTraits.NONE);
                    record(System.nanoTime() - t0);
                    if (r.created()) {
                        created++;
                    } else if (!r.mergedCustomerIds().isEmpty()) {
                        merged++;
                    } else {
                        linked++;
                    }
                    if (!r.conflicts().isEmpty()) {
                        conflicts++;
                    }
                    if (expected > 0 && r.customerId() != expected) {
                        wrongCustomer++;
                    }
                } catch (RuntimeException e) {
                    record(System.nanoTime() - t0);
                    errors++;
                    if (firstError == null) {
                        firstError = e.toString();
                    }
                }
            }
        }

        /** Fills in the identities of one call; returns the customer id it must resolve to, or 0 for a new person. */
        private long plan(List<IdentityInput> inputs) {
            if (random.nextDouble() < newRatio) {
                long index = nextPerson.getAndIncrement();
                if (index >= people.count()) {
                    throw new IllegalStateException("out of new demo people");
                }
                List<IdentityInput> own = people.person((int) index).identities();
                inputs.addAll(own.subList(0, Math.min(3, own.size())));
                addNewDevices(inputs);
                return 0;
            }
            int index = random.nextInt(loaded.count());
            DemoPerson person = loaded.person(index);
            List<IdentityInput> own = new ArrayList<>(person.identities());
            int known = Math.min(own.size(), 1 + random.nextInt(2));
            for (int k = 0; k < known; k++) {
                inputs.add(own.remove(random.nextInt(own.size())));
            }
            addNewDevices(inputs);
            return index + 1L;
        }

        private void addNewDevices(List<IdentityInput> inputs) {
            while (inputs.size() < 3) {
                long slot = nextExtraAnonymous.getAndIncrement();
                inputs.add(IdentityInput.of("anonymous_id", new UUID(mix(slot), mix(slot ^ 0x5DEECE66DL)).toString()));
            }
        }

        private void record(long nanos) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
        }
    }

    /** SplitMix64's finaliser: a bijection on longs, so distinct slots give distinct, well-spread ids. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
