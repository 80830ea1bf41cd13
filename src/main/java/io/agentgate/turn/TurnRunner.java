package io.agentgate.turn;

import io.agentgate.agent.Agent;
import io.agentgate.agent.AgentResult;
import io.agentgate.chat.Cancellation;
import io.agentgate.chat.ChatFailure;
import io.agentgate.chat.ContentSink;
import io.agentgate.chat.FailureKind;
import io.agentgate.chat.Message;
import io.agentgate.runs.RunStart;
import io.agentgate.runs.RunTracker;
import io.agentgate.runs.RunTracker.Run;
import io.agentgate.security.Secrets;
import io.agentgate.session.MissingNewInputException;
import io.agentgate.session.SessionBusyException;
import io.agentgate.session.SessionService;
import io.agentgate.session.SessionStart;
import io.agentgate.session.SessionTurn;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns one turn from request to outcome; the entry point of this package. In order: the session
 * begins (or the request is stateless), the run is recorded, the response is opened, the agent runs
 * (the only part a {@link Cancellation} interrupts), the session stores the turn and releases its
 * lease, and the run is ended, exactly once. Only then does the caller learn the outcome and tell
 * the client, so a client's next request never finds its own finished turn still running, and
 * every run is counted before the last byte is sent.
 */
public final class TurnRunner {

    private static final Logger log = LoggerFactory.getLogger(TurnRunner.class);
    static final String CANCELLED_MESSAGE = "The request was cancelled.";
    static final String STOPPED_MESSAGE = "Stopped by /stop.";
    static final String AGENT_FAILED_MESSAGE = "The agent failed while answering this request.";
    public static final String SHUTTING_DOWN_MESSAGE =
            "The gateway is shutting down; this request was not answered. Retry it.";
    static final String SHUT_DOWN_MID_TURN_MESSAGE =
            "The gateway shut down before this answer finished. Retry the request.";
    static final String DATABASE_UNAVAILABLE_MESSAGE =
            "The database is unavailable, so this request could not be recorded. Retry it shortly.";
    static final String NOT_STORED_MESSAGE =
            "The conversation could not be stored (the database is unavailable). Retry the request.";

    private final Agent agent;
    private final SessionService sessions;
    private final RunTracker runs;
    private final Secrets secrets;
    private final Set<Cancellation> inFlight = ConcurrentHashMap.newKeySet();
    private final ReentrantLock drainLock = new ReentrantLock();
    private final Condition idle = drainLock.newCondition();
    private volatile boolean draining;

    public TurnRunner(Agent agent, SessionService sessions, RunTracker runs, Secrets secrets) {
        this.agent = agent;
        this.sessions = sessions;
        this.runs = runs;
        this.secrets = secrets;
    }

    /**
     * Runs one turn on the calling thread. {@code cancellation} is the turn's one cancellation: the
     * caller wires the client's disconnect to it; /stop and {@link #cancelAll} reach it from here.
     */
    public TurnOutcome run(TurnRequest request, Cancellation cancellation, TurnWriter writer) {
        // A request admitted when it arrived is in flight already: the drain waits for it.
        if (!inFlight.contains(cancellation) && !admit(cancellation)) {
            return new TurnFailure.Failed(FailureKind.SHUTDOWN, SHUTTING_DOWN_MESSAGE);
        }
        try {
            if (request.sessionKey().isEmpty()) {
                return runAgent(request, request.messages(), null, cancellation, writer);
            }
            String key = request.sessionKey().get();
            SessionStart start;
            try {
                start = sessions.begin(key, request.messages(), cancellation);
            } catch (SessionBusyException e) {
                return new TurnFailure.SessionBusy(key);
            } catch (MissingNewInputException e) {
                return new TurnFailure.MissingNewInput();
            } catch (ChatFailure failure) {
                return TurnFailure.Failed.of(failure, secrets.redact(failure.getMessage()));
            } catch (RuntimeException e) {
                log.error("Session could not begin: {}", e.toString());
                log.debug("Session begin failure", e);
                return new TurnFailure.SessionUnavailable();
            }
            if (start instanceof SessionTurn turn) {
                return runAgent(request, turn.conversation(), turn, cancellation, writer);
            }
            return new TurnOutcome.CommandDone(start);
        } finally {
            leave(cancellation);
        }
    }

