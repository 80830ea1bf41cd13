package io.agentgate.testing;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * The one way tests wait for something that happens on another thread (a run ending on the agent's
 * thread a moment after the client read its answer, a tool starting): poll until the condition
 * holds or the timeout passes, then fail with what was last seen.
 */
public final class Await {

    private static final Duration POLL = Duration.ofMillis(20);

    private Await() {}

    /** Polls {@code condition} for up to {@code timeout}; fails with {@code what} when it never holds. */
    public static void until(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout.toMillis() + " ms for: " + what);
            }
            Thread.sleep(POLL);
        }
    }

    /** As {@link #until(String, Duration, Callable)} with the usual 10 s. */
    public static void until(String what, Callable<Boolean> condition) throws Exception {
        until(what, Duration.ofSeconds(10), condition);
    }
}
