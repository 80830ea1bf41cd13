package io.agentgate.api;

/** {@code GET /v1/sessions/{key}}: a session as a client or operator sees it. */
public record SessionView(String sessionKey, String sessionId, boolean suspended, boolean running,
                          String updatedAt, String createdAt, int messageCount, String lastResetReason,
                          long promptTokens, long completionTokens) {}
