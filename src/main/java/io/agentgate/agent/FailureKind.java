package io.agentgate.agent;

/**
 * Why a run did not complete. Each kind is counted separately (runs table, metrics) so operators can
 * tell a flaky upstream from a bug in our own agent code.
 */
public enum FailureKind {
    /** The upstream model's stream was cut before it finished. */
    STREAM_INTERRUPTED("stream_interrupted", 502, "api_error"),
    /** The upstream model call failed or answered with an error. */
    UPSTREAM_ERROR("upstream_error", 502, "api_error"),
    /** Our agent or tool code threw. */
    AGENT_ERROR("agent_error", 500, "server_error"),
    /** The upstream model did not answer in time. */
    TIMEOUT("timeout", 504, "timeout"),
    /** The client went away or the run was stopped on request: not a failure. */
    CANCELLED("cancelled", 499, "cancelled");

    private final String code;
    private final int httpStatus;
    private final String errorType;

    FailureKind(String code, int httpStatus, String errorType) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.errorType = errorType;
    }

    /** The stable name used in the runs table, metrics and error bodies. */
    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The OpenAI error {@code type} a client sees. */
    public String errorType() {
        return errorType;
    }
}
