package io.agentgate.llm;

import java.io.IOException;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP response body read line by line, as it arrives, by a thread that can give up: each read
 * waits at most the idle timeout and is interruptible, and {@link #cancel()} aborts the exchange
 * (the JDK client closes the connection). The JDK's own streaming bodies ({@code ofInputStream},
 * {@code ofLines}) block without a timeout, which is why this exists.
 */
final class StreamingLines implements SseEvents.LineSource {

    private sealed interface Signal {}

    private record Line(String text) implements Signal {}

    private record End() implements Signal {}

    private record Failed(Throwable error) implements Signal {}

    /** Lines requested ahead of the reader. */
    private static final int WINDOW = 64;

    private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;

    /** A body handler whose body is available as soon as the headers are (lines follow later). */
    static BodyHandler<StreamingLines> handler() {
        return info -> {
            StreamingLines lines = new StreamingLines();
            return new Body(lines, BodySubscribers.fromLineSubscriber(lines.new Sink()));
        };
    }

    /**
     * The next line, or null once the body has ended. At most {@link #WINDOW} lines are requested
     * ahead of the reader, so a slow reader slows the upstream instead of buffering without bound,
     * while a fast upstream is not handed over line by line (two thread hand-offs per SSE event).
     *
     * @throws HttpTimeoutException when nothing arrived within {@code idleTimeout}
     * @throws IOException when the connection failed mid-body
     */
    @Override
    public String next(Duration idleTimeout) throws InterruptedException, IOException {
        Signal signal = signals.poll(idleTimeout.toNanos(), TimeUnit.NANOSECONDS);
        if (signal == null) {
            throw new HttpTimeoutException("no data from upstream for " + idleTimeout);
        }
        return switch (signal) {
            case Line line -> {
                subscription.request(1);
                yield line.text();
            }
            case End end -> {
                signals.add(end);
                yield null;
            }
            case Failed failed -> {
                signals.add(failed);
                throw failed.error() instanceof IOException io ? io : new IOException(failed.error());
            }
        };
    }

    /** True when a line (or the end of the body) is waiting to be read. */
    @Override
    public boolean hasBuffered() {
        return !signals.isEmpty();
    }

    /** Reads the rest of the body (an error body, usually small), keeping at most {@code maxChars}. */
    String readRest(Duration idleTimeout, int maxChars) throws InterruptedException, IOException {
        StringBuilder text = new StringBuilder();
        for (String line; (line = next(idleTimeout)) != null; ) {
            if (text.length() < maxChars) {
                text.append(line).append('\n');
            }
        }
        return text.length() > maxChars ? text.substring(0, maxChars) : text.toString();
    }

    /** Stops reading and aborts the exchange. Safe to call at any time and more than once. */
    void cancel() {
        cancelled = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }

    /** Receives the lines split by the JDK's line adapter. */
    private final class Sink implements Flow.Subscriber<String> {
        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (cancelled) {
                s.cancel();
            } else {
                s.request(WINDOW);
            }
        }

        @Override
        public void onNext(String line) {
            signals.add(new Line(line));
        }

        @Override
        public void onError(Throwable error) {
            signals.add(new Failed(error));
        }

        @Override
        public void onComplete() {
            signals.add(new End());
        }
    }

    /** Completes the response with this object at once instead of at the end of the body. */
    private record Body(StreamingLines lines, BodySubscriber<Void> delegate) implements BodySubscriber<StreamingLines> {
        @Override
        public CompletionStage<StreamingLines> getBody() {
            return CompletableFuture.completedFuture(lines);
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            delegate.onSubscribe(s);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            delegate.onNext(item);
        }

        @Override
        public void onError(Throwable error) {
            delegate.onError(error);
        }

        @Override
        public void onComplete() {
            delegate.onComplete();
        }
    }
}
