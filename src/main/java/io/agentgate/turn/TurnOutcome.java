package io.agentgate.turn;

import io.agentgate.chat.ToolCall;
import io.agentgate.chat.Usage;
import java.util.List;
import io.agentgate.session.SessionStart;

/**
 * How one turn ended, returned by {@link TurnRunner#run} once the session and the run record are
 * settled: an answer, a session command carried out, or a {@link TurnFailure}.
 */
public sealed interface TurnOutcome permits TurnOutcome.Answered, TurnOutcome.CommandDone, TurnFailure {

    /**
     * The agent answered. {@code content} is everything the client was shown as the answer (notices
     * included); {@code finishReason} is {@code stop}, {@code length}, {@code content_filter}, or
     * {@code tool_calls} with the calls of the client's own tools in {@code toolCalls};
     * {@code steps} is the tool progress shown apart from the answer (one line each, maybe empty).
     */
    record Answered(String content, String finishReason, Usage usage, List<ToolCall> toolCalls, String steps)
            implements TurnOutcome {

        public Answered {
            toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
            steps = steps == null ? "" : steps;
        }

        public Answered(String content, String finishReason, Usage usage) {
            this(content, finishReason, usage, List.of(), "");
        }
    }

    /** /stop, /new or /reset was carried out; no agent ran and no run was recorded. */
    record CommandDone(SessionStart command) implements TurnOutcome {}
}
