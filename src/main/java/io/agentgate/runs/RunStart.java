package io.agentgate.runs;

import java.util.UUID;

/** What is known of a run when it starts; session fields are null for stateless requests. */
public record RunStart(UUID runId, String sessionKey, UUID sessionId, String model, boolean streaming) {}
