package io.agentgate.session;

import io.agentgate.chat.Cancellation;
import io.agentgate.chat.Message;
import io.agentgate.chat.Usage;
import io.agentgate.config.SessionSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session leases this instance holds. PostgreSQL is the source of truth for busy-ness (a lease in
 * the row, naming the owning instance); this class adds the local part: the {@link Heartbeat} that
 * keeps this instance live and its leases alive, and the cancellation of turns running here when
 * /stop took their lease (here, or on another instance: by notification, or at the next heartbeat).
 */
final class LeaseKeeper {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final SessionStore store;
    private final Duration leaseLength;
    /** This instance's AGENTGATE_INSTANCE_ID, recorded as every lease's owner. */
    private final String owner;
    /** This life of the instance: tells a restart (or a second process with the same id) from itself. */
    private final UUID incarnation = UUID.randomUUID();
    /** Leases held by this JVM by run id: the heartbeat's list and /stop's cancellation targets. */
    private final Map<UUID, Cancellation> localRuns = new ConcurrentHashMap<>();
    /** Set when the instance begins to stop: turns cut from then on leave their sessions suspended. */
    private volatile boolean stopping;

    LeaseKeeper(SessionStore store, SessionSettings settings, String instanceId) {
        this.store = store;
        this.leaseLength = settings.lease();
        this.owner = instanceId;
    }

    String instanceId() {
        return owner;
    }

    /** Joins the live instances; see {@link SessionStore#register}. */
    void register() {
        if (store.register(owner, incarnation, leaseLength)) {
            log.warn("Instance id {} was still live in the database: a restart within a lease after a crash,"
                    + " or another running gateway with the same AGENTGATE_INSTANCE_ID", owner);
        }
    }

    void stopping() {
        stopping = true;
    }

    /** Leaves the live instances (a clean stop). */
    void deregister() {
        store.deregister(owner, incarnation);
    }

    /** How often the {@link Heartbeat} runs: three beats per lease, so one lost beat never lets a live lease expire. */
    Duration heartbeatInterval() {
        return Duration.ofMillis(Math.max(50, leaseLength.toMillis() / 3));
    }

    /**
     * Takes the key's lease for a new run that {@code cancellation} ends on /stop (see
     * {@link SessionStore#claim}); empty when busy, or missing and not created.
     */
    Optional<Lease> claim(String key, boolean create, Cancellation cancellation) {
        return claim(key, create, cancellation, null);
    }

    /**
     * As {@link #claim(String, boolean, Cancellation)}, reading the stored conversation in the same
     * transaction, kept when {@code readConversation} accepts the claimed row (see {@link Lease#conversation()}).
     */
    Optional<Lease> claim(String key, boolean create, Cancellation cancellation,
                          Predicate<SessionState> readConversation) {
        UUID runId = UUID.randomUUID();
        Optional<SessionStore.Claimed> claimed = store.claim(key, create, runId, owner, leaseLength, readConversation,
                PromptAssembly.MEMORY_NOTES_IN_PROMPT);
        claimed.ifPresent(c -> localRuns.put(runId, cancellation));
        return claimed.map(c -> new Lease(c.state(), c.conversation(), runId));
    }

    /** /stop took this run's lease: if it runs here, it is cancelled. Returns whether it ran here. */
    boolean stopped(UUID runId) {
        Cancellation running = localRuns.get(runId);
        if (running != null) {
            running.cancel(Cancellation.Reason.STOPPED);
        }
        return running != null;
    }

    /** One held lease. Ends once: {@link #finishTurn} or {@link #release}. */
    final class Lease {

        private final SessionState state;
        private final Optional<SessionStore.StoredConversation> conversation;
        private final UUID runId;

        private Lease(SessionState state, Optional<SessionStore.StoredConversation> conversation, UUID runId) {
            this.state = state;
            this.conversation = conversation;
            this.runId = runId;
        }

        /** The session row as it was when the lease was taken. */
        SessionState state() {
            return state;
        }

        /** The stored conversation of {@link #state()}'s session, read with the claim, if it was asked for. */
        Optional<SessionStore.StoredConversation> conversation() {
            return conversation;
        }

        UUID runId() {
            return runId;
        }

        /** Appends the turn to the transcript, adds its usage and releases the lease, in one transaction. */
        void finishTurn(UUID sessionId, List<Message> messages, Usage usage) {
            localRuns.remove(runId);
            boolean stored;
            try {
                stored = store.finishTurn(state.sessionKey(), sessionId, runId, messages, usage);
            } catch (RuntimeException e) {
                // The transaction rolled back, lease included: release it now, or the client's next
                // request would find its own failed turn still running until the lease expired.
                try {
                    store.release(state.sessionKey(), runId, true, false);
                } catch (RuntimeException releaseFailed) {
                    e.addSuppressed(releaseFailed);
                }
                throw e;
            }
            if (!stored) {
                log.info("Turn of session {} not stored: it was stopped or its row was deleted meanwhile",
                        SessionKeys.redact(state.sessionKey()));
            }
        }

        /** Ends the lease without storing anything; {@code touch} counts the end as activity. */
        void release(boolean touch) {
            localRuns.remove(runId);
            store.release(state.sessionKey(), runId, touch, false);
        }

        /**
         * Ends the lease of a turn that did not complete, as activity. A turn cut by this instance
         * stopping leaves its session suspended, as a crash would.
         */
        void releaseUnfinished() {
            Cancellation cancellation = localRuns.remove(runId);
            boolean cutByShutdown = stopping || cancellation != null
                    && cancellation.reason().filter(r -> r == Cancellation.Reason.SHUTTING_DOWN).isPresent();
            store.release(state.sessionKey(), runId, true, cutByShutdown);
        }
    }

    /**
     * Keeps this instance live and its leases alive, cancels runs a /stop elsewhere took the lease from
     * (the fallback when the notification was lost), and suspends sessions left by dead instances.
     */
    final class Heartbeat implements Runnable {
        @Override
        public void run() {
            SessionStore.Heartbeat beat = store.heartbeat(owner, incarnation, List.copyOf(localRuns.keySet()),
                    leaseLength);
            for (UUID stopped : beat.stopped()) {
                if (stopped(stopped)) {
                    log.info("Run {} was stopped from another instance (seen at the heartbeat)", stopped);
                }
            }
            if (!beat.ownRow()) {
                log.error("Another running gateway uses AGENTGATE_INSTANCE_ID {}: give every instance its own id,"
                        + " or a restart of one will suspend the other's conversations", owner);
            }
            if (beat.abandonedSuspended() > 0) {
                log.info("Suspended {} session(s) whose lease expired with no live instance owning it",
                        beat.abandonedSuspended());
            }
        }
    }
}
