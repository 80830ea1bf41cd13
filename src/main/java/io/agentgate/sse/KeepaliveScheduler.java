package io.agentgate.sse;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps quiet SSE streams alive through proxies. One shared scheduled sweep looks at every open
 * stream and hands a {@code : keepalive} write to the writer executor for each stream that has
 * been silent for the interval, so no thread is parked per stream and a slow client cannot stall
 * the sweep.
 */
public final class KeepaliveScheduler implements AutoCloseable {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(KeepaliveScheduler.class);

    private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();
    private final long intervalNanos;
    private final Executor writers;
    private final ScheduledFuture<?> sweep;

    public KeepaliveScheduler(ScheduledExecutorService scheduler, Executor writers, Duration interval) {
        this.intervalNanos = interval.toNanos();
        this.writers = writers;
        // A quarter of the interval bounds the longest silence at 1.25 intervals.
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(10), intervalNanos / 4);
        this.sweep = scheduler.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.NANOSECONDS);
    }

    public void register(SseStream stream) {
        streams.add(stream);
    }

    public void unregister(SseStream stream) {
        streams.remove(stream);
    }

    public int openStreams() {
        return streams.size();
    }

    private void sweep() {
        // An exception escaping a periodic task would cancel it silently, ending all keepalives.
        try {
            for (SseStream stream : streams) {
                if (!stream.isOpen()) {
                    streams.remove(stream);
                } else if (stream.nanosSinceLastWrite() >= intervalNanos) {
                    writers.execute(stream::keepalive);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Keepalive sweep failed; will retry on the next tick", e);
        }
    }

    @Override
    public void close() {
        sweep.cancel(false);
        streams.clear();
    }
}
