package io.agentgate.api;

/** {@code POST /v1/sessions/{key}/stop}: whether a run was stopped, with the same text as /stop. */
public record StopResult(boolean stopped, String message) {}
