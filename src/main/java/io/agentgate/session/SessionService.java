package io.agentgate.session;

import io.agentgate.chat.Cancellation;
import io.agentgate.chat.ChatFailure;
import io.agentgate.chat.FailureKind;
import io.agentgate.chat.Message;
import io.agentgate.config.SessionSettings;
import io.agentgate.llm.ModelClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable sessions; the entry point of this package for everything the gateway does with a session
 * key: begin a turn or carry out a command, stop, reset, show. PostgreSQL is the source of truth
 * (continuity, suspension, resets, memory, busy-ness). The jobs behind it: {@link PromptAssembly}
 * builds the agent's conversation, {@link MemoryKeeper} condenses memory (and sweeps), and
 * {@link LeaseKeeper} holds this JVM's leases (heartbeat, local stops).
 */
public final class SessionService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SessionService.class);

    private final SessionStore store;
    private final SessionSettings settings;
    private final ResetPolicy policy;
    private final LeaseKeeper leases;
    private final MemoryKeeper memory;
    private final PromptAssembly prompts;
    private final List<ScheduledFuture<?>> schedules = new ArrayList<>();

    /**
     * Starts the background tasks on {@code scheduler} (as HikariCP's HouseKeeper): each tick hands
     * its task to {@code workers}, so a slow database or model call never holds the scheduler thread.
     */
    public SessionService(DataSource dataSource, ModelClient model, String modelId, SessionSettings settings,
                          ScheduledExecutorService scheduler, Executor workers) {
        this.store = new SessionStore(dataSource);
        this.settings = settings;
        this.policy = new ResetPolicy(settings);
        this.leases = new LeaseKeeper(store, settings);
        this.memory = new MemoryKeeper(store, leases, policy, model, modelId);
        this.prompts = new PromptAssembly(store);
        long beat = leases.heartbeatInterval().toMillis();
        schedules.add(scheduler.scheduleWithFixedDelay(new OnWorkers(leases.new Heartbeat(), workers), beat, beat,
                TimeUnit.MILLISECONDS));
        long sweep = settings.memorySweep().toMillis();
        schedules.add(scheduler.scheduleWithFixedDelay(new OnWorkers(memory.new Sweep(), workers), sweep, sweep,
                TimeUnit.MILLISECONDS));
    }

    /**
     * Start-up: sessions touched within the suspend window were probably in flight when the gateway
     * went down; resuming a stuck conversation blindly can loop forever, so they start fresh.
     */
    public int suspendRecentlyActive() {
        int count = store.suspendRecentlyActive(settings.suspendWindow());
        log.info("Suspended {} session(s) active within {} s before start-up", count,
                settings.suspendWindow().toSeconds());
        return count;
    }

    /**
     * Begins a request of a session: a command carried out, or a turn holding the session's lease
     * that {@code cancellation} ends on /stop.
     *
     * @throws MissingNewInputException when the messages do not end with user input
     * @throws SessionBusyException     when another turn of the key runs
     * @throws ChatFailure              when the previous session's memory could not be condensed
     */
    public SessionStart begin(String key, List<Message> requestMessages, Cancellation cancellation)
            throws SessionBusyException, MissingNewInputException {
        SessionInput input = SessionInput.of(requestMessages);
        if (input.command().isPresent()) {
            return switch (input.command().get()) {
                case STOP -> {
                    boolean stopped = stop(key);
                    yield new SessionStart.Stopped(key, stopped, store.find(key).map(SessionState::sessionId));
                }
                case RESET -> new SessionStart.Reset(key, resetOnRequest(key, true).orElseThrow().sessionId());
            };
        }
        return startTurn(key, input, cancellation);
    }

    /** /stop: cancels the key's running turn (here, or on another instance at its next heartbeat). */
    public boolean stop(String key) {
        Optional<UUID> stopped = store.stop(key);
        stopped.ifPresent(leases::stopped);
        stopped.ifPresent(run -> log.info("Force-stopped session {} (run {}); suspended",
                SessionKeys.redact(key), run));
        return stopped.isPresent();
    }

    /**
     * Starts a fresh session on request (/new, /reset, DELETE), condensing the old one's memory
     * first. Empty when the key has no session and {@code create} is false.
     */
    public Optional<SessionState> resetOnRequest(String key, boolean create) throws SessionBusyException {
        if (!create && store.find(key).isEmpty()) {
            return Optional.empty();
        }
        LeaseKeeper.Lease lease = leases.claim(key, true, new Cancellation())
                .orElseThrow(() -> new SessionBusyException(key));
        try {
            resetNow(lease.state(), lease.runId(), ResetReason.MANUAL);
        } finally {
            lease.release(true);
        }
        return store.find(key);
    }

    public Optional<SessionState> find(String key) {
        return store.find(key);
    }

    private SessionTurn startTurn(String key, SessionInput input, Cancellation cancellation)
            throws SessionBusyException {
        LeaseKeeper.Lease lease = leases.claim(key, true, cancellation)
                .orElseThrow(() -> new SessionBusyException(key));
        try {
            SessionState state = lease.state();
            Optional<ResetReason> performed = policy.due(state.suspended(), state.updatedAt(), state.now());
            UUID sessionId = performed.isPresent() ? resetNow(state, lease.runId(), performed.get()) : state.sessionId();
            Optional<ResetReason> lastReset = performed.isPresent() ? performed : state.lastResetReason();
            List<Message> conversation = prompts.conversation(key, sessionId, lastReset, input);
            // Suspended sessions always notify; idle and daily resets only when something was lost.
            Optional<ResetReason> announced = performed.filter(r -> r == ResetReason.SUSPENDED || state.hasActivity());
            return new SessionTurn(lease, sessionId, input.newInput(), conversation, performed, announced);
        } catch (RuntimeException e) {
            lease.release(false);
            throw e;
        }
    }

    /**
     * Replaces the session id, after condensing the old session's memory unless that already
     * happened (memory_flushed survives a restart, so a flush is never repeated).
     */
    private UUID resetNow(SessionState state, UUID runId, ResetReason reason) {
        if (state.hasActivity() && !state.memoryFlushed()) {
            memory.flush(state.sessionKey(), state.sessionId());
        }
        UUID fresh = UUID.randomUUID();
        if (!store.reset(state.sessionKey(), runId, fresh, reason, state.hasActivity())) {
            throw new ChatFailure(FailureKind.CANCELLED, "The session was stopped while it was being reset.", null);
        }
        log.info("Session {} reset ({}): {} -> {}", SessionKeys.redact(state.sessionKey()), reason.code(),
                state.sessionId(), fresh);
        return fresh;
    }

    @Override
    public void close() {
        schedules.forEach(s -> s.cancel(false));
    }

    /** A scheduler tick that runs its task on the worker executor, logging what it throws. */
    private record OnWorkers(Runnable task, Executor workers) implements Runnable {
        @Override
        public void run() {
            try {
                workers.execute(() -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        log.warn("Session maintenance ({}) failed: {}", task.getClass().getSimpleName(), e.toString());
                        log.debug("Session maintenance failure", e);
                    }
                });
            } catch (RejectedExecutionException e) {
                log.debug("Session maintenance skipped: executor shut down");
            }
        }
    }
}
