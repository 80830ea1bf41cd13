package io.agentgate.agent;

import io.agentgate.chat.Usage;

/**
 * A finished turn. {@code finishReason} is the real one ({@code stop}, {@code length},
 * {@code content_filter}; a turn that ended short, with a notice, says {@code length});
 * {@code content} is the whole visible text the client was sent, notices and tool progress
 * included, so streaming and non-streaming clients read the same answer.
 */
public record AgentResult(String content, String finishReason, Usage usage) {}
