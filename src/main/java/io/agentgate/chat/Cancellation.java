package io.agentgate.chat;

import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one way to cancel a turn. Every route (the client went away, /stop here or on another
 * instance, the gateway shutting down, a deadline) calls {@link #cancel} with its reason; the first
 * reason wins and later ones are ignored, like okhttp-sse's {@code EventSource.cancel()}. The one
 * place that ends the turn reads {@link #reason()}.
 *
 * <p>Only the work run through {@link #interruptibly} is interrupted (the agent waiting on the model
 * or a tool), never the database work around it: the interrupt is delivered only while that work
 * runs, and any interrupt left over is cleared when it returns.
 */
public final class Cancellation {

    /** Why a turn was cancelled. */
    public enum Reason {
        /** The client disconnected: nobody is there to read the answer. */
        CLIENT_GONE,
        /** /stop (or {@code POST /v1/sessions/{key}/stop}) ended the session's running turn. */
        STOPPED,
        /** The gateway is stopping. */
        SHUTTING_DOWN,
        /** The turn ran past a deadline. */
        TIMED_OUT
    }

    /** Work that an interrupt may end. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws InterruptedException;
    }

    // A ReentrantLock rather than synchronized: the worker is a virtual thread.
    private final ReentrantLock lock = new ReentrantLock();
    private Reason reason;
    private Thread worker;

    /**
     * Cancels with this reason unless already cancelled, interrupting the interruptible work if it
     * runs now. Returns true when this call cancelled.
     */
    public boolean cancel(Reason why) {
        lock.lock();
        try {
            if (reason != null) {
                return false;
            }
            reason = why;
            if (worker != null) {
                worker.interrupt();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    public Optional<Reason> reason() {
        lock.lock();
        try {
            return Optional.ofNullable(reason);
        } finally {
            lock.unlock();
        }
    }

    public boolean isCancelled() {
        return reason().isPresent();
    }

    /**
     * Runs {@code work} on the calling thread so that {@link #cancel} interrupts it.
     *
     * @throws InterruptedException when cancelled before or while it runs
     */
    public <T> T interruptibly(Work<T> work) throws InterruptedException {
        lock.lock();
        try {
            if (reason != null) {
                throw new InterruptedException("cancelled before it started: " + reason);
            }
            worker = Thread.currentThread();
        } finally {
            lock.unlock();
        }
        try {
            return work.run();
        } finally {
            lock.lock();
            try {
                worker = null;
                // A cancel that raced the end of the work must not break what the thread does next
                // (the session and runs writes: an interrupted virtual thread closes its socket).
                Thread.interrupted();
            } finally {
                lock.unlock();
            }
        }
    }
}
