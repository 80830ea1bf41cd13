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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session leases this JVM holds. PostgreSQL is the source of truth for busy-ness (a lease in the
 * row); this class adds the local part: the {@link Heartbeat} that keeps live leases alive, and the
 * cancellation of turns running here when /stop took their lease (here or on another instance).
 */
final class LeaseKeeper {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final SessionStore store;
    private final Duration leaseLength;
    private final String owner = ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    /** Leases held by this JVM by run id: the heartbeat's list and /stop's cancellation targets. */
    private final Map<UUID, Cancellation> localRuns = new ConcurrentHashMap<>();

    LeaseKeeper(SessionStore store, SessionSettings settings) {
        this.store = store;
        this.leaseLength = settings.lease();
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
        UUID runId = UUID.randomUUID();
        Optional<SessionState> state = store.claim(key, create, runId, owner, leaseLength);
        state.ifPresent(s -> localRuns.put(runId, cancellation));
        return state.map(s -> new Lease(s, runId));
    }

    /** /stop took this run's lease: if it runs here, it is cancelled. */
    void stopped(UUID runId) {
        Cancellation running = localRuns.get(runId);
        if (running != null) {
            running.cancel(Cancellation.Reason.STOPPED);
        }
    }

    /** One held lease. Ends once: {@link #finishTurn} or {@link #release}. */
    final class Lease {

        private final SessionState state;
        private final UUID runId;

        private Lease(SessionState state, UUID runId) {
            this.state = state;
            this.runId = runId;
        }

        /** The session row as it was when the lease was taken. */
        SessionState state() {
            return state;
        }

        UUID runId() {
            return runId;
        }

        /** Appends the turn to the transcript, adds its usage and releases the lease, in one transaction. */
        void finishTurn(UUID sessionId, List<Message> messages, Usage usage) {
            localRuns.remove(runId);
            if (!store.finishTurn(state.sessionKey(), sessionId, runId, messages, usage)) {
                log.info("Turn of session {} not stored: it was stopped or its row was deleted meanwhile",
                        SessionKeys.redact(state.sessionKey()));
            }
        }

        /** Ends the lease without storing anything; {@code touch} counts the end as activity. */
        void release(boolean touch) {
            localRuns.remove(runId);
            store.release(state.sessionKey(), runId, touch);
        }
    }

    /** Keeps this instance's leases alive and cancels runs a /stop elsewhere took the lease from. */
    final class Heartbeat implements Runnable {
        @Override
        public void run() {
            for (UUID stopped : store.heartbeat(List.copyOf(localRuns.keySet()), leaseLength)) {
                if (localRuns.containsKey(stopped)) {
                    log.info("Run {} was stopped from another instance", stopped);
                    stopped(stopped);
                }
            }
        }
    }
}
