package io.agentgate.session;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The local grip on one running turn. Only the agent phase is interruptible: a stop or a client
 * loss interrupts the thread while it waits on the model, never while it talks to the database.
 */
final class RunHandle {

    private final ReentrantLock lock = new ReentrantLock();
    private Thread agentThread;
    private boolean stopped;
    private boolean cancelled;

    <T> T runAgent(SessionTurn.AgentCall<T> call) throws InterruptedException {
        lock.lock();
        try {
            if (stopped || cancelled) {
                throw new InterruptedException("stopped before the agent started");
            }
            agentThread = Thread.currentThread();
        } finally {
            lock.unlock();
        }
        try {
            return call.run();
        } finally {
            lock.lock();
            try {
                agentThread = null;
            } finally {
                lock.unlock();
            }
        }
    }

    /** /stop: the run ends as cancelled and the client is told it was stopped. */
    void stop() {
        interrupt(true);
    }

    /** The client is gone: the run ends quietly. */
    void cancel() {
        interrupt(false);
    }

    boolean stopped() {
        lock.lock();
        try {
            return stopped;
        } finally {
            lock.unlock();
        }
    }

    private void interrupt(boolean byStop) {
        lock.lock();
        try {
            if (byStop) {
                stopped = true;
            } else {
                cancelled = true;
            }
            if (agentThread != null) {
                agentThread.interrupt();
            }
        } finally {
            lock.unlock();
        }
    }
}
