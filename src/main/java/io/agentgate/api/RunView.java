package io.agentgate.api;

import jakarta.json.bind.annotation.JsonbNillable;

/**
 * One row of {@code GET /v1/runs}. {@code outcome} is {@code completed}, a failure kind
 * ({@code stream_interrupted}, {@code upstream_error}, {@code agent_error}, {@code timeout},
 * {@code shutdown}, {@code database_unavailable}, {@code interrupted}),
 * {@code cancelled}, or {@code running} while the run has not ended.
 */
public record RunView(String runId, @JsonbNillable String sessionKey, @JsonbNillable String sessionId, String model,
                      boolean streaming, String startedAt, @JsonbNillable String endedAt,
                      @JsonbNillable Long durationMs, String outcome, @JsonbNillable String errorMessage,
                      int promptTokens, int completionTokens) {}
