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
    private final long dueAfterNanos;
    private final Executor writers;
    private final ScheduledFuture<?> sweep;

    public KeepaliveScheduler(ScheduledExecutorService scheduler, Executor writers, Duration interval) {
        this.writers = writers;
        long intervalNanos = interval.toNanos();
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(10), intervalNanos / 4);
        // A stream is due one sweep period before the interval runs out, so that the sweep's own
        // granularity never makes a silence longer than the interval; only the write's latency can.
        this.dueAfterNanos = Math.max(0, intervalNanos - period);
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
                } else if (stream.nanosSinceLastWrite() >= dueAfterNanos && stream.claimKeepalive()) {
                    // At most one keepalive per stream in flight: when writes are slow (a loaded
                    // box, 10k streams), re-dispatching every sweep would pile up tasks and make
                    // every write slower still.
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
