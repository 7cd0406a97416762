package io.siyu.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the CPU went while something ran: the machine's busy time (Linux {@code /proc/stat}; every
 * process: this JVM with server and clients, PostgreSQL, the rest), this JVM's CPU time, and its JIT
 * compilers' CPU time. Per event, these compare runs on hosts of different speed better than rates do.
 */
final class CpuMeter {

    private static final Path STAT = Path.of("/proc/stat");

    private final long startNanos;
    private final long[] machine;
    private final long jvmNanos;
    private final long jitMillis;

    private CpuMeter() {
        startNanos = System.nanoTime();
        machine = machine();
        jvmNanos = jvmCpuNanos();
        jitMillis = jitMillis();
    }

    static CpuMeter start() {
        return new CpuMeter();
    }

    /** What was used since {@link #start}, for {@code events} events. */
    Use stop(long events) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long[] now = machine();
        double busyCores = -1;
        double idleCores = -1;
        if (machine != null && now != null) {
            long busy = (now[0] - machine[0]);
            long all = (now[1] - machine[1]);
            double ticks = 100.0; // USER_HZ on Linux
            busyCores = busy / ticks / seconds;
            idleCores = (all - busy) / ticks / seconds;
        }
        double jvmCores = (jvmCpuNanos() - jvmNanos) / 1e9 / seconds;
        double jitCores = (jitMillis() - jitMillis) / 1e3 / seconds;
        return new Use(seconds, events, busyCores, idleCores, jvmCores, jitCores);
    }

    record Use(double seconds, long events, double busyCores, double idleCores, double jvmCores, double jitCores) {

        double jitPercentOfCore() {
            return 100 * jitCores;
        }

        private double perEvent(double cores) {
            return events == 0 ? 0 : cores * seconds * 1e6 / events;
        }

        String describe() {
            String machine = busyCores < 0 ? "machine: unknown (no /proc/stat)"
                    : String.format("machine busy %.2f cores, idle %.2f: %.1f µs of CPU per event", busyCores, idleCores,
                            perEvent(busyCores));
            String rest = busyCores < 0 ? "" : String.format("; everything else (PostgreSQL, …) %.1f µs",
                    perEvent(busyCores - jvmCores));
            return String.format("CPU during the measured run: %s; this JVM (server and clients) %.2f cores, %.1f µs per "
                    + "event, of it JIT compilers %.1f µs%s", machine, jvmCores, perEvent(jvmCores), perEvent(jitCores),
                    rest);
        }
    }

    /** Busy and total ticks of all CPUs, or null off Linux. */
    private static long[] machine() {
        try {
            String[] f = Files.readAllLines(STAT).getFirst().trim().split("\\s+");
            long user = Long.parseLong(f[1]);
            long nice = Long.parseLong(f[2]);
            long system = Long.parseLong(f[3]);
            long idle = Long.parseLong(f[4]);
            long iowait = Long.parseLong(f[5]);
            long irq = Long.parseLong(f[6]);
            long softirq = Long.parseLong(f[7]);
            long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
            long busy = user + nice + system + irq + softirq;
            return new long[] {busy, busy + idle + iowait + steal};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long jvmCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /**
     * CPU milliseconds of this JVM's JIT compiler threads ({@code /proc/self/task/<tid>/stat} of the
     * threads named {@code C1/C2 CompilerThre...}; a compiler thread that ended took its time along).
     * The {@code CompilationMXBean} total is elapsed compile time instead, which counts waiting for a
     * core as compiling: with two benchmarks sharing the cores it came out above the whole JVM's CPU.
     * Off Linux that total is the fallback.
     */
    private static long jitMillis() {
        Path tasks = Path.of("/proc/self/task");
        if (Files.isDirectory(tasks)) {
            long ticks = 0;
            try (var threads = Files.list(tasks)) {
                for (Path t : (Iterable<Path>) threads::iterator) {
                    try {
                        String stat = Files.readString(t.resolve("stat"));
                        int open = stat.indexOf('(');
                        int close = stat.lastIndexOf(')');
                        if (!stat.substring(open + 1, close).contains("CompilerThre")) {
                            continue;
                        }
                        // after the name: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
                        String[] f = stat.substring(close + 2).split(" ");
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    } catch (IOException | RuntimeException threadEnded) {
                        // the thread ended while being read
                    }
                }
                return ticks * 10; // USER_HZ ticks of 10 ms
            } catch (IOException | RuntimeException e) {
                // fall back below
            }
        }
        var jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }
}
