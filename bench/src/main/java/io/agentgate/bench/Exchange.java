package io.agentgate.bench;

import java.util.concurrent.CountDownLatch;

/**
 * One request as the load client sees it on the wire: when it was due (the scheduled send time, so
 * an open-loop run counts the time a request waited behind others), its first content frame, the
 * arrival of every content frame when asked to keep them, and its end. Jetty calls one exchange's
 * listener serially; the fields are read after {@code done} counted down.
 */
class Exchange implements SseListener {

    final long dueNanos;
    private final CountDownLatch done;
    private final long[] frameNanos;
    volatile long firstContentNanos;
    volatile long endNanos;
    volatile int contentFrames;
    volatile int status;
    volatile Throwable failure;

    /** {@code keepFrames}: how many content frame arrival times to keep (0 for none). */
    Exchange(long dueNanos, CountDownLatch done, int keepFrames) {
        this.dueNanos = dueNanos;
        this.done = done;
        this.frameNanos = new long[keepFrames];
    }

    @Override
    public void onData(byte[] line, int from, int to) {
        if (SseParser.hasContent(line, from, to)) {
            long now = System.nanoTime();
            if (firstContentNanos == 0) {
                firstContentNanos = now;
            }
            if (contentFrames < frameNanos.length) {
                frameNanos[contentFrames] = now;
            }
            contentFrames++;
        }
    }

    @Override
    public void onEnd(int status, Throwable failure) {
        this.endNanos = System.nanoTime();
        this.status = status;
        this.failure = failure;
        done.countDown();
    }

    /** Ended with 200 and no failure; a streaming exchange must also have carried content. */
    boolean ok(boolean streaming) {
        return endNanos != 0 && failure == null && status == 200 && (!streaming || firstContentNanos != 0);
    }

    double totalMicros() {
        return (endNanos - dueNanos) / 1e3;
    }

    double firstContentMicros() {
        return (firstContentNanos - dueNanos) / 1e3;
    }

    /** Gaps between consecutive kept content frames, in microseconds. */
    double[] frameGapsMicros() {
        int n = Math.min(contentFrames, frameNanos.length);
        double[] gaps = new double[Math.max(0, n - 1)];
        for (int i = 1; i < n; i++) {
            gaps[i - 1] = (frameNanos[i] - frameNanos[i - 1]) / 1e3;
        }
        return gaps;
    }

    String describeFailure() {
        return "status " + status + " " + (failure == null ? "no content" : Format.brief(failure));
    }
}
