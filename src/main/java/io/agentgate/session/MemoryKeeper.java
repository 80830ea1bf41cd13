package io.agentgate.session;

import io.agentgate.chat.Cancellation;
import io.agentgate.chat.ChatFailure;
import io.agentgate.chat.ContentSink;
import io.agentgate.chat.FailureKind;
import io.agentgate.chat.Message;
import io.agentgate.llm.ModelCall;
import io.agentgate.llm.ModelClient;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session memory: condenses a session's transcript, through the model, into a few notes worth
 * keeping before the session is replaced ({@link #flush}), and the background {@link Sweep} that
 * does it for sessions due for a reset that nobody accessed yet.
 */
final class MemoryKeeper {

    /** The instruction of every summarisation call (tests recognise these calls by it). */
    static final String INSTRUCTION = "[Memory flush] Condense the conversation below into at most five short,"
            + " durable notes about the user and their ongoing work that will still matter in later"
            + " conversations. Answer with the notes only, one per line.";
    /** Only the tail of a very long transcript is condensed, so the call stays within a model's context. */
    private static final int MAX_MESSAGES = 200;
    private static final int SWEEP_BATCH = 50;

    private static final Logger log = LoggerFactory.getLogger(MemoryKeeper.class);

    private final SessionStore store;
    private final LeaseKeeper leases;
    private final ResetPolicy policy;
    private final ModelClient model;
    private final String modelId;

    MemoryKeeper(SessionStore store, LeaseKeeper leases, ResetPolicy policy, ModelClient model, String modelId) {
        this.store = store;
        this.leases = leases;
        this.policy = policy;
        this.model = model;
        this.modelId = modelId;
    }

    /**
     * Condenses the memory of {@code sessionId} and stores it, unless someone else already did.
     *
     * @throws ChatFailure when the model could not condense it (nothing is stored)
     */
    void flush(String key, UUID sessionId) {
        String notes;
        try {
            notes = condense(store.transcript(sessionId));
        } catch (InterruptedException e) {
            // Not re-interrupted: the lease still has to be released over JDBC.
            throw new ChatFailure(FailureKind.CANCELLED, "The request was cancelled.", e);
        } catch (RuntimeException e) {
            // Only the exception's type at WARN: upstream messages may echo credentials.
            log.warn("Memory flush of session {} failed: {}", SessionKeys.redact(key), e.getClass().getSimpleName());
            log.debug("Memory flush failure", e);
            throw new ChatFailure(FailureKind.UPSTREAM_ERROR,
                    "The previous session could not be saved to memory; please retry.", e);
        }
        if (store.storeMemory(key, sessionId, notes)) {
            log.info("Memory of session {} ({}) flushed", SessionKeys.redact(key), sessionId);
        }
    }

    private String condense(List<Message> transcript) throws InterruptedException {
        StringBuilder text = new StringBuilder();
        for (Message m : transcript.subList(Math.max(0, transcript.size() - MAX_MESSAGES), transcript.size())) {
            if (m.content() != null && !m.content().isBlank()) {
                text.append(m.role()).append(": ").append(m.content()).append('\n');
            }
        }
        String notes = model.complete(new ModelCall(modelId, List.of(Message.system(INSTRUCTION),
                Message.user(text.toString()))), ContentSink.NONE).content();
        return notes == null || notes.isBlank() ? "(nothing durable)" : notes.strip();
    }

    /**
     * Condenses the memory of sessions due for a reset that nobody accessed yet (or whose flush a
     * restart interrupted), so the flush happens later but never never. The reset itself waits for
     * the next access. A sweep still running when the next one is due makes that one a no-op.
     */
    final class Sweep implements Runnable {

        private final AtomicBoolean sweeping = new AtomicBoolean();

        @Override
        public void run() {
            if (!sweeping.compareAndSet(false, true)) {
                return;
            }
            try {
                Instant cutoff = policy.resetCutoff(store.now());
                for (String key : store.flushCandidates(cutoff, SWEEP_BATCH)) {
                    try {
                        sweepOne(key);
                    } catch (RuntimeException e) {
                        log.warn("Memory sweep of session {} failed: {}", SessionKeys.redact(key), e.toString());
                    }
                }
            } finally {
                sweeping.set(false);
            }
        }

        private void sweepOne(String key) {
            // The lease keeps a turn out meanwhile; the heartbeat keeps it alive through a slow call.
            Optional<LeaseKeeper.Lease> claimed = leases.claim(key, false, new Cancellation());
            if (claimed.isEmpty()) {
                return;
            }
            try {
                SessionState s = claimed.get().state();
                if (s.hasActivity() && !s.memoryFlushed()
                        && policy.due(s.suspended(), s.updatedAt(), s.now()).isPresent()) {
                    flush(key, s.sessionId());
                }
            } finally {
                // Not activity: an idle session must stay idle so its reset still happens.
                claimed.get().release(false);
            }
        }
    }
}