    /**
     * Counts a request as in flight from the moment the container handed it over, before its body
     * is read: a request that arrived before {@link #drain} began is answered, not refused (a hot
     * redeploy's old copy still receives requests routed to it just before it stops). False when the
     * drain has begun. Every admitted request ends with {@link #run} or {@link #withdraw}.
     */
    public boolean admit(Cancellation cancellation) {
        inFlight.add(cancellation);
        // Checked after joining, so drain() either sees this turn or this turn sees the drain.
        if (draining) {
            leave(cancellation);
            return false;
        }
        return true;
    }

    /** An admitted request that will not run (its body never came, or it was refused). */
    public void withdraw(Cancellation cancellation) {
        leave(cancellation);
    }

    /** Cancels every turn in flight with this reason (the gateway is stopping). */
    public void cancelAll(Cancellation.Reason reason) {
        inFlight.forEach(c -> c.cancel(reason));
    }

    /**
     * Stops taking turns (new ones fail with {@link FailureKind#SHUTDOWN} before anything runs), lets
     * the turns in flight finish within {@code grace}, then cancels the rest as
     * {@link Cancellation.Reason#SHUTTING_DOWN} (each ends with its run recorded as
     * {@link FailureKind#SHUTDOWN}) and waits up to {@code cancelWait} for them to end. Returns how
     * many turns were still running when it gave up (0: all ended). Idempotent.
     */
    public int drain(Duration grace, Duration cancelWait) {
        draining = true;
        if (!awaitIdle(grace)) {
            log.warn("{} turn(s) still running after the {} s shutdown grace period; ending them as {}",
                    inFlight.size(), grace.toMillis() / 1000.0, FailureKind.SHUTDOWN.code());
            cancelAll(Cancellation.Reason.SHUTTING_DOWN);
            awaitIdle(cancelWait);
        }
        return inFlight.size();
    }

    /** True once {@link #drain} began: readiness reports it so a load balancer stops sending turns. */
    public boolean isDraining() {
        return draining;
    }

    private void leave(Cancellation cancellation) {
        inFlight.remove(cancellation);
        if (draining) {
            drainLock.lock();
            try {
                idle.signalAll();
            } finally {
                drainLock.unlock();
            }
        }
    }

    private boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        drainLock.lock();
        try {
            while (!inFlight.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                // Bounded waits: a turn may leave between the emptiness check and this wait.
                idle.awaitNanos(Math.min(left, 50_000_000L));
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return inFlight.isEmpty();
        } finally {
            drainLock.unlock();
        }
    }

    private TurnOutcome runAgent(TurnRequest request, List<Message> conversation, SessionTurn session,
                                 Cancellation cancellation, TurnWriter writer) {
        UUID runId = session == null ? UUID.randomUUID() : session.runId();
        Run run;
        try {
            run = runs.begin(new RunStart(runId, request.sessionKey().orElse(null),
                    session == null ? null : session.sessionId(), request.model(), request.streaming()));
        } catch (ChatFailure unrecorded) {
            // Never an answer without its run record: refuse before anything was sent.
            release(session);
            return new TurnFailure.Failed(unrecorded.kind(), DATABASE_UNAVAILABLE_MESSAGE);
        }
        TurnOutcome outcome;
        try {
            outcome = answer(request, conversation, session, cancellation, writer, run);
        } catch (RuntimeException e) {
            log.error("Run {} failed unexpectedly: {}", runId, secrets.redact(e.toString()));
            log.debug("Turn failure detail", e);
            outcome = new TurnFailure.Failed(FailureKind.AGENT_ERROR, AGENT_FAILED_MESSAGE);
        } finally {
            release(session);
        }
        boolean recorded = switch (outcome) {
            case TurnOutcome.Answered answered -> run.completed(answered.usage());
            case TurnFailure.Failed failed -> run.failed(failed.kind(), failed.message());
            case TurnFailure.Cancelled cancelled -> run.failed(FailureKind.CANCELLED,
                    cancelled.reason() == Cancellation.Reason.STOPPED ? STOPPED_MESSAGE : CANCELLED_MESSAGE);
            default -> throw new IllegalStateException("not an agent outcome: " + outcome);
        };
        if (!recorded && outcome instanceof TurnOutcome.Answered) {
            // A success nobody can count is not told as one; the open row is closed by the interrupted sweep.
            return new TurnFailure.Failed(FailureKind.DATABASE_UNAVAILABLE, DATABASE_UNAVAILABLE_MESSAGE);
        }
        return outcome;
    }

