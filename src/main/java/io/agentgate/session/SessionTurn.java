package io.agentgate.session;

import io.agentgate.chat.Message;
import io.agentgate.chat.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One agent turn of a session, holding the session's lease until {@link #complete} or
 * {@link #close}; both must happen before the client sees the end of the response, so that a
 * client's next request never finds its own finished turn still running.
 */
public final class SessionTurn implements SessionStart, AutoCloseable {

    private final LeaseKeeper.Lease lease;
    private final UUID sessionId;
    private final List<Message> newInput;
    private final List<Message> conversation;
    private final Optional<ResetReason> performedReset;
    private final Optional<ResetReason> announcedReset;
    private boolean ended;

    SessionTurn(LeaseKeeper.Lease lease, UUID sessionId, List<Message> newInput, List<Message> conversation,
                Optional<ResetReason> performedReset, Optional<ResetReason> announcedReset) {
        this.lease = lease;
        this.sessionId = sessionId;
        this.newInput = List.copyOf(newInput);
        this.conversation = List.copyOf(conversation);
        this.performedReset = performedReset;
        this.announcedReset = announcedReset;
    }

    @Override
    public String key() {
        return lease.state().sessionKey();
    }

    /** The session id this turn runs in. */
    public UUID sessionId() {
        return sessionId;
    }

    /** The run id: the session lease's owner, and the run's id in the runs ledger. */
    public UUID runId() {
        return lease.runId();
    }

    /** The whole conversation for the agent: instructions, memory, system note, history, new input. */
    public List<Message> conversation() {
        return conversation;
    }

    /** The automatic reset this request performed, if any. */
    public Optional<ResetReason> performedReset() {
        return performedReset;
    }

    /** The reset the client should be told about first (suspended, or a session with history lost). */
    public Optional<ResetReason> announcedReset() {
        return announcedReset;
    }

    /**
     * Stores the new input and what the turn added (assistant messages with their real tool calls,
     * tool results, the answer) in the transcript and releases the lease, in one transaction.
     */
    public void complete(List<Message> added, Usage usage) {
        if (!ended) {
            ended = true;
            List<Message> messages = new ArrayList<>(newInput);
            messages.addAll(added);
            lease.finishTurn(sessionId, messages, usage);
        }
    }

    /**
     * Releases the lease if the turn did not complete (suspending the session if the instance is
     * stopping). Safe to call more than once.
     */
    @Override
    public void close() {
        if (!ended) {
            ended = true;
            lease.releaseUnfinished();
        }
    }
}
