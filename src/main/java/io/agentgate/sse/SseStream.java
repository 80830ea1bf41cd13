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
 * One Server-Sent Events response that owns its {@link AsyncContext} until it closes. It ends one
 * way, {@link #close()}, whoever ends it: the last frame was written, a write failed because the
 * client is gone, or the container reported the connection lost. The {@link #onClose} callback runs
 * exactly once on every ending (as Javalin's {@code SseClient.onClose}). Writers (the turn's thread,
 * the keepalive sweep) take one lock, so their bytes never interleave; the protocol on top is
 * {@link ChunkStream}'s.
 */
public final class SseStream {

    private static final Logger log = LoggerFactory.getLogger(SseStream.class);
    private static final byte[] KEEPALIVE = ": keepalive\n\n".getBytes(StandardCharsets.UTF_8);

    private final AsyncContext async;
    private final ServletOutputStream out;
    // A ReentrantLock rather than synchronized: writers may be virtual threads blocked on I/O.
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean closeCallbackRan = new AtomicBoolean();
    private final AtomicBoolean keepaliveQueued = new AtomicBoolean();
    private volatile long lastWriteNanos = System.nanoTime();
    private volatile Runnable onClose;

    private SseStream(AsyncContext async, ServletOutputStream out) {
        this.async = async;
        this.out = out;
    }

    /**
     * Sets the SSE headers (plus any already-resolved extra headers such as the session's) and
     * flushes them, committing the response. Nothing can be added to the headers after this.
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

    /**
     * What to do once when the stream ends, however it ends. Registered after the stream already
     * ended, it runs at once.
     */
    public void onClose(Runnable callback) {
        this.onClose = callback;
        if (closed.get()) {
            runCloseCallback();
        }
    }

    /**
     * Ends the response. Safe to call more than once and from any thread. The close callback runs
     * before the response completes: when the container reports a lost client while a writer is
     * stuck on it, the turn is cancelled at once instead of after that write gives up.
     */
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        runCloseCallback();
        writeLock.lock(); // a write in progress finishes (or fails) before the response completes
        try {
            async.complete();
        } catch (RuntimeException e) {
            log.debug("async context already completed", e);
        } finally {
            writeLock.unlock();
        }
    }

    boolean isOpen() {
        return !closed.get();
    }

    /**
     * Writes one {@code data:} event; without {@code flush} it may wait in the response buffer until
     * the next flushing write (or until the buffer fills).
     */
    boolean data(String payload, boolean flush) {
        return write(("data: " + payload + "\n\n").getBytes(StandardCharsets.UTF_8), true, flush);
    }

    /** Sends whatever earlier writes left in the response buffer. */
    boolean flush() {
        return write(new byte[0], true, true);
    }

    /** Writes a keepalive comment unless a writer is busy right now (then the stream is not quiet). */
    boolean keepalive() {
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
    boolean claimKeepalive() {
        return keepaliveQueued.compareAndSet(false, true);
    }

    long nanosSinceLastWrite() {
        return System.nanoTime() - lastWriteNanos;
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
        } finally {
            writeLock.unlock();
        }
        close();
        return false;
    }

    private void runCloseCallback() {
        Runnable callback = onClose;
        if (callback != null && closeCallbackRan.compareAndSet(false, true)) {
            callback.run();
        }
    }
}