    /** Releases the session's lease unless the turn completed; a failure here must not hide the turn's outcome. */
    private static void release(SessionTurn session) {
        if (session == null) {
            return;
        }
        try {
            session.close();
        } catch (RuntimeException e) {
            log.warn("Run {}: the session lease could not be released (it expires by itself): {}", session.runId(),
                    e.toString());
        }
    }

    /** Opens the response, runs the agent and stores the turn; the session's lease is released by the caller. */
    private TurnOutcome answer(TurnRequest request, List<Message> conversation, SessionTurn session,
                               Cancellation cancellation, TurnWriter writer, Run run) {
        ContentSink sink;
        try {
            sink = writer.open(new TurnOpening(Optional.ofNullable(session).map(s -> new TurnOpening.Session(
                    s.key(), s.sessionId(), s.performedReset(), s.announcedReset()))));
        } catch (IOException | IllegalStateException e) {
            log.debug("client gone before the response opened", e);
            cancellation.cancel(Cancellation.Reason.CLIENT_GONE);
            return cancelled(cancellation);
        }
        AgentResult result;
        try {
            result = cancellation.interruptibly(() -> agent.run(request.model(), conversation, request.options(),
                    sink));
        } catch (InterruptedException e) {
            return cancelled(cancellation);
        } catch (ChatFailure failure) {
            // Redacted where it is made (the model client) and once more here, where it is logged and
            // recorded: an upstream's text must not carry a credential into the log or the runs table.
            String message = secrets.redact(failure.getMessage());
            log.warn("Run {} failed: {} ({})", run.start().runId(), failure.kind().code(), message);
            log.debug("Run failure detail", failure);
            return TurnFailure.Failed.of(failure, message);
        } catch (RuntimeException e) {
            log.error("Run {} crashed in agent code: {}", run.start().runId(),
                    secrets.redact(e.getClass().getName() + ": " + e.getMessage()));
            log.debug("Agent crash detail", e);
            return new TurnFailure.Failed(FailureKind.AGENT_ERROR, AGENT_FAILED_MESSAGE);
        }
        // An answer finished as the client left reached nobody; one finished as /stop came is delivered.
        if (cancellation.reason().filter(r -> r == Cancellation.Reason.CLIENT_GONE).isPresent()) {
            return cancelled(cancellation);
        }
        if (session != null) {
            try {
                session.complete(result.messages(), result.usage());
            } catch (RuntimeException e) {
                log.error("Run {}: the session could not be stored: {}", run.start().runId(), e.toString());
                log.debug("Session store failure", e);
                return new TurnFailure.Failed(FailureKind.DATABASE_UNAVAILABLE, NOT_STORED_MESSAGE);
            }
        }
        return new TurnOutcome.Answered(result.content(), result.finishReason(), result.usage(),
                result.clientToolCalls(), result.steps());
    }

    /**
     * The turn ended by its cancellation. An interrupt that did not come through it came from the
     * agent executor shutting down, the only other code that interrupts a turn's thread.
     */
    private static TurnFailure cancelled(Cancellation cancellation) {
        cancellation.cancel(Cancellation.Reason.SHUTTING_DOWN);
        Cancellation.Reason reason = cancellation.reason().orElseThrow();
        if (reason == Cancellation.Reason.SHUTTING_DOWN) {
            // Not the client's doing: it is told, with a failure kind of its own, never a clean end.
            return new TurnFailure.Failed(FailureKind.SHUTDOWN, SHUT_DOWN_MID_TURN_MESSAGE);
        }
        return new TurnFailure.Cancelled(reason);
    }
}
