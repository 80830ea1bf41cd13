package io.agentgate.api;

/** One entry of {@code GET /v1/sessions/{key}/memory}: notes condensed from an earlier session id. */
public record MemoryNote(long memoryId, String notes, String sourceSessionId, String createdAt) {}
