package io.agentgate.session;

import io.agentgate.agent.AgentResult;
import io.agentgate.agent.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One agent turn, with or without a session. Holds the session's lease from {@link SessionService}
 * until {@link #complete} or {@link #close}; both must happen before the client sees the end of
 * the response, so that a client's next request never finds its own finished turn still running.
 */
public final class SessionTurn implements TurnStart, AutoCloseable {

    /** The agent's work for this turn; interrupted on /stop or client loss. */
    @FunctionalInterface
    public interface AgentCall<T> {
        T run() throws InterruptedException;
    }

    /** The session side of a turn; null for a stateless request. */
    record Lease(SessionService service, String key, UUID sessionId, UUID runId, List<Message> newInput) {}

    private final Lease lease;
    private final RunHandle handle;
    private final List<Message> conversation;
    private final Map<String, String> headers;
    private final Optional<String> notice;
    private final UUID statelessRunId = UUID.randomUUID();
    private boolean ended;

    SessionTurn(Lease lease, RunHandle handle, List<Message> conversation, Map<String, String> headers,
                Optional<String> notice) {
        this.lease = lease;
        this.handle = handle;
        this.conversation = List.copyOf(conversation);
        this.headers = Map.copyOf(headers);
        this.notice = notice;
    }

    /** The whole conversation for the agent: instructions, memory, system note, history, new input. */
    public List<Message> conversation() {
        return conversation;
    }

    @Override
    public Map<String, String> headers() {
        return headers;
    }

    /** What the client is told first when this request started a fresh session. */
    public Optional<String> notice() {
        return notice;
    }

    /** The run id: the session lease's owner, and the run's id in the runs ledger. */
    public UUID runId() {
        return lease == null ? statelessRunId : lease.runId();
    }

    /** The session id this turn runs in; empty for a stateless request. */
    public Optional<UUID> sessionId() {
        return lease == null ? Optional.empty() : Optional.of(lease.sessionId());
    }

    public <T> T runAgent(AgentCall<T> call) throws InterruptedException {
        return handle.runAgent(call);
    }

    /** The client is gone: interrupt the agent quietly. */
    public void cancel() {
        handle.cancel();
    }

    /** True when the turn ended because of /stop (the client is told), not a lost client. */
    public boolean stopped() {
        return handle.stopped();
    }

    /** Stores the turn in the transcript and releases the lease, in one transaction. */
    public void complete(AgentResult result) {
        if (lease != null && !ended) {
            ended = true;
            List<Message> messages = new ArrayList<>(lease.newInput());
            messages.add(Message.assistant(result.content(), null));
            lease.service().finish(lease, messages, result);
        }
    }

    /** Releases the lease if the turn did not complete. Safe to call more than once. */
    @Override
    public void close() {
        if (lease != null && !ended) {
            ended = true;
            lease.service().abandon(lease);
        }
    }

    static SessionTurn stateless(List<Message> messages) {
        return new SessionTurn(null, new RunHandle(), messages, Map.of(), Optional.empty());
    }
}
