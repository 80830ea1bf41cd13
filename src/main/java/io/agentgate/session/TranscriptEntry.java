package io.agentgate.session;

import io.agentgate.agent.Message;

/** One stored transcript message of a session id, in order. */
public record TranscriptEntry(long messageId, Message message) {}
