package io.agentgate.agent;

/**
 * A run that ended without a result. {@link #getMessage()} is safe to show a client: it never
 * carries upstream internals; those stay in the cause, which is logged at debug only.
 */
public class AgentFailure extends RuntimeException {

    private final FailureKind kind;
    private final int httpStatus;

    public AgentFailure(FailureKind kind, String clientMessage, Throwable cause) {
        this(kind, kind.httpStatus(), clientMessage, cause);
    }

    public AgentFailure(FailureKind kind, int httpStatus, String clientMessage, Throwable cause) {
        super(clientMessage, cause);
        this.kind = kind;
        this.httpStatus = httpStatus;
    }

    public FailureKind kind() {
        return kind;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
