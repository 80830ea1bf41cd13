package io.agentgate.api;

import jakarta.json.JsonArray;
import jakarta.json.bind.annotation.JsonbNillable;

/** One stored message of {@code GET /v1/sessions/{key}/transcript}, as the model saw it. */
public record TranscriptMessage(long messageId, String role, @JsonbNillable String content,
                                @JsonbNillable JsonArray toolCalls, @JsonbNillable String toolCallId,
                                String createdAt) {}
