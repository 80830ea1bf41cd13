package io.agentgate.agent;

import io.agentgate.api.Usage;

/**
 * A finished turn. {@code finishReason} is the real one ({@code stop}, {@code length},
 * {@code tool_calls}); {@code content} is the whole visible text the client was sent.
 */
public record AgentResult(String content, String finishReason, Usage usage) {}
