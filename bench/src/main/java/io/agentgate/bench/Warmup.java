package io.agentgate.bench;

import java.net.URI;
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

    private Warmup() {}

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
