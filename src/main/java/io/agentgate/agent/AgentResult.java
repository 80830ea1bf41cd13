package io.agentgate.agent;

import io.agentgate.api.Usage;

/**
 * A finished turn. {@code finishReason} is the real one ({@code stop}, {@code length},
 * {@code content_filter}); {@code content} is the whole visible text the client was sent, notices
 * and tool progress included, so streaming and non-streaming clients read the same answer.
 * {@code partialReason} says why a turn ended short (see {@link PartialReason}); null when the model
 * finished its answer.
 */
public record AgentResult(String content, String finishReason, Usage usage, PartialReason partialReason) {

    public AgentResult(String content, String finishReason, Usage usage) {
        this(content, finishReason, usage, null);
    }

    public boolean partial() {
        return partialReason != null;
    }

    /** Why a turn ended before the model finished; all of these end with finish_reason {@code length}. */
    public enum PartialReason {
        /** The model's output was cut off (tool-call arguments, or text after 3 attempts). */
        TRUNCATED,
        /** The model spent its whole output budget reasoning and said nothing visible. */
        THINKING_BUDGET_EXHAUSTED,
        /** The turn used every model call AGENTGATE_MAX_ITERATIONS allows. */
        MAX_ITERATIONS
    }
}
