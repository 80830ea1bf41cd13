package io.agentgate.session;

import io.agentgate.agent.AgentFailure;
import io.agentgate.agent.AgentResult;
import io.agentgate.agent.FailureKind;
import io.agentgate.agent.Message;
import io.agentgate.config.SessionSettings;
import io.agentgate.model.ModelClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable sessions: the one entry point for everything the HTTP layer does with a session key.
 * PostgreSQL is the source of truth (continuity, suspension, resets, memory, busy-ness); this class
 * only adds the local part: interrupting turns that run in this JVM.
 */
public final class SessionService implements AutoCloseable {

    public static final String ID_HEADER = "X-Session-Id";
    public static final String RESET_HEADER = "X-Session-Reset";
    public static final String STOPPED_TEXT = "Force-stopped. Your next message will start a fresh session.";
    public static final String NOTHING_TO_STOP_TEXT = "No active task to stop.";
    public static final String RESET_TEXT = "Started a fresh session.";
    static final String MEMORY_HEADER = "Notes from earlier conversations with this user:";
    private static final int MEMORY_NOTES_IN_PROMPT = 5;
    private static final int SWEEP_BATCH = 50;

    private static final Logger log = LoggerFactory.getLogger(SessionService.class);

    private final SessionStore store;
    private final SessionSettings settings;
    private final ResetPolicy policy;
    private final MemoryFlush memory;
    private final Executor workers;
    private final String owner = ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    /** Leases held by this JVM by run id: the heartbeat's list and /stop's interrupt targets. */
    private final Map<UUID, RunHandle> localRuns = new ConcurrentHashMap<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final List<ScheduledFuture<?>> schedules = new ArrayList<>();

