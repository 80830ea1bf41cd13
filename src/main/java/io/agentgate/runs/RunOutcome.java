package io.agentgate.runs;

import io.agentgate.agent.FailureKind;

/** How a run ended, as stored in {@code runs.outcome} and counted in metrics. */
public enum RunOutcome {
    COMPLETED("completed"),
    STREAM_INTERRUPTED(FailureKind.STREAM_INTERRUPTED.code()),
    UPSTREAM_ERROR(FailureKind.UPSTREAM_ERROR.code()),
    AGENT_ERROR(FailureKind.AGENT_ERROR.code()),
    TIMEOUT(FailureKind.TIMEOUT.code()),
    CANCELLED(FailureKind.CANCELLED.code());

    private final String code;

    RunOutcome(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static RunOutcome of(FailureKind kind) {
        return switch (kind) {
            case STREAM_INTERRUPTED -> STREAM_INTERRUPTED;
            case UPSTREAM_ERROR -> UPSTREAM_ERROR;
            case AGENT_ERROR -> AGENT_ERROR;
            case TIMEOUT -> TIMEOUT;
            case CANCELLED -> CANCELLED;
        };
    }
}
