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
 * builds the agent's conversation, {@link MemoryKeeper} condenses memory (and sweeps),
 * {@link LeaseKeeper} holds this instance's leases (heartbeat, local stops), and {@link StopListener}
 * brings stops made on other instances.
 */
public final class SessionService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SessionService.class);

    private final SessionStore store;
    private final SessionSettings settings;
    private final ResetPolicy policy;
    private final LeaseKeeper leases;
    private final MemoryKeeper memory;
    private final PromptAssembly prompts;
    private final StopListener stopListener;
    private final List<ScheduledFuture<?>> schedules = new ArrayList<>();

    /**
     * Joins the live instances as {@code instanceId} and starts the background tasks on
     * {@code scheduler} (as HikariCP's HouseKeeper): each tick hands its task to {@code workers}, so a
     * slow database or model call never holds the scheduler thread. {@code listenerSource} gives the
     * {@link StopListener} its own connection (never a pooled one: it is held for the instance's life).
     */
    public SessionService(DataSource dataSource, DataSource listenerSource, String instanceId, ModelClient model,
                          String modelId, SessionSettings settings, ScheduledExecutorService scheduler,
                          Executor workers) {
        this.store = new SessionStore(dataSource);
        this.settings = settings;
        this.policy = new ResetPolicy(settings);
        this.leases = new LeaseKeeper(store, settings, instanceId);
        this.memory = new MemoryKeeper(store, leases, policy, model, modelId);
        this.prompts = new PromptAssembly(store);
        LeaseKeeper.Heartbeat heartbeat = leases.new Heartbeat();
        this.stopListener = new StopListener(listenerSource, this::stoppedElsewhere,
                () -> workers.execute(heartbeat), leases.heartbeatInterval());
        long beat = leases.heartbeatInterval().toMillis();
        schedules.add(scheduler.scheduleWithFixedDelay(new OnWorkers(heartbeat, workers), beat, beat,
                TimeUnit.MILLISECONDS));
        long sweep = settings.memorySweep().toMillis();
        schedules.add(scheduler.scheduleWithFixedDelay(new OnWorkers(memory.new Sweep(), workers), sweep, sweep,
                TimeUnit.MILLISECONDS));
    }

    /**
     * Start-up, before any request: a conversation whose turn was lost must start fresh (resuming a
     * stuck conversation blindly can loop forever), but never one a live instance is running. Suspends
     * the sessions whose lease was abandoned (in flight on this instance when it went down, or expired
     * with no live owner) and, when no other instance is live, every session touched within the
     * suspend window (the rule from before replicas: their owner cannot be told apart).
     */
    public StartupSuspension suspendAtStartup() {
        // Joins the live instances and listens for stops only now: the database may come up long after
        // this service was built.
        leases.register();
        stopListener.start();
        StartupSuspension done = store.suspendAtStartup(leases.instanceId(), settings.suspendWindow());
        if (done.alone()) {
            log.info("Start-up as instance {}, alone on the database: suspended {} session(s) left in flight and {}"
                    + " more active within {} s", leases.instanceId(), done.abandoned(), done.recent(),
                    settings.suspendWindow().toSeconds());
        } else {
            log.info("Start-up as instance {} beside {} live instance(s): suspended {} session(s) left in flight"
                    + " here or by a dead instance; sessions of live instances untouched", leases.instanceId(),
                    done.othersLive(), done.abandoned());
        }
        return done;
    }

    /**
     * This instance is about to stop: a turn that ends from now on without completing (cancelled by
     * the shutdown, or by its connection closing as the server stops) leaves its session suspended,
     * as a crash would, so the conversation is never resumed past a cut turn, on any instance.
     */
    public void stopping() {
        leases.stopping();
    }

    /** A stop notification: cancels the run if it runs here (the heartbeat would find it later). */
    private void stoppedElsewhere(UUID runId) {
        if (leases.stopped(runId)) {
            log.debug("Run {} stopped (notification)", runId);
        }
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

    /**
     * /stop: cancels the key's running turn, here at once, on another instance by notification
     * (milliseconds), or, if that was lost, at that instance's next heartbeat.
     */
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
        // The usual turn reads its conversation with the claim: two commits per turn (claim, finish).
        LeaseKeeper.Lease lease = leases.claim(key, true, cancellation,
                        s -> policy.due(s.suspended(), s.updatedAt(), s.now()).isEmpty())
                .orElseThrow(() -> new SessionBusyException(key));
        try {
            SessionState state = lease.state();
            Optional<ResetReason> performed = policy.due(state.suspended(), state.updatedAt(), state.now());
            UUID sessionId = performed.isPresent() ? resetNow(state, lease.runId(), performed.get()) : state.sessionId();
            Optional<ResetReason> lastReset = performed.isPresent() ? performed : state.lastResetReason();
            List<Message> conversation = performed.isEmpty() && lease.conversation().isPresent()
                    ? prompts.conversation(lease.conversation().get(), lastReset, input)
                    : prompts.conversation(key, sessionId, lastReset, input);
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

    /**
     * Stops the background tasks and leaves the live instances. Call when no turn runs any more: the
     * turns' leases are released (and their sessions suspended) as they end.
     */
    @Override
    public void close() {
        schedules.forEach(s -> s.cancel(false));
        stopListener.close();
        try {
            leases.deregister();
        } catch (RuntimeException e) {
            log.warn("Could not leave the live instances (the row expires by itself): {}", e.toString());
        }
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
