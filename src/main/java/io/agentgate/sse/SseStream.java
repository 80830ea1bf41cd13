package io.agentgate.sse;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Server-Sent Events response that owns its {@link AsyncContext} until {@link #close()}.
 * Writers (the agent thread, the keepalive sweep, the terminal frame) take one lock, so their bytes
 * never interleave. A failed write means the client is gone: the stream closes itself and runs the
 * disconnect callback once (which cancels the agent).
 */
public final class SseStream {

    private static final Logger log = LoggerFactory.getLogger(SseStream.class);
    private static final byte[] KEEPALIVE = ": keepalive\n\n".getBytes(StandardCharsets.UTF_8);

    private final AsyncContext async;
    private final ServletOutputStream out;
    // A ReentrantLock rather than synchronized: writers may be virtual threads blocked on I/O.
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean disconnected = new AtomicBoolean();
    private final AtomicBoolean keepaliveQueued = new AtomicBoolean();
    private volatile long lastWriteNanos = System.nanoTime();
    private volatile Runnable onDisconnect = () -> {};

    private SseStream(AsyncContext async, ServletOutputStream out) {
        this.async = async;
        this.out = out;
    }

    /**
     * Sets the SSE headers (plus any already-resolved extra headers such as CORS) and flushes them,
     * committing the response. Nothing can be added to the headers after this.
     */
    public static SseStream open(AsyncContext async, Map<String, String> extraHeaders) throws IOException {
        HttpServletResponse response = (HttpServletResponse) async.getResponse();
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        extraHeaders.forEach(response::setHeader);
        // No response buffer: every write here is one whole event followed by a flush, so a buffer
        // would only add a copy, and the container keeps it for the life of the response. Jetty's is
        // a 32 KiB direct buffer: 10k quiet streams held 320 MiB of direct memory for nothing (the
        // gateway ran out of it at ~13k streams under -Xmx512m).
        response.setBufferSize(1024);
        SseStream stream = new SseStream(async, response.getOutputStream());
        response.flushBuffer();
        return stream;
    }

    /** What to do once when the client turns out to be gone. */
    public void onDisconnect(Runnable callback) {
        this.onDisconnect = callback;
    }

    /** Writes one {@code data:} event. Returns false when the client is gone or the stream closed. */
    public boolean data(String payload) {
        return data(payload, true);
    }

    /**
     * Writes one {@code data:} event; without {@code flush} it may wait in the response buffer until
     * the next flushing write (or until the buffer fills).
     */
    public boolean data(String payload, boolean flush) {
        return write(("data: " + payload + "\n\n").getBytes(StandardCharsets.UTF_8), true, flush);
    }

    /** Sends whatever earlier writes left in the response buffer. */
    public boolean flush() {
        return write(new byte[0], true, true);
    }

    /**
     * Writes a keepalive comment unless a writer is busy right now (then the stream is not quiet).
     */
    public boolean keepalive() {
        try {
            return write(KEEPALIVE, false, true);
        } finally {
            keepaliveQueued.set(false);
        }
    }

    /**
     * Reserves this stream's one queued keepalive; false while one is already waiting to be written.
     * The caller that gets true must run {@link #keepalive()}, which releases it.
     */
    public boolean claimKeepalive() {
        return keepaliveQueued.compareAndSet(false, true);
    }

    public long nanosSinceLastWrite() {
        return System.nanoTime() - lastWriteNanos;
    }

    public boolean isOpen() {
        return !closed.get();
    }

    /** Ends the response. Safe to call more than once and from any thread. */
    public void close() {
        writeLock.lock();
        try {
            if (closed.compareAndSet(false, true)) {
                try {
                    async.complete();
                } catch (IllegalStateException e) {
                    log.debug("async context already completed", e);
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Marks the client gone (async error or timeout reported by the container). */
    public void clientGone() {
        closed.set(true);
        fireDisconnect();
    }

    private boolean write(byte[] bytes, boolean waitForLock, boolean flush) {
        if (closed.get()) {
            return false;
        }
        if (waitForLock) {
            writeLock.lock();
        } else if (!writeLock.tryLock()) {
            return true;
        }
        try {
            if (closed.get()) {
                return false;
            }
            out.write(bytes);
            if (flush) {
                out.flush();
            }
            if (bytes.length > 0) {
                lastWriteNanos = System.nanoTime(); // a bare flush says nothing new: not activity
            }
            return true;
        } catch (IOException | IllegalStateException e) {
            log.debug("SSE write failed; client gone", e);
            closed.set(true);
        } finally {
            writeLock.unlock();
        }
        fireDisconnect();
        completeQuietly();
        return false;
    }

    private void fireDisconnect() {
        if (disconnected.compareAndSet(false, true)) {
            onDisconnect.run();
        }
    }

    private void completeQuietly() {
        try {
            async.complete();
        } catch (RuntimeException e) {
            log.debug("async complete after client loss", e);
        }
    }
}
