package io.agentgate.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The one way to cancel a turn: first reason wins, only the interruptible work is interrupted. */
class CancellationTest {

    @Test
    void theFirstReasonWinsAndLaterOnesAreIgnored() {
        Cancellation cancellation = new Cancellation();
        assertEquals(Optional.empty(), cancellation.reason());

        assertTrue(cancellation.cancel(Cancellation.Reason.STOPPED));
        assertFalse(cancellation.cancel(Cancellation.Reason.CLIENT_GONE));

        assertEquals(Optional.of(Cancellation.Reason.STOPPED), cancellation.reason());
        assertTrue(cancellation.isCancelled());
    }

    @Test
    void cancellingInterruptsTheWorkRunningInterruptibly() throws Exception {
        Cancellation cancellation = new Cancellation();
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<Boolean> worker = CompletableFuture.supplyAsync(() -> {
            try {
                cancellation.interruptibly(() -> {
                    running.countDown();
                    Thread.sleep(Duration.ofMinutes(1));
                    return null;
                });
                return false;
            } catch (InterruptedException e) {
                return !Thread.currentThread().isInterrupted(); // the flag does not outlive the work
            }
        });
        assertTrue(running.await(5, TimeUnit.SECONDS));

        cancellation.cancel(Cancellation.Reason.CLIENT_GONE);

        assertTrue(worker.get(5, TimeUnit.SECONDS), "interrupted, and the interrupt flag cleared afterwards");
    }

    @Test
    void workNeverStartsOnceCancelled() {
        Cancellation cancellation = new Cancellation();
        cancellation.cancel(Cancellation.Reason.SHUTTING_DOWN);
        boolean[] ran = {false};

        assertThrows(InterruptedException.class, () -> cancellation.interruptibly(() -> ran[0] = true));
        assertFalse(ran[0]);
    }

    @Test
    void aCancelAfterTheWorkEndedInterruptsNothing() throws Exception {
        Cancellation cancellation = new Cancellation();
        assertEquals("done", cancellation.interruptibly(() -> "done"));

        cancellation.cancel(Cancellation.Reason.STOPPED);

        assertFalse(Thread.currentThread().isInterrupted());
    }
}