    public SessionService(DataSource dataSource, ModelClient model, String modelId, SessionSettings settings,
                          ScheduledExecutorService scheduler, Executor workers) {
        this.store = new SessionStore(dataSource);
        this.settings = settings;
        this.policy = new ResetPolicy(settings);
        this.memory = new MemoryFlush(model, modelId);
        this.workers = workers;
        // Three heartbeats per lease: one lost beat never lets a live lease expire.
        long beat = Math.max(50, settings.lease().toMillis() / 3);
        schedules.add(scheduler.scheduleWithFixedDelay(() -> dispatch(this::heartbeat), beat, beat,
                TimeUnit.MILLISECONDS));
        long sweep = settings.memorySweep().toMillis();
        schedules.add(scheduler.scheduleWithFixedDelay(() -> dispatch(this::sweep), sweep, sweep,
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

    /** A request without a session key: its messages are the whole conversation, nothing is kept. */
    public SessionTurn stateless(List<Message> messages) {
        return SessionTurn.stateless(messages);
    }

    /**
     * Begins a request of a session: a command's answer, or a turn holding the session's lease.
     *
     * @throws IllegalArgumentException when the messages do not end with user input
     * @throws SessionBusyException     when another turn of the key runs
     * @throws AgentFailure             when the previous session's memory could not be condensed
     */
    public TurnStart begin(String key, List<Message> requestMessages) throws SessionBusyException {
        SessionInput input = SessionInput.of(requestMessages);
        if (input.command().isPresent()) {
            return switch (input.command().get()) {
                case STOP -> new TurnStart.CommandReply(stop(key) ? STOPPED_TEXT : NOTHING_TO_STOP_TEXT,
                        headers(key, store.find(key).map(SessionState::sessionId), Optional.empty()));
                case RESET -> {
                    SessionState fresh = resetOnRequest(key, true).orElseThrow();
                    yield new TurnStart.CommandReply(RESET_TEXT,
                            headers(key, Optional.of(fresh.sessionId()), Optional.of(ResetReason.MANUAL)));
                }
            };
        }
        return startTurn(key, input);
    }

    /** /stop: interrupts the key's running turn (here, or on another instance at its next heartbeat). */
    public boolean stop(String key) {
        Optional<UUID> stopped = store.stop(key);
        stopped.map(localRuns::get).ifPresent(RunHandle::stop);
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
        UUID runId = UUID.randomUUID();
        SessionState state = store.claim(key, true, runId, owner, settings.lease())
                .orElseThrow(() -> new SessionBusyException(key));
        localRuns.put(runId, new RunHandle());
        try {
            resetNow(state, runId, ResetReason.MANUAL);
        } finally {
            localRuns.remove(runId);
            store.release(key, runId, true);
        }
        return store.find(key);
    }

    public Optional<SessionState> find(String key) {
        return store.find(key);
    }

    private SessionTurn startTurn(String key, SessionInput input) throws SessionBusyException {
        UUID runId = UUID.randomUUID();
        SessionState state = store.claim(key, true, runId, owner, settings.lease())
                .orElseThrow(() -> new SessionBusyException(key));
        RunHandle handle = new RunHandle();
        localRuns.put(runId, handle);
        try {
            Optional<ResetReason> performed = policy.due(state.suspended(), state.updatedAt(), state.now());
            UUID sessionId = performed.isPresent() ? resetNow(state, runId, performed.get()) : state.sessionId();
            Optional<ResetReason> lastReset = performed.isPresent() ? performed : state.lastResetReason();
            List<Message> conversation = conversation(key, sessionId, lastReset, input);
            // Suspended sessions always notify; idle and daily resets only when something was lost.
            Optional<String> notice = performed
                    .filter(r -> r == ResetReason.SUSPENDED || state.hasActivity())
                    .map(policy::clientNotice);
            SessionTurn.Lease lease = new SessionTurn.Lease(this, key, sessionId, runId, input.newInput());
            return new SessionTurn(lease, handle, conversation, headers(key, Optional.of(sessionId), performed),
                    notice);
        } catch (RuntimeException e) {
            localRuns.remove(runId);
            store.release(key, runId, false);
            throw e;
        }
    }

    private List<Message> conversation(String key, UUID sessionId, Optional<ResetReason> lastReset,
                                       SessionInput input) {
        List<Message> conversation = new ArrayList<>(input.systemMessages());
        List<String> notes = store.memoryNotes(key, MEMORY_NOTES_IN_PROMPT);
        if (!notes.isEmpty()) {
            conversation.add(Message.system(MEMORY_HEADER + "\n" + String.join("\n", notes)));
        }
        List<TranscriptEntry> transcript = store.transcript(sessionId);
        if (transcript.isEmpty()) {
            // The first call of a session started by an automatic reset learns why it starts empty.
            lastReset.flatMap(ResetReason::systemNote).map(Message::system).ifPresent(conversation::add);
        }
        transcript.forEach(entry -> conversation.add(entry.message()));
        conversation.addAll(input.newInput());
        return conversation;
    }

    /**
     * Replaces the session id, after condensing the old session's memory unless that already
     * happened (memory_flushed survives a restart, so a flush is never repeated).
     */
    private UUID resetNow(SessionState state, UUID runId, ResetReason reason) {
        if (state.hasActivity() && !state.memoryFlushed()) {
            flush(state.sessionKey(), state.sessionId());
        }
        UUID fresh = UUID.randomUUID();
        if (!store.reset(state.sessionKey(), runId, fresh, reason, state.hasActivity())) {
            throw new AgentFailure(FailureKind.CANCELLED, "The session was stopped while it was being reset.", null);
        }
        log.info("Session {} reset ({}): {} -> {}", SessionKeys.redact(state.sessionKey()), reason.code(),
                state.sessionId(), fresh);
        return fresh;
    }

    private void flush(String key, UUID sessionId) {
        String notes;
        try {
            notes = memory.condense(store.transcript(sessionId));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentFailure(FailureKind.CANCELLED, "The request was cancelled.", e);
        } catch (RuntimeException e) {
            // Only the exception's type at WARN: upstream messages may echo credentials.
            log.warn("Memory flush of session {} failed: {}", SessionKeys.redact(key), e.getClass().getSimpleName());
            log.debug("Memory flush failure", e);
            throw new AgentFailure(FailureKind.UPSTREAM_ERROR,
                    "The previous session could not be saved to memory; please retry.", e);
        }
        if (store.storeMemory(key, sessionId, notes)) {
            log.info("Memory of session {} ({}) flushed", SessionKeys.redact(key), sessionId);
        }
    }

    void finish(SessionTurn.Lease lease, List<Message> messages, AgentResult result) {
        localRuns.remove(lease.runId());
        if (!store.finishTurn(lease.key(), lease.sessionId(), lease.runId(), messages, result.usage())) {
            log.info("Turn of session {} not stored: it was stopped or its row was deleted meanwhile",
                    SessionKeys.redact(lease.key()));
        }
    }

    void abandon(SessionTurn.Lease lease) {
        localRuns.remove(lease.runId());
        store.release(lease.key(), lease.runId(), true);
    }

    /** Keeps this instance's leases alive and interrupts runs a /stop elsewhere took the lease from. */
    void heartbeat() {
        for (UUID stopped : store.heartbeat(List.copyOf(localRuns.keySet()), settings.lease())) {
            RunHandle handle = localRuns.get(stopped);
            if (handle != null) {
                log.info("Run {} was stopped from another instance", stopped);
                handle.stop();
            }
        }
    }

    /**
     * Condenses the memory of sessions due for a reset that nobody accessed yet (or whose flush a
     * restart interrupted), so the flush happens later but never never. The reset itself waits for
     * the next access.
     */
    void sweep() {
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
        UUID runId = UUID.randomUUID();
        Optional<SessionState> claimed = store.claim(key, false, runId, owner, settings.lease());
        if (claimed.isEmpty()) {
            return;
        }
        // Registered so the heartbeat keeps the lease alive through a slow summarisation call.
        localRuns.put(runId, new RunHandle());
        try {
            SessionState s = claimed.get();
            if (s.hasActivity() && !s.memoryFlushed()
                    && policy.due(s.suspended(), s.updatedAt(), s.now()).isPresent()) {
                flush(key, s.sessionId());
            }
        } finally {
            localRuns.remove(runId);
            // Not activity: an idle session must stay idle so its reset still happens.
            store.release(key, runId, false);
        }
    }

    private static Map<String, String> headers(String key, Optional<UUID> sessionId, Optional<ResetReason> reset) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(SessionKeys.HEADER, key);
        sessionId.ifPresent(id -> headers.put(ID_HEADER, id.toString()));
        reset.ifPresent(r -> headers.put(RESET_HEADER, r.code()));
        return headers;
    }

    private void dispatch(Runnable task) {
        try {
            workers.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("Session maintenance failed: {}", e.toString());
                    log.debug("Session maintenance failure", e);
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("Session maintenance skipped: executor shut down");
        }
    }

    @Override
    public void close() {
        schedules.forEach(s -> s.cancel(false));
    }
}
