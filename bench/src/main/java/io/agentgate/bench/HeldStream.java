package io.agentgate.bench;

import java.util.concurrent.Semaphore;

/**
 * One quiet SSE stream held open: when it started, how many keepalives it got, and the longest
 * silence between two of them. Jetty calls one stream's listener serially, so single-writer
 * volatile fields are enough; the checker only reads them.
 */
final class HeldStream implements SseListener {

    private final Semaphore opening;
    private final java.util.concurrent.atomic.AtomicLong windowStart;
    private boolean released;
    volatile long startedNanos;
    volatile long lastBeatNanos;
    volatile long maxGapNanos;
    /** The longest gap that lay wholly inside the current observation window. */
    volatile long windowMaxGapNanos;
    volatile int keepalives;
    volatile boolean ended;
    volatile Throwable failure;

    HeldStream(Semaphore opening, java.util.concurrent.atomic.AtomicLong windowStart) {
        this.opening = opening;
        this.windowStart = windowStart;
    }

    @Override
    public void onData(byte[] line, int from, int to) {
        if (startedNanos == 0) {
            long now = System.nanoTime();
            startedNanos = now;
            lastBeatNanos = now;
            release();
        }
    }

    @Override
    public void onComment() {
        long now = System.nanoTime();
        if (startedNanos == 0) {
            return;
        }
        long gap = now - lastBeatNanos;
        if (gap > maxGapNanos) {
            maxGapNanos = gap;
        }
        if (lastBeatNanos >= windowStart.get() && gap > windowMaxGapNanos) {
            windowMaxGapNanos = gap;
        }
        lastBeatNanos = now;
        keepalives++;
    }

    @Override
    public void onEnd(int status, Throwable failure) {
        this.failure = failure != null ? failure : new IllegalStateException("stream ended, status " + status);
        ended = true;
        release();
    }

    boolean live() {
        return startedNanos != 0 && !ended;
    }

    /** The longest silence so far, counting the one still running now. */
    long maxGapNanos(long now) {
        return live() ? Math.max(maxGapNanos, now - lastBeatNanos) : maxGapNanos;
    }

    /** The longest silence inside the window, counting the one still running now. */
    long windowMaxGapNanos(long now) {
        return live() ? Math.max(windowMaxGapNanos, now - Math.max(lastBeatNanos, windowStart.get()))
                : windowMaxGapNanos;
    }

    private void release() {
        if (!released) {
            released = true;
            opening.release();
        }
    }
}
