package io.agentgate.bench;

import java.util.concurrent.Semaphore;

/**
 * One quiet SSE stream held open: when it started, how many keepalives it got, and the longest
 * silence between two of them. Jetty calls one stream's listener serially, so single-writer
 * volatile fields are enough; the checker only reads them.
 */
final class HeldStream implements SseListener {

    private final Semaphore opening;
    private boolean released;
    volatile long startedNanos;
    volatile long lastBeatNanos;
    volatile long maxGapNanos;
    volatile int keepalives;
    volatile boolean ended;
    volatile Throwable failure;

    HeldStream(Semaphore opening) {
        this.opening = opening;
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

    private void release() {
        if (!released) {
            released = true;
            opening.release();
        }
    }
}
