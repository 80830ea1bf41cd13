package io.agentgate.llm;

import java.io.IOException;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An HTTP response body read line by line, as it arrives, by a thread that can give up: each read
 * waits at most the idle timeout and is interruptible, and {@link #cancel()} aborts the exchange
 * (the JDK client closes the connection). The JDK's own streaming bodies ({@code ofInputStream},
 * {@code ofLines}) block without a timeout, which is why this exists.
 *
 * <p>Lines are split here, on the bytes, each byte looked at once: the JDK's line adapter
 * ({@code BodySubscribers.fromLineSubscriber}) rescans what it holds for every buffer that arrives,
 * so one long line cost more than linear time (1 / 2 / 4 MiB: 0.57 / 1.1 / 4.0 s of CPU), and a
 * 10 MB line outlasted the idle timeout. A line longer than {@code maxLineBytes} ends the body
 * with {@link LineTooLongException}; a body that ends in the middle of a line with
 * {@link TruncatedLineException}. Bytes arriving count as activity for the idle timeout even
 * while no line is complete yet.
 *
 * <p>The reader waits without a timeout; a watchdog on a shared scheduler wakes it once the body
 * has been silent for the idle timeout. A timed wait per line, on a virtual thread, put a timer
 * into the JDK's unparker queue and took it out again for every line of every stream (strace -f at
 * concurrency 1: 666 futex calls in 2 s on the JDK's VirtualThread-unparker thread alone); the
 * watchdog is scheduled once per idle period.
 */
final class StreamingLines implements SseEvents.LineSource, BodySubscriber<StreamingLines> {

    /** A line longer than the configured maximum ({@code AGENTGATE_UPSTREAM_MAX_LINE_BYTES}). */
    static final class LineTooLongException extends IOException {
        LineTooLongException(int maxLineBytes) {
            super("upstream sent a line longer than " + maxLineBytes + " bytes");
        }
    }

    /** The body ended without a line end after its last bytes; {@link #partialLine()} holds them. */
    static final class TruncatedLineException extends IOException {
        private final String partialLine;

        TruncatedLineException(String partialLine) {
            super("upstream closed the body in the middle of a line");
            this.partialLine = partialLine;
        }

        String partialLine() {
            return partialLine;
        }
    }

    private sealed interface Signal {}

    private record Line(String text) implements Signal {}

    private record End() implements Signal {}

    private record Failed(IOException error) implements Signal {}

    /** The watchdog saw no byte for the idle timeout (checked again by the reader: bytes may have come since). */
    private record Silent() implements Signal {}

    /** Lines held ahead of the reader before no more body is requested. */
    private static final int WINDOW = 64;

    private final int maxLineBytes;
    private final ScheduledExecutorService idleWatch;
    /** The watchdog's next check, while the reader may be waiting. */
    private final AtomicReference<ScheduledFuture<?>> watchdog = new AtomicReference<>();
    private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
    /** True while a {@code request(1)} is outstanding: at most one, whichever thread asks. */
    private final AtomicBoolean demand = new AtomicBoolean();
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;
    private volatile boolean ended;
    /** The body's last byte arrived (or it failed): the exchange is over and there is nothing to abort. */
    private volatile boolean complete;
    private volatile long lastBytesNanos = System.nanoTime();

    // The line being assembled: touched by the subscriber's (serial) callbacks only.
    private byte[] partial = new byte[256];
    private int partialLength;
    private boolean afterCarriageReturn;

    StreamingLines(int maxLineBytes, ScheduledExecutorService idleWatch) {
        this.maxLineBytes = maxLineBytes;
        this.idleWatch = idleWatch;
    }

    /**
     * A body handler whose body is available as soon as the headers are (lines follow later);
     * {@code idleWatch} runs the idle-timeout watchdogs (short tasks).
     */
    static BodyHandler<StreamingLines> handler(int maxLineBytes, ScheduledExecutorService idleWatch) {
        return info -> new StreamingLines(maxLineBytes, idleWatch);
    }

    /**
     * The next line, or null once the body has ended. At most {@link #WINDOW} lines are held ahead
     * of the reader, so a slow reader slows the upstream instead of buffering without bound.
     *
     * @throws HttpTimeoutException when no byte arrived within {@code idleTimeout}
     * @throws IOException when the connection failed mid-body, a line was too long or cut short
     */
    @Override
    public String next(Duration idleTimeout) throws InterruptedException, IOException {
        Signal signal = signals.poll();
        while (signal == null || signal instanceof Silent) {
            if (signal != null && System.nanoTime() - lastBytesNanos >= idleTimeout.toNanos()) {
                throw new HttpTimeoutException("no data from upstream for " + idleTimeout);
            }
            armWatchdog(idleTimeout);
            signal = signals.take();
        }
        return switch (signal) {
            case Silent silent -> throw new IllegalStateException("handled above");
            case Line line -> {
                if (signals.size() < WINDOW) {
                    requestMore();
                }
                yield line.text();
            }
            case End end -> {
                signals.add(end);
                yield null;
            }
            case Failed failed -> {
                signals.add(failed);
                throw failed.error();
            }
        };
    }

    /** True when a line (or the end of the body) is waiting to be read. */
    @Override
    public boolean hasBuffered() {
        return !signals.isEmpty();
    }

