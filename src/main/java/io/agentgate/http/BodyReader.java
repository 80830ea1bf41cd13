package io.agentgate.http;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a request body with the Servlet non-blocking API under a deadline, so a client sending its
 * body slowly holds no container thread: bytes are taken as the container reports them ready, and
 * a body not complete when the deadline passes is answered 408 (the connection is closed). 250
 * clients at 1 byte/s used to park 237 Jetty threads and starve {@code /health}.
 *
 * <p>Exactly one of three endings happens: the whole body is handed on (on a container thread,
 * with the request in asynchronous mode), or the request is refused (413, 408, a read error), or
 * the client is gone. Whoever is handed the body owns the {@link AsyncContext} from then on.
 */
final class BodyReader implements ReadListener {

    private static final Logger log = LoggerFactory.getLogger(BodyReader.class);

    /** What is done with a complete body; runs on a container thread. */
    interface Continuation {
        void accept(AsyncContext async, byte[] body);

        /** The body will not come (refused, timed out, client gone); the request is answered or abandoned. */
        void abandoned();
    }

    /** The limits every body is read under. */
    record Limits(long maxBytes, Duration timeout, ScheduledExecutorService scheduler) {}

    private final AsyncContext async;
    private final ServletInputStream in;
    private final Limits limits;
    private final ErrorMapper errors;
    private final Continuation continuation;
    private final ByteArrayOutputStream buffer;
    private final byte[] chunk = new byte[8192];
    private final AtomicBoolean settled = new AtomicBoolean();
    private volatile ScheduledFuture<?> deadline;

    private BodyReader(AsyncContext async, ServletInputStream in, Limits limits, ErrorMapper errors,
                       Continuation continuation, int expected) {
        this.async = async;
        this.in = in;
        this.limits = limits;
        this.errors = errors;
        this.continuation = continuation;
        this.buffer = new ByteArrayOutputStream(expected);
    }

    /**
     * Starts reading the body of {@code request}; returns at once. The request is put in
     * asynchronous mode (no container timeout: the deadline here is the only one).
     */
    static void read(HttpServletRequest request, Limits limits, ErrorMapper errors, Continuation continuation)
            throws IOException {
        long declared = request.getContentLengthLong();
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        if (declared > limits.maxBytes()) {
            continuation.abandoned();
            Responses.refuse(async, errors.requestTooLarge(limits.maxBytes()));
            return;
        }
        int expected = (int) Math.max(0, Math.min(declared, 64 * 1024));
        BodyReader reader = new BodyReader(async, request.getInputStream(), limits, errors, continuation, expected);
        try {
            reader.deadline = limits.scheduler().schedule(reader::expire, limits.timeout().toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            continuation.abandoned();
            Responses.refuse(async, errors.shuttingDown());
            return;
        }
        reader.in.setReadListener(reader);
    }

    @Override
    public void onDataAvailable() throws IOException {
        while (!settled.get() && in.isReady()) {
            int n = in.read(chunk);
            if (n < 0) {
                return;
            }
            if (buffer.size() + n > limits.maxBytes()) {
                refuse(errors.requestTooLarge(limits.maxBytes()));
                return;
            }
            buffer.write(chunk, 0, n);
        }
    }

    @Override
    public void onAllDataRead() {
        if (settle()) {
            continuation.accept(async, buffer.toByteArray());
        }
    }

    @Override
    public void onError(Throwable error) {
        if (abandon()) {
            // Mostly a client that went away mid-body; nobody is left to answer.
            log.debug("request body could not be read", error);
            closeConnection();
            async.complete();
        }
    }

    private void expire() {
        if (abandon()) {
            log.debug("request body not complete after {}; answering 408", limits.timeout());
            closeConnection();
            Responses.refuse(async, errors.requestTimeout(limits.timeout()));
        }
    }

    private void refuse(HttpError error) {
        if (abandon()) {
            closeConnection();
            Responses.refuse(async, error);
        }
    }

    /** The rest of an unread body must not be taken for the next request on this connection. */
    private void closeConnection() {
        try {
            ((HttpServletResponse) async.getResponse()).setHeader("Connection", "close");
        } catch (IllegalStateException committed) {
            log.trace("response already committed", committed);
        }
    }

    private boolean settle() {
        if (!settled.compareAndSet(false, true)) {
            return false;
        }
        ScheduledFuture<?> d = deadline;
        if (d != null) {
            d.cancel(false);
        }
        return true;
    }

    /** Settles as a body that will not come; true when this call settled it. */
    private boolean abandon() {
        if (!settle()) {
            return false;
        }
        continuation.abandoned();
        return true;
    }
}
