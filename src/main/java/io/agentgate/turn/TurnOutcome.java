package io.agentgate.turn;

import io.agentgate.chat.Usage;
import io.agentgate.session.SessionStart;

/**
 * How one turn ended, returned by {@link TurnRunner#run} once the session and the run record are
 * settled: an answer, a session command carried out, or a {@link TurnFailure}.
 */
public sealed interface TurnOutcome permits TurnOutcome.Answered, TurnOutcome.CommandDone, TurnFailure {

    /**
     * The agent answered. {@code content} is everything the client was shown (tool progress and
     * notices included); {@code finishReason} is {@code stop}, {@code length} or {@code content_filter}.
     */
    record Answered(String content, String finishReason, Usage usage) implements TurnOutcome {}

    /** /stop, /new or /reset was carried out; no agent ran and no run was recorded. */
    record CommandDone(SessionStart command) implements TurnOutcome {}
}