    /** Makes sure a watchdog will wake the reader once the body has been silent for {@code idleTimeout}. */
    private void armWatchdog(Duration idleTimeout) {
        if (watchdog.get() == null && !ended) {
            long due = Math.max(0, lastBytesNanos + idleTimeout.toNanos() - System.nanoTime());
            ScheduledFuture<?> check;
            try {
                check = idleWatch.schedule(() -> watch(idleTimeout), due, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closed) {
                // The client is closing (its exchanges are aborted too): the reader must not wait for ever.
                end(new Failed(new IOException("the upstream client is closed")));
                return;
            }
            if (!watchdog.compareAndSet(null, check)) {
                check.cancel(false);
            }
        }
    }

    private void stopWatchdog() {
        ScheduledFuture<?> check = watchdog.getAndSet(null);
        if (check != null) {
            check.cancel(false);
        }
    }

    /** The watchdog's check: a reader waiting on a silent body is woken; otherwise checked again later. */
    private void watch(Duration idleTimeout) {
        watchdog.set(null);
        if (ended || cancelled) {
            return;
        }
        if (System.nanoTime() - lastBytesNanos >= idleTimeout.toNanos() && signals.isEmpty()) {
            signals.add(new Silent());
        } else {
            armWatchdog(idleTimeout);
        }
    }

    /** Reads the rest of the body (an error body, usually small), keeping at most {@code maxChars}. */
    String readRest(Duration idleTimeout, int maxChars) throws InterruptedException, IOException {
        StringBuilder text = new StringBuilder();
        try {
            for (String line; (line = next(idleTimeout)) != null; ) {
                if (text.length() < maxChars) {
                    text.append(line).append('\n');
                }
            }
        } catch (TruncatedLineException e) {
            // An error body need not end with a line end.
            text.append(e.partialLine());
        }
        return text.length() > maxChars ? text.substring(0, maxChars) : text.toString();
    }

    /**
     * Stops reading and aborts the exchange. Safe to call at any time and more than once; nothing
     * to do once the body is complete (aborting a finished exchange still cost the JDK client an
     * exception per call: 5,847 of them in one bench run).
     */
    void cancel() {
        cancelled = true;
        stopWatchdog();
        Flow.Subscription s = subscription;
        if (s != null && !complete) {
            s.cancel();
        }
    }

    /** True once the body ended (its last byte arrived, or it failed). */
    boolean isComplete() {
        return complete;
    }

    @Override
    public CompletionStage<StreamingLines> getBody() {
        return CompletableFuture.completedFuture(this);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (cancelled) {
            s.cancel();
        } else {
            requestMore();
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        lastBytesNanos = System.nanoTime();
        for (ByteBuffer buffer : buffers) {
            if (!split(buffer)) {
                return;
            }
        }
        demand.set(false);
        if (signals.size() < WINDOW) {
            requestMore();
        }
    }

    @Override
    public void onError(Throwable error) {
        complete = true;
        end(new Failed(error instanceof IOException io ? io : new IOException(error)));
    }

    @Override
    public void onComplete() {
        complete = true;
        if (partialLength > 0) {
            end(new Failed(new TruncatedLineException(new String(partial, 0, partialLength, StandardCharsets.UTF_8))));
        } else {
            end(new End());
        }
    }

    /** Splits one buffer into lines (CR, LF or CRLF ends a line, as in SSE); false once the body failed. */
    private boolean split(ByteBuffer buffer) {
        if (ended) {
            return false;
        }
        int start = buffer.position();
        int limit = buffer.limit();
        for (int i = start; i < limit; i++) {
            byte b = buffer.get(i);
            if (b != '\n' && b != '\r') {
                continue;
            }
            if (b == '\n' && afterCarriageReturn && i == start && partialLength == 0) {
                // The LF of a CRLF whose CR ended the previous buffer.
                afterCarriageReturn = false;
                start = i + 1;
                continue;
            }
            if (!append(buffer, start, i)) {
                return false;
            }
            signals.add(new Line(new String(partial, 0, partialLength, StandardCharsets.UTF_8)));
            partialLength = 0;
            if (b == '\r' && i + 1 < limit && buffer.get(i + 1) == '\n') {
                i++;
            }
            afterCarriageReturn = b == '\r' && i + 1 == limit;
            start = i + 1;
        }
        if (start < limit) {
            afterCarriageReturn = false;
        }
        return append(buffer, start, limit);
    }

    /** Adds bytes [from, to) of the buffer to the line being assembled; false when it grew too long. */
    private boolean append(ByteBuffer buffer, int from, int to) {
        int length = to - from;
        if (length == 0) {
            return true;
        }
        if ((long) partialLength + length > maxLineBytes) {
            end(new Failed(new LineTooLongException(maxLineBytes)));
            cancel();
            return false;
        }
        if (partialLength + length > partial.length) {
            partial = Arrays.copyOf(partial, (int) Math.min(maxLineBytes, Math.max(partial.length * 2L,
                    (long) partialLength + length)));
        }
        buffer.get(from, partial, partialLength, length);
        partialLength += length;
        return true;
    }

    private void end(Signal last) {
        if (!ended) {
            ended = true;
            stopWatchdog();
            partial = new byte[0];
            partialLength = 0;
            signals.add(last);
        }
    }

    private void requestMore() {
        Flow.Subscription s = subscription;
        if (s != null && !ended && !cancelled && demand.compareAndSet(false, true)) {
            s.request(1);
        }
    }
}
