package io.agentgate.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Warms a JIT the way the published benchmarks do before they measure: {@code requests} requests
 * (at least 10,000) at a fixed concurrency, cycling through the bodies the scenarios will send, so
 * every path they time has been compiled. Nothing here is a measurement.
 */
final class Warmup {

    static final int MIN_REQUESTS = 10_000;
    /** Requests per round once the minimum is done. */
    static final int ROUND = 2_000;
    /** No more than this many in all, settled or not. */
    static final int MAX_REQUESTS = 60_000;
    /** The JIT counts as settled when its compiler threads used less than this share of a round's time. */
    static final double SETTLED_COMPILE_SHARE = 0.05;

    private Warmup() {}

    /**
     * At least {@code minRequests}, then rounds of {@value #ROUND} until the target JVM's JIT
     * compiler threads are quiet ({@value #SETTLED_COMPILE_SHARE} of a round's wall time or less), at
     * most {@value #MAX_REQUESTS} in all. 10,000 alone was not enough here: a method called once per
     * request reaches C2 only after 5,000-15,000 calls, later still while the compile queue is long,
     * and perf showed the gateway's C2 thread at 57% of its CPU during the concurrency-1 measurement
     * that followed. Returns what was sent and how it ended, for the log.
     */
    static String untilSettled(LoadClient client, URI uri, List<String> bodies, int minRequests, int concurrency,
                               long pid) throws InterruptedException {
        int sent = 0;
        int failed = run(client, uri, bodies, minRequests, concurrency);
        sent += minRequests;
        double share = Double.NaN;
        while (sent < MAX_REQUESTS) {
            long compileBefore = compilerCpuNanos(pid);
            long start = System.nanoTime();
            failed += run(client, uri, bodies, ROUND, concurrency);
            sent += ROUND;
            long compileAfter = compilerCpuNanos(pid);
            if (compileBefore < 0 || compileAfter < 0) {
                break; // cannot tell: the minimum it is
            }
            share = (compileAfter - compileBefore) / (double) (System.nanoTime() - start);
            if (share <= SETTLED_COMPILE_SHARE) {
                break;
            }
        }
        return sent + " requests (" + failed + " failed), JIT compiler share of the last round "
                + (Double.isNaN(share) ? "unknown" : Math.round(share * 1000) / 10.0 + "%");
    }

    /** CPU time of the JVM's JIT compiler threads so far (Linux /proc), or -1 when it cannot be read. */
    static long compilerCpuNanos(long pid) {
        if (pid <= 0) {
            return -1;
        }
        long ticks = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (!Files.readString(task.resolve("comm")).contains("CompilerThre")) {
                        continue;
                    }
                    String stat = Files.readString(task.resolve("stat"));
                    // Fields after the ")" that closes the name: state is field 3, utime 14, stime 15.
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                } catch (IOException | RuntimeException gone) {
                    // a compiler thread that ended meanwhile
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return ticks * 10_000_000L; // USER_HZ is 100 on Linux
    }

    /** Returns how many of the requests failed (they warm nothing but are reported). */
    static int run(LoadClient client, URI uri, List<String> bodies, int requests, int concurrency)
            throws InterruptedException {
        Semaphore slots = new Semaphore(concurrency);
        CountDownLatch done = new CountDownLatch(requests);
        AtomicInteger failed = new AtomicInteger();
        for (int i = 0; i < requests; i++) {
            slots.acquire();
            client.stream(uri, bodies.get(i % bodies.size()), new SseListener() {
                @Override
                public void onEnd(int status, Throwable failure) {
                    if (status != 200 || failure != null) {
                        failed.incrementAndGet();
                    }
                    slots.release();
                    done.countDown();
                }
            });
        }
        if (!done.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("warm-up of " + uri + " did not finish in 5 minutes");
        }
        return failed.get();
    }
}
